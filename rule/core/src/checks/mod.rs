//! Pure checks: a snapshot and the rule parameters in, findings out. No I/O.

mod access;
mod catalogue;
mod channel;
mod coverage;
mod delivery_path;
mod evidence;
mod finding;
#[cfg(test)]
pub(crate) mod fixtures;
#[cfg(test)]
mod probe_tests;
mod recorder;
mod resources;
#[cfg(test)]
mod writer_table;

pub use catalogue::{CATALOGUE, Check, CheckId, Kind};
pub use coverage::passed_checks;
pub use delivery_path::Writer;
pub use finding::{Finding, Severity};

use crate::parameters::RuleParameters;
use crate::snapshot::Snapshot;

/// Every finding for the snapshot, most important first.
///
/// Probe findings explain: with a failing delivery they are its cause, with a healthy one a break
/// that has not happened yet ("latent").
pub fn run_checks(snapshot: &Snapshot, params: &RuleParameters) -> Vec<Finding> {
    let mut findings = evidence::check(snapshot);
    findings.extend(recorder::check(snapshot));
    findings.extend(channel::check(snapshot, params));
    let failing = findings.iter().any(|f| f.check.is_delivery_failure());
    let mut probe_findings = resources::check(snapshot);
    probe_findings.extend(access::check(snapshot));
    for finding in probe_findings.iter_mut().filter(|f| f.severity < Severity::Info) {
        let label = if failing { "cause" } else { "latent" };
        finding.message = format!("{label}: {}", finding.message);
    }
    findings.extend(probe_findings);
    if params.strict_probes {
        for finding in findings
            .iter_mut()
            .filter(|f| f.check == CheckId::ProbeUnverified)
        {
            finding.severity = Severity::High;
        }
    }
    // Stable: within a severity, the order the checks ran in (evidence, recorder, channel, probes).
    findings.sort_by_key(|f| f.severity);
    findings
}
