//! One account-region judged: the snapshot's identity, the verdict and every finding.

use crate::checks::run_checks;
use crate::finding::{Finding, Severity};
use crate::parameters::RuleParameters;
use crate::snapshot::Snapshot;
use crate::timestamp::Timestamp;
use crate::verdict::{Compliance, judge};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Judgement {
    pub account_id: String,
    pub region: String,
    pub observed_at: Timestamp,
    pub compliance: Compliance,
    pub annotation: Option<String>,
    pub findings: Vec<Finding>,
}

pub fn judge_snapshot(snapshot: &Snapshot, params: &RuleParameters) -> Judgement {
    let findings = run_checks(snapshot, params);
    let verdict = judge(&findings);
    Judgement {
        account_id: snapshot.account_id.clone(),
        region: snapshot.region.clone(),
        observed_at: snapshot.observed_at,
        compliance: verdict.compliance,
        annotation: verdict.annotation,
        findings,
    }
}

/// An account-region that could not be read at all (its audit role, its regions or the deadline):
/// fails closed with the one finding that says why.
pub fn unjudged(account_id: &str, region: &str, finding: Finding) -> Judgement {
    let findings = vec![finding];
    let verdict = judge(&findings);
    Judgement {
        account_id: account_id.to_owned(),
        region: region.to_owned(),
        observed_at: Timestamp::now(),
        compliance: verdict.compliance,
        annotation: verdict.annotation,
        findings,
    }
}

impl Judgement {
    /// Failing only because evidence could not be read: "cannot verify", not "broken".
    pub fn is_unverified(&self) -> bool {
        self.compliance == Compliance::NonCompliant
            && self
                .findings
                .iter()
                .filter(|f| f.severity != Severity::Info)
                .all(|f| f.severity == Severity::High)
    }
}
