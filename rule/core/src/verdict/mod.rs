//! Verdicts at each level: findings to a compliance and the annotation Config shows (at most 256
//! characters); a region verdict carries its findings, an account verdict its region verdicts.

mod account;
mod cluster;
mod membership;
mod region;

pub use account::{AccountVerdict, EVERY_REGION, FleetSummary, account_verdict, summarize};
pub use cluster::{Cluster, ClusterMember, clusters, headline};
pub use membership::{Membership, membership};
pub use region::{RegionVerdict, judge_snapshot, unjudged};

use crate::checks::{CheckId, Finding, Severity};
use serde::{Deserialize, Serialize};

/// PutEvaluations rejects longer annotations with a ValidationException.
pub const MAX_ANNOTATION_CHARS: usize = 256;
const ELLIPSIS: &str = "...";

/// What Config records for a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Compliance {
    /// The pipeline is healthy.
    #[serde(rename = "COMPLIANT")]
    Compliant,
    /// The pipeline is broken, or could not be verified.
    #[serde(rename = "NON_COMPLIANT")]
    NonCompliant,
    /// The account left the rule's scope.
    #[serde(rename = "NOT_APPLICABLE")]
    NotApplicable,
}

impl Compliance {
    /// The name `PutEvaluations` takes.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Compliant => "COMPLIANT",
            Self::NonCompliant => "NON_COMPLIANT",
            Self::NotApplicable => "NOT_APPLICABLE",
        }
    }
}

/// A compliance and the annotation that says why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    /// COMPLIANT, NON_COMPLIANT or NOT_APPLICABLE.
    pub compliance: Compliance,
    /// None when there is nothing to say (PutEvaluations rejects an empty annotation).
    pub annotation: Option<String>,
}

impl Verdict {
    /// NOT_APPLICABLE with its reason (the account left the rule's scope).
    pub fn not_applicable(reason: &str) -> Self {
        Self {
            compliance: Compliance::NotApplicable,
            annotation: Some(fit_annotation(reason)),
        }
    }

    /// Fail closed: NON_COMPLIANT "cannot verify: <why>" under the given check.
    pub fn cannot_verify(check: CheckId, why: &dyn std::fmt::Display) -> Self {
        judge(&[Finding::new(check, format!("cannot verify: {why}"))])
    }
}

/// Any finding fails the pipeline; findings are expected most important first.
pub fn judge(findings: &[Finding]) -> Verdict {
    if findings.is_empty() {
        return Verdict {
            compliance: Compliance::Compliant,
            annotation: Some(
                "delivery pipeline healthy: recorder recording, deliveries succeeding".to_owned(),
            ),
        };
    }
    let messages: Vec<&str> = findings.iter().map(|f| f.message.as_str()).collect();
    // Unverified root-cause probes are reported, but fail nothing unless StrictProbes raised them.
    if findings.iter().all(|f| f.severity == Severity::Info) {
        let text = format!("delivery pipeline healthy; {}", messages.join("; "));
        return Verdict {
            compliance: Compliance::Compliant,
            annotation: Some(fit_annotation(&text)),
        };
    }
    Verdict {
        compliance: Compliance::NonCompliant,
        annotation: Some(fit_annotation(&messages.join("; "))),
    }
}

/// Cuts on a character boundary. Counts UTF-16 units, which is never fewer than characters,
/// so the result fits whichever of the two Config counts.
pub fn fit_annotation(text: &str) -> String {
    let units = |s: &str| s.chars().map(char::len_utf16).sum::<usize>();
    if units(text) <= MAX_ANNOTATION_CHARS {
        return text.to_owned();
    }
    let budget = MAX_ANNOTATION_CHARS - ELLIPSIS.len();
    let mut used = 0;
    let mut cut = String::with_capacity(MAX_ANNOTATION_CHARS);
    for c in text.chars() {
        used += c.len_utf16();
        if used > budget {
            break;
        }
        cut.push(c);
    }
    cut.truncate(cut.trim_end().len());
    cut.push_str(ELLIPSIS);
    cut
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::CheckId;

    #[test]
    fn no_findings_is_compliant() {
        let verdict = judge(&[]);
        assert_eq!(verdict.compliance, Compliance::Compliant);
        assert!(verdict.annotation.is_some());
    }

    #[test]
    fn findings_are_joined_most_important_first() {
        let findings = [
            Finding::new(
                CheckId::HistoryDeliveryFailure,
                "history delivery failing: NoSuchBucket",
            ),
            Finding::new(
                CheckId::ChannelUnexpectedBucket,
                "channel delivers to bucket a instead of b",
            ),
        ];
        let verdict = judge(&findings);
        assert_eq!(verdict.compliance, Compliance::NonCompliant);
        assert_eq!(
            verdict.annotation.as_deref(),
            Some("history delivery failing: NoSuchBucket; channel delivers to bucket a instead of b")
        );
    }

    #[test]
    fn unverified_probes_alone_do_not_fail_but_are_said() {
        let findings = [Finding::new(
            CheckId::ProbeUnverified,
            "unverified: bucket policy (GetBucketPolicy access denied)",
        )];
        let verdict = judge(&findings);
        assert_eq!(verdict.compliance, Compliance::Compliant);
        assert_eq!(
            verdict.annotation.as_deref(),
            Some("delivery pipeline healthy; unverified: bucket policy (GetBucketPolicy access denied)")
        );
    }

    #[test]
    fn long_annotations_are_cut_to_256_on_a_character_boundary() {
        let text = "é".repeat(300);
        let cut = fit_annotation(&text);
        assert_eq!(cut.chars().count(), 256);
        assert!(cut.ends_with("..."));
        let emoji = "🙂".repeat(200); // two UTF-16 units each
        let cut = fit_annotation(&emoji);
        assert!(cut.chars().map(char::len_utf16).sum::<usize>() <= 256);
        assert!(cut.starts_with('🙂'));
        let exact = "a".repeat(256);
        assert_eq!(fit_annotation(&exact), exact);
    }
}
