//! Pure checks: a snapshot and the rule parameters in, findings out. No I/O.

mod access;
mod catalogue;
mod channel;
mod check_set;
mod coverage;
mod delivery_path;
mod event_path;
mod evidence;
mod evidence_map;
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
pub use check_set::CheckSet;
pub use coverage::passed_checks;
pub use delivery_path::Writer;
pub use evidence_map::Evidence;
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
    let event_path = event_path::check(snapshot);
    for finding in probe_findings.iter_mut().filter(|f| f.severity < Severity::Info) {
        let label = if failing { "cause" } else { "latent" };
        finding.message = format!("{label}: {}", finding.message);
    }
    let cause_found = probe_findings.iter().any(|f| f.severity < Severity::Info);
    findings.extend(probe_findings);
    // Not a cause of the delivery's state: never labelled cause or latent. Where the account-region
    // cannot be read at all, its "cannot verify" already says the trails were unreadable too.
    let unreachable = findings.iter().any(|f| f.check == CheckId::EvidenceUnreadable);
    findings.extend(
        event_path
            .into_iter()
            .filter(|f| !(unreachable && f.check == CheckId::ProbeUnverified)),
    );
    if failing && !cause_found {
        say_no_probe_finds_the_cause(snapshot, &mut findings);
    }
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

/// Config says a write failed, yet every probe was read and none finds why: the cause lies outside
/// what the rule reads (an access point or endpoint policy, a setting it does not model), or it
/// was repaired after the last attempt and the status shows it at the next delivery. Said on the
/// first write failure, whose error code stays; never said when a probe could not be read.
fn say_no_probe_finds_the_cause(snapshot: &Snapshot, findings: &mut [Finding]) {
    let probed = snapshot.probes.bucket.is_some();
    let unread = findings.iter().any(|f| f.check.row().kind == Kind::Unverified);
    if !probed || unread {
        return;
    }
    let write_failure = findings.iter_mut().find(|f| {
        matches!(
            f.check,
            CheckId::SnapshotDeliveryFailure | CheckId::HistoryDeliveryFailure
        )
    });
    if let Some(finding) = write_failure {
        finding.message.push_str(
            "; no probe finds the cause: outside what the rule reads, or repaired since the last attempt",
        );
        finding.evidence.insert("cause", "not found by any probe");
    }
}
