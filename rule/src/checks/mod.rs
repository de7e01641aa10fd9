//! Pure checks: a snapshot and the rule parameters in, findings out. No I/O.

mod catalogue;
mod channel;
mod evidence;
#[cfg(test)]
pub(crate) mod fixtures;
mod recorder;

pub use catalogue::CheckId;

use crate::finding::Finding;
use crate::parameters::RuleParameters;
use crate::snapshot::Snapshot;

/// Every finding for the snapshot, most important first.
pub fn run_checks(snapshot: &Snapshot, params: &RuleParameters) -> Vec<Finding> {
    let mut findings = evidence::check(snapshot);
    findings.extend(recorder::check(snapshot));
    findings.extend(channel::check(snapshot, params));
    // Stable: within a severity, the order the checks ran in (evidence, recorder, channel).
    findings.sort_by_key(|f| f.severity);
    findings
}
