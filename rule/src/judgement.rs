//! One account-region judged: the snapshot's identity, the verdict and every finding.

use crate::checks::run_checks;
use crate::finding::Finding;
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
