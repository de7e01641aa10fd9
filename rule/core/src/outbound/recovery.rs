//! A return to COMPLIANT is news ("recovered"): it may be announced only on evidence that was read.
//! Config holds one result per account, not one per check, so the rule cannot tell whether what
//! it could not read now is what failed before; a recovery therefore needs every read to have
//! come back. Until then the account stays NON_COMPLIANT, and the annotation says what to grant.

use crate::outbound::delta::StoredResult;
use crate::outbound::evaluation::Evaluation;
use crate::verdict::{Compliance, fit_annotation};
use std::collections::BTreeMap;

const HELD_PREFIX: &str = "cannot verify recovery ";
const LAST_FAILURE: &str = "last failure: ";

/// The failure an annotation reports: a result already held back carries the original after its
/// "last failure: ", so that holding it again says the same thing (and delta reporting sees no change).
fn original_failure(annotation: &str) -> &str {
    if annotation.starts_with(HELD_PREFIX)
        && let Some((_, original)) = annotation.split_once(LAST_FAILURE)
    {
        return original;
    }
    annotation
}

/// What Config holds before this run, as far as it is known.
#[derive(Debug, Clone, Copy)]
pub enum Held<'a> {
    /// Config's results for the rule were read.
    Known(&'a [StoredResult]),
    /// They could not be read: any account may be failing in Config.
    Unknown,
}

/// Turns each COMPLIANT evaluation of an account with unread evidence (`unread`: account to what
/// could not be read) into NON_COMPLIANT "cannot verify recovery" when Config holds it as
/// NON_COMPLIANT, or when what Config holds is unknown. Returns how many were held back.
pub fn hold_unconfirmed_recoveries(
    evaluations: &mut [Evaluation],
    held: Held<'_>,
    unread: &BTreeMap<String, String>,
) -> usize {
    let mut count = 0;
    for evaluation in evaluations
        .iter_mut()
        .filter(|e| e.compliance == Compliance::Compliant)
    {
        let Some(what) = unread.get(&evaluation.resource_id) else {
            continue;
        };
        let previous = match held {
            Held::Unknown => Some(None),
            Held::Known(stored) => stored
                .iter()
                .find(|s| {
                    s.resource_type == evaluation.resource_type
                        && s.resource_id == evaluation.resource_id
                        && s.compliance == Compliance::NonCompliant.as_str()
                })
                .map(|s| s.annotation.as_deref()),
        };
        let Some(last_failure) = previous else {
            continue;
        };
        let last = last_failure
            .map(original_failure)
            .map(|a| format!("; {LAST_FAILURE}{a}"))
            .unwrap_or_default();
        evaluation.compliance = Compliance::NonCompliant;
        evaluation.annotation = Some(fit_annotation(&format!("{HELD_PREFIX}({what}){last}")));
        count += 1;
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outbound::evaluation::ACCOUNT_RESOURCE_TYPE;
    use crate::timestamp::Timestamp;
    use crate::verdict::Verdict;

    fn compliant(account: &str) -> Evaluation {
        Evaluation::for_account(
            account,
            Verdict {
                compliance: Compliance::Compliant,
                annotation: Some("delivery pipeline healthy; unverified: KMS key state".into()),
            },
            Timestamp::from_epoch_millis(0),
        )
    }

    fn stored(account: &str, compliance: &str) -> StoredResult {
        StoredResult {
            resource_type: ACCOUNT_RESOURCE_TYPE.into(),
            resource_id: account.into(),
            compliance: compliance.into(),
            annotation: Some("KMS key k-1 is Disabled, not Enabled".into()),
            ordering_timestamp: Timestamp::from_epoch_millis(0),
        }
    }

    fn unread(accounts: &[&str]) -> BTreeMap<String, String> {
        accounts
            .iter()
            .map(|a| {
                (
                    (*a).to_owned(),
                    "unverified: KMS key state (DescribeKey throttled)".to_owned(),
                )
            })
            .collect()
    }

    #[test]
    fn a_failing_account_with_unread_evidence_is_not_announced_as_recovered() {
        let mut run = vec![compliant("111111111111")];
        let held = [stored("111111111111", "NON_COMPLIANT")];
        let count = hold_unconfirmed_recoveries(&mut run, Held::Known(&held), &unread(&["111111111111"]));
        assert_eq!(count, 1);
        assert_eq!(run[0].compliance, Compliance::NonCompliant);
        let annotation = run[0].annotation.as_deref().unwrap_or_default();
        assert!(
            annotation.starts_with("cannot verify recovery (unverified: KMS key state"),
            "{annotation}"
        );
        assert!(
            annotation.ends_with("last failure: KMS key k-1 is Disabled, not Enabled"),
            "{annotation}"
        );
    }

    #[test]
    fn a_recovery_read_in_full_or_a_healthy_account_is_left_alone() {
        let mut run = vec![compliant("111111111111"), compliant("222222222222")];
        let held = [
            stored("111111111111", "NON_COMPLIANT"),
            stored("222222222222", "COMPLIANT"),
        ];
        let count = hold_unconfirmed_recoveries(&mut run, Held::Known(&held), &unread(&["222222222222"]));
        assert_eq!(count, 0);
        assert!(run.iter().all(|e| e.compliance == Compliance::Compliant));
    }

    #[test]
    fn holding_back_again_says_the_same_thing() {
        let mut first = vec![compliant("111111111111")];
        let held = [stored("111111111111", "NON_COMPLIANT")];
        hold_unconfirmed_recoveries(&mut first, Held::Known(&held), &unread(&["111111111111"]));
        let mut again = vec![compliant("111111111111")];
        let held_again = [StoredResult {
            annotation: first[0].annotation.clone(),
            ..stored("111111111111", "NON_COMPLIANT")
        }];
        hold_unconfirmed_recoveries(&mut again, Held::Known(&held_again), &unread(&["111111111111"]));
        assert_eq!(again[0].annotation, first[0].annotation);
    }

    #[test]
    fn when_config_results_are_unknown_unread_evidence_holds_back() {
        let mut run = vec![compliant("111111111111"), compliant("222222222222")];
        let count = hold_unconfirmed_recoveries(&mut run, Held::Unknown, &unread(&["111111111111"]));
        assert_eq!(count, 1);
        assert_eq!(run[0].compliance, Compliance::NonCompliant);
        assert_eq!(
            run[0].annotation.as_deref().map(|a| a.contains("last failure")),
            Some(false)
        );
        assert_eq!(run[1].compliance, Compliance::Compliant);
    }
}
