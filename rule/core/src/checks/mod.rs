//! Pure checks: a snapshot and the rule parameters in, findings out. No I/O.

mod access;
mod catalogue;
mod channel;
mod check_set;
mod delivery_path;
mod event_path;
mod evidence;
mod evidence_map;
#[cfg(test)]
mod fault_classes;
mod finding;
#[cfg(test)]
pub(crate) mod fixtures;
pub mod landing_zone;
mod outcome;
#[cfg(test)]
mod outcome_tests;
#[cfg(test)]
mod probe_tests;
mod recorder;
pub mod request_context;
pub mod requirements;
mod resources;
#[cfg(test)]
mod writer_table;

pub use catalogue::{CATALOGUE, Check, CheckId, Kind};
pub use check_set::CheckSet;
pub use delivery_path::Writer;
pub use evidence_map::Evidence;
pub use finding::{Finding, Severity};
pub(crate) use outcome::read_record;
pub use outcome::{NotEvaluated, Outcome, Outcomes, Passed, PassedChecks};

use crate::parameters::RuleParameters;
use crate::snapshot::Snapshot;
use outcome::Record;

/// Every finding for the snapshot, most important first, and what each check concluded.
pub struct Checked {
    /// Most important first.
    pub findings: Vec<Finding>,
    /// Passed, failed or not evaluated, per check.
    pub outcomes: Outcomes,
}

/// Every finding for the snapshot, most important first (see [`evaluate`] for the outcomes).
pub fn run_checks(snapshot: &Snapshot, params: &RuleParameters) -> Vec<Finding> {
    evaluate(snapshot, params).findings
}

/// Checks that pass once there is a snapshot at all: the event and parameters parsed, the account
/// was entered (or is our own), its Regions known, and the deadline had not passed.
const JUDGED_AT_ALL: [CheckId; 5] = [
    CheckId::MalformedEvent,
    CheckId::InvalidParameters,
    CheckId::AuditRoleUnassumable,
    CheckId::RegionsUnreadable,
    CheckId::DeadlineReached,
];

/// Runs every check on the snapshot.
///
/// Probe findings explain: with a failing delivery they are its cause, with a healthy one a break
/// that has not happened yet ("latent").
pub fn evaluate(snapshot: &Snapshot, params: &RuleParameters) -> Checked {
    let mut record = Record::new();
    record.pass_all(&JUDGED_AT_ALL);
    evidence::check(snapshot, &mut record);
    recorder::check(snapshot, &mut record);
    channel::check(snapshot, params, &mut record);
    let failing = record.findings.iter().any(|f| f.check.is_delivery_failure());
    let probes_from = record.findings.len();
    resources::check(snapshot, &mut record);
    access::check(snapshot, &mut record);
    let probe_findings = record.findings.get_mut(probes_from..).unwrap_or_default();
    label_probe_findings(probe_findings, failing);
    let cause_found = probe_findings.iter().any(|f| f.severity < Severity::Info);
    event_path::check(snapshot, &mut record);
    resources::conclude(snapshot, &mut record);
    evidence::conclude(snapshot, &mut record);
    if failing && !cause_found {
        say_no_probe_finds_the_cause(snapshot, &mut record.findings);
    }
    let (mut findings, outcomes) = record.finish();
    if params.strict_probes {
        for finding in findings
            .iter_mut()
            .filter(|f| f.check == CheckId::ProbeUnverified)
        {
            finding.severity = Severity::High;
        }
    }
    if landing_zone::governed(snapshot, params) {
        landing_zone::apply(&mut findings);
    }
    // Stable: within a severity, the order the checks ran in (evidence, recorder, channel, probes).
    findings.sort_by_key(|f| f.severity);
    Checked { findings, outcomes }
}

/// With a failing delivery a probe's finding is its cause; with a healthy one, latent.
fn label_probe_findings(findings: &mut [Finding], failing: bool) {
    let label = if failing { "cause" } else { "latent" };
    for finding in findings.iter_mut().filter(|f| f.severity < Severity::Info) {
        finding.message = format!("{label}: {}", finding.message);
    }
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
