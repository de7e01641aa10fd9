//! Delta reporting: of this run's evaluations, report to Config only those whose compliance or
//! annotation differs from what Config already holds for the rule, or whose stored result is due for
//! its refresh. AWS Config bills every evaluation it records, so a fleet that stays healthy costs one
//! refresh per resource per interval instead of one evaluation per resource per run.

use crate::outbound::evaluation::{ACCOUNT_RESOURCE_TYPE, Evaluation};
use crate::timestamp::Timestamp;
use crate::verdict::Compliance;
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};
use std::time::Duration;

/// Periodic runs start a little early or late: a result is refreshed at the last run before it would
/// be older than the interval, assuming runs at most an hour apart.
const REFRESH_SLACK: Duration = Duration::from_secs(3600);

/// One result Config holds for the rule (GetComplianceDetailsByConfigRule).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredResult {
    /// The resource type Config holds.
    pub resource_type: String,
    /// The resource ID (the account).
    pub resource_id: String,
    /// As Config says it; INSUFFICIENT_DATA or an unknown value never matches a verdict.
    pub compliance: String,
    /// The annotation Config holds.
    pub annotation: Option<String>,
    /// The trigger time of the run that recorded it.
    pub ordering_timestamp: Timestamp,
}

/// A verdict that differs from the stored one: the health-change feed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// The resource ID (the account).
    pub resource_id: String,
    /// None: Config held no result for the resource.
    pub old_compliance: Option<String>,
    /// The annotation Config held.
    pub old_annotation: Option<String>,
    /// The compliance now.
    pub new_compliance: Compliance,
    /// The annotation now.
    pub new_annotation: Option<String>,
}

/// What to report, and what changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeltaPlan {
    /// The evaluations to send: changes, and refreshes that are due.
    pub report: Vec<Evaluation>,
    /// Every change, for health-change events.
    pub changes: Vec<Change>,
    /// How many were reported, refreshed and left.
    pub summary: DeltaSummary,
}

/// How many evaluations were reported, refreshed and left as Config holds them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct DeltaSummary {
    /// New or different from the stored result.
    pub changed: usize,
    /// Unchanged but due for the full refresh.
    pub refreshed: usize,
    /// Unchanged and recent: not reported.
    pub skipped: usize,
}

/// Compares a run's evaluations with what Config holds.
pub fn plan(evaluations: Vec<Evaluation>, stored: &[StoredResult], full_refresh: Duration) -> DeltaPlan {
    let held: HashMap<(&str, &str), &StoredResult> = stored
        .iter()
        .map(|s| ((s.resource_type.as_str(), s.resource_id.as_str()), s))
        .collect();
    let due_after = full_refresh.saturating_sub(REFRESH_SLACK);
    let mut plan = DeltaPlan {
        report: Vec::new(),
        changes: Vec::new(),
        summary: DeltaSummary::default(),
    };
    for evaluation in evaluations {
        let previous = held.get(&(evaluation.resource_type, evaluation.resource_id.as_str()));
        let same = previous.is_some_and(|p| {
            p.compliance == evaluation.compliance.as_str() && p.annotation == evaluation.annotation
        });
        if same {
            let due = previous
                .is_none_or(|p| p.ordering_timestamp.age_at(evaluation.ordering_timestamp) >= due_after);
            if due {
                plan.summary.refreshed += 1;
                plan.report.push(evaluation);
            } else {
                plan.summary.skipped += 1;
            }
            continue;
        }
        plan.summary.changed += 1;
        plan.changes.push(Change {
            resource_id: evaluation.resource_id.clone(),
            old_compliance: previous.map(|p| p.compliance.clone()),
            old_annotation: previous.and_then(|p| p.annotation.clone()),
            new_compliance: evaluation.compliance,
            new_annotation: evaluation.annotation.clone(),
        });
        plan.report.push(evaluation);
    }
    plan
}

