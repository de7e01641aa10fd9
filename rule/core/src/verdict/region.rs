//! The verdict on one account-region: the snapshot's identity, the verdict and every finding.

use crate::checks::{Checked, Finding, Kind, NotEvaluated, Outcomes, Severity, evaluate, read_record};
use crate::exceptions::Accepted;
use crate::parameters::RuleParameters;
use crate::snapshot::Snapshot;
use crate::timestamp::Timestamp;
use crate::verdict::{Compliance, Verdict, judge};
use serde::{Deserialize, Serialize};

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
    /// Each check's outcome: only a passed one may resolve a finding, call the region fixed or
    /// count toward a recovery. Saved as the checks not evaluated, with why.
    #[serde(rename = "not_evaluated")]
    pub outcomes: Outcomes,
    /// The failures an accepted exception covers (crate::exceptions): still failures, shown apart.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accepted: Vec<Accepted>,
}

/// A saved region verdict, read back: its outcomes are rebuilt with its findings.
#[derive(Deserialize)]
struct SavedRegion {
    account_id: String,
    region: String,
    observed_at: Timestamp,
    #[serde(flatten)]
    verdict: Verdict,
    findings: Vec<Finding>,
    #[serde(default, deserialize_with = "read_record")]
    not_evaluated: Option<std::collections::BTreeMap<String, String>>,
    #[serde(default)]
    accepted: Vec<Accepted>,
}

impl<'de> Deserialize<'de> for RegionVerdict {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let saved = SavedRegion::deserialize(deserializer)?;
        let outcomes = Outcomes::from_record(saved.not_evaluated, &saved.findings);
        Ok(Self {
            account_id: saved.account_id,
            region: saved.region,
            observed_at: saved.observed_at,
            verdict: saved.verdict,
            findings: saved.findings,
            outcomes,
            accepted: saved.accepted,
        })
    }
}

/// Runs every check on the snapshot and judges the findings.
pub fn judge_snapshot(snapshot: &Snapshot, params: &RuleParameters) -> RegionVerdict {
    let Checked { findings, outcomes } = evaluate(snapshot, params);
    RegionVerdict {
        outcomes,
        ..RegionVerdict::new(
            &snapshot.account_id,
            &snapshot.region,
            snapshot.observed_at,
            findings,
        )
    }
}

/// An account-region that could not be read at all (its audit role, its regions or the deadline):
/// fails closed with the one finding that says why, and no check passed.
pub fn unjudged(account_id: &str, region: &str, finding: Finding) -> RegionVerdict {
    RegionVerdict::new(account_id, region, Timestamp::now(), vec![finding])
}

impl RegionVerdict {
    /// The verdict the findings (most important first) call for; no check counts as passed (each
    /// one without a finding is moot: the first finding stopped the judging).
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
        let why = findings
            .first()
            .map_or(NotEvaluated::NotRun, |f| NotEvaluated::Moot(f.check));
        let outcomes = Outcomes::none_passed(&findings, &why);
        Self {
            account_id: account_id.to_owned(),
            region: region.to_owned(),
            observed_at,
            verdict,
            findings,
            outcomes,
            accepted: Vec::new(),
        }
    }

    /// What leaves this account-region unconfirmed, as the findings say it (or, where none
    /// does, the checks not evaluated): None only when every check that applies passed or failed.
    pub fn unread_evidence(&self) -> Option<String> {
        let mut unconfirmed = self.outcomes.unconfirmed().peekable();
        unconfirmed.peek()?;
        let said: Vec<&str> = self
            .findings
            .iter()
            .filter(|f| f.check.row().kind == Kind::Unverified)
            .map(|f| f.message.as_str())
            .collect();
        if !said.is_empty() {
            return Some(said.join("; "));
        }
        let unsaid: Vec<String> = unconfirmed
            .map(|(check, why)| format!("{} not evaluated ({why})", check.id()))
            .collect();
        Some(unsaid.join("; "))
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
