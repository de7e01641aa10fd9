//! The verdict on one account-region: the snapshot's identity, the verdict and every finding.

use crate::checks::{CheckSet, Finding, Kind, Severity, passed_checks, run_checks};
use crate::parameters::RuleParameters;
use crate::snapshot::Snapshot;
use crate::timestamp::Timestamp;
use crate::verdict::{Compliance, Verdict, judge};
use serde::{Deserialize, Serialize};

/// One account-region judged. The verdict is derived from the findings once, here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    /// The checks evaluated on evidence that was read and not failing: only these may resolve
    /// a finding. Empty when nothing could be read.
    #[serde(skip)]
    pub passed: CheckSet,
}

/// Runs every check on the snapshot and judges the findings.
pub fn judge_snapshot(snapshot: &Snapshot, params: &RuleParameters) -> RegionVerdict {
    let findings = run_checks(snapshot, params);
    let passed = passed_checks(snapshot, &findings);
    RegionVerdict {
        passed,
        ..RegionVerdict::new(
            &snapshot.account_id,
            &snapshot.region,
            snapshot.observed_at,
            findings,
        )
    }
}

/// An account-region that could not be read at all (its audit role, its regions or the deadline):
/// fails closed with the one finding that says why.
pub fn unjudged(account_id: &str, region: &str, finding: Finding) -> RegionVerdict {
    RegionVerdict::new(account_id, region, Timestamp::now(), vec![finding])
}

impl RegionVerdict {
    /// The verdict the findings (most important first) call for; no check counts as passed.
    pub fn new(account_id: &str, region: &str, observed_at: Timestamp, mut findings: Vec<Finding>) -> Self {
        let mut verdict = judge(&findings);
        // Kept until the report is written, 17,000 of them in a sweep of 1,000 accounts in 17
        // Regions: without the room the checks grew them with (a Vec of one finding had room for
        // four, 290 bytes).
        findings.shrink_to_fit();
        for finding in &mut findings {
            finding.message.shrink_to_fit();
        }
        if let Some(annotation) = &mut verdict.annotation {
            annotation.shrink_to_fit();
        }
        Self {
            account_id: account_id.to_owned(),
            region: region.to_owned(),
            observed_at,
            verdict,
            findings,
            passed: CheckSet::new(),
        }
    }

    /// What could not be read, as the findings say it: None when every read came back.
    pub fn unread_evidence(&self) -> Option<String> {
        let unread: Vec<&str> = self
            .findings
            .iter()
            .filter(|f| f.check.row().kind == Kind::Unverified)
            .map(|f| f.message.as_str())
            .collect();
        (!unread.is_empty()).then(|| unread.join("; "))
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