/// The accounts Config holds a result for that this run did not judge (an account that left the
/// Organization or was suspended; every member, when the accounts could not be listed), among
/// those `in_scope` holds (this shard). Each must be reported again, or its last result, possibly
/// COMPLIANT, would stand for as long as nobody looks.
pub fn not_judged<'a>(
    stored: &'a [StoredResult],
    judged: &BTreeSet<&str>,
    in_scope: impl Fn(&str) -> bool,
) -> Vec<&'a str> {
    let mut ids: Vec<&str> = stored
        .iter()
        .filter(|s| s.resource_type == ACCOUNT_RESOURCE_TYPE)
        .map(|s| s.resource_id.as_str())
        .filter(|id| !judged.contains(id) && in_scope(id))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verdict::Verdict;

    const HOUR: i64 = 3_600_000;

    fn evaluation(
        account: &str,
        compliance: Compliance,
        annotation: Option<&str>,
        at_hour: i64,
    ) -> Evaluation {
        Evaluation::for_account(
            account,
            Verdict {
                compliance,
                annotation: annotation.map(str::to_owned),
            },
            Timestamp::from_epoch_millis(at_hour * HOUR),
        )
    }

    fn stored(account: &str, compliance: &str, annotation: Option<&str>, at_hour: i64) -> StoredResult {
        StoredResult {
            resource_type: ACCOUNT_RESOURCE_TYPE.to_owned(),
            resource_id: account.to_owned(),
            compliance: compliance.to_owned(),
            annotation: annotation.map(str::to_owned),
            ordering_timestamp: Timestamp::from_epoch_millis(at_hour * HOUR),
        }
    }

    const DAY: Duration = Duration::from_secs(24 * 3600);

    #[test]
    fn an_unchanged_recent_result_is_not_reported_again() {
        let run = vec![evaluation("111111111111", Compliance::Compliant, None, 10)];
        let held = [stored("111111111111", "COMPLIANT", None, 9)];
        let plan = plan(run, &held, DAY);
        assert!(plan.report.is_empty());
        assert!(plan.changes.is_empty());
        assert_eq!(plan.summary.skipped, 1);
    }

    #[test]
    fn a_new_resource_a_new_compliance_or_a_new_root_cause_is_a_change() {
        let run = vec![
            evaluation("111111111111", Compliance::Compliant, None, 10),
            evaluation(
                "222222222222",
                Compliance::NonCompliant,
                Some("bucket deleted"),
                10,
            ),
            evaluation("333333333333", Compliance::NonCompliant, Some("key disabled"), 10),
        ];
        let held = [
            stored("222222222222", "COMPLIANT", None, 9),
            stored("333333333333", "NON_COMPLIANT", Some("bucket deleted"), 9),
        ];
        let plan = plan(run, &held, DAY);
        assert_eq!(plan.report.len(), 3);
        assert_eq!(plan.summary.changed, 3);
        let ids: Vec<&str> = plan.changes.iter().map(|c| c.resource_id.as_str()).collect();
        assert_eq!(ids, ["111111111111", "222222222222", "333333333333"]);
        assert_eq!(plan.changes[0].old_compliance, None);
        assert_eq!(plan.changes[1].old_compliance.as_deref(), Some("COMPLIANT"));
        assert_eq!(plan.changes[2].old_annotation.as_deref(), Some("bucket deleted"));
    }

    #[test]
    fn insufficient_data_never_matches_a_verdict() {
        let run = vec![evaluation("111111111111", Compliance::Compliant, None, 10)];
        let held = [stored("111111111111", "INSUFFICIENT_DATA", None, 9)];
        assert_eq!(plan(run, &held, DAY).summary.changed, 1);
    }

    #[test]
    fn an_unchanged_result_is_refreshed_before_it_is_older_than_the_interval() {
        // Hourly runs, 24 h refresh: the run 23 h after the stored one refreshes it, so no
        // result Config holds is older than the interval.
        let held = [stored("111111111111", "COMPLIANT", None, 0)];
        for (hour, expected_refresh) in [(1, 0), (22, 0), (23, 1), (30, 1)] {
            let run = vec![evaluation("111111111111", Compliance::Compliant, None, hour)];
            let plan = plan(run, &held, DAY);
            assert_eq!(plan.summary.refreshed, expected_refresh, "hour {hour}");
            assert!(plan.changes.is_empty());
        }
    }

    #[test]
    fn results_of_other_resource_types_are_not_confused_with_accounts() {
        let run = vec![evaluation("111111111111", Compliance::Compliant, None, 10)];
        let mut other = stored("111111111111", "COMPLIANT", None, 9);
        other.resource_type = "AWS::S3::Bucket".to_owned();
        assert_eq!(plan(run, &[other], DAY).summary.changed, 1);
    }

    #[test]
    fn accounts_held_but_not_judged_are_named_within_the_scope() {
        let held = [
            stored("111111111111", "COMPLIANT", None, 9),
            stored("222222222222", "COMPLIANT", None, 9),
            stored("333333333333", "NON_COMPLIANT", Some("x"), 9),
        ];
        let judged: BTreeSet<&str> = ["111111111111"].into_iter().collect();
        assert_eq!(
            not_judged(&held, &judged, |_| true),
            ["222222222222", "333333333333"]
        );
        assert_eq!(
            not_judged(&held, &judged, |id| id.starts_with('3')),
            ["333333333333"]
        );
    }
}
