//! The verdict on one account-region: the snapshot's identity, the verdict and every finding.

use crate::checks::{Finding, Severity, run_checks};
use crate::parameters::RuleParameters;
use crate::snapshot::Snapshot;
use crate::timestamp::Timestamp;
use crate::verdict::{Compliance, Verdict, judge};
use serde::Serialize;

/// One account-region judged. The verdict is derived from the findings once, here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegionVerdict {
    /// The account judged.
    pub account_id: String,
    /// The Region judged, or [`EVERY_REGION`](crate::verdict::EVERY_REGION) when the account
    /// could not be entered at all.
    pub region: String,
    /// When the evidence was read.
    pub observed_at: Timestamp,
    /// Compliance and annotation, serialized at the top level as they always were.
    #[serde(flatten)]
    pub verdict: Verdict,
    /// Every finding, most important first.
    pub findings: Vec<Finding>,
}

/// Runs every check on the snapshot and judges the findings.
pub fn judge_snapshot(snapshot: &Snapshot, params: &RuleParameters) -> RegionVerdict {
    RegionVerdict::new(
        &snapshot.account_id,
        &snapshot.region,
        snapshot.observed_at,
        run_checks(snapshot, params),
    )
}

/// An account-region that could not be read at all (its audit role, its regions or the deadline):
/// fails closed with the one finding that says why.
pub fn unjudged(account_id: &str, region: &str, finding: Finding) -> RegionVerdict {
    RegionVerdict::new(account_id, region, Timestamp::now(), vec![finding])
}

impl RegionVerdict {
    /// The verdict the findings (most important first) call for.
    pub fn new(account_id: &str, region: &str, observed_at: Timestamp, findings: Vec<Finding>) -> Self {
        Self {
            account_id: account_id.to_owned(),
            region: region.to_owned(),
            observed_at,
            verdict: judge(&findings),
            findings,
        }
    }

    /// COMPLIANT or NON_COMPLIANT.
    pub const fn compliance(&self) -> Compliance {
        self.verdict.compliance
    }

    /// Failing only because evidence could not be read: "cannot verify", not "broken".
    pub fn is_unverified(&self) -> bool {
        self.verdict.compliance == Compliance::NonCompliant
            && self
                .findings
                .iter()
                .filter(|f| f.severity != Severity::Info)
                .all(|f| f.severity == Severity::High)
    }
}
