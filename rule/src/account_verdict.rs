//! Many account-regions to one verdict per account (watchdog mode): the account fails if any
//! region fails, and the annotation names the failing regions and the top root cause.

use crate::checks::CheckId;
use crate::judgement::Judgement;
use crate::verdict::{Compliance, Verdict, fit_annotation};

/// The region of a judgement that covers every region of an account (its audit role could not
/// be assumed, or its regions could not be listed).
pub const EVERY_REGION: &str = "*";

pub fn account_verdict(judgements: &[Judgement]) -> Verdict {
    if judgements.is_empty() {
        return Verdict {
            compliance: Compliance::NonCompliant,
            annotation: Some("cannot verify: no region was judged for this account".to_owned()),
        };
    }
    let failing: Vec<&Judgement> = judgements
        .iter()
        .filter(|j| j.compliance == Compliance::NonCompliant)
        .collect();
    let checked = judgements.len();
    if failing.is_empty() {
        let unverified = judgements.iter().filter(|j| !j.findings.is_empty()).count();
        let mut text = format!("delivery pipeline healthy in {checked} region(s)");
        if unverified > 0 {
            text.push_str(&format!("; root-cause probes unverified in {unverified}"));
        }
        return Verdict {
            compliance: Compliance::Compliant,
            annotation: Some(fit_annotation(&text)),
        };
    }
    let top = failing
        .iter()
        .flat_map(|j| j.findings.iter())
        .min_by_key(|f| f.severity)
        .map_or("no finding recorded", |f| f.message.as_str());
    let config_off = judgements.iter().all(|j| {
        j.findings.iter().any(|f| {
            matches!(
                f.check,
                CheckId::RecorderMissing | CheckId::RecorderServiceLinkedOnly
            )
        })
    });
    let text = if config_off && checked > 1 {
        format!("AWS Config is off in all {checked} regions checked: {top}")
    } else if failing.iter().any(|j| j.region == EVERY_REGION) {
        format!("failing in every region: {top}")
    } else {
        let mut regions: Vec<&str> = failing.iter().map(|j| j.region.as_str()).collect();
        regions.sort_unstable();
        format!(
            "failing in {} ({} of {checked} regions): {top}",
            regions.join(", "),
            failing.len()
        )
    };
    Verdict {
        compliance: Compliance::NonCompliant,
        annotation: Some(fit_annotation(&text)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Finding;
    use crate::judgement::unjudged;
    use crate::timestamp::Timestamp;
    use crate::verdict::judge;

    fn region(name: &str, findings: Vec<Finding>) -> Judgement {
        let verdict = judge(&findings);
        Judgement {
            account_id: "111122223333".to_owned(),
            region: name.to_owned(),
            observed_at: Timestamp::now(),
            compliance: verdict.compliance,
            annotation: verdict.annotation,
            findings,
        }
    }

    #[test]
    fn healthy_regions_make_a_compliant_account() {
        let verdict = account_verdict(&[region("us-east-1", vec![]), region("eu-west-1", vec![])]);
        assert_eq!(verdict.compliance, Compliance::Compliant);
        assert_eq!(
            verdict.annotation.as_deref(),
            Some("delivery pipeline healthy in 2 region(s)")
        );
    }

    #[test]
    fn one_failing_region_fails_the_account_and_is_named_with_the_worst_cause() {
        let verdict = account_verdict(&[
            region("us-east-1", vec![]),
            region(
                "eu-west-1",
                vec![
                    Finding::new(CheckId::ChannelUnexpectedBucket, "channel delivers to other"),
                    Finding::new(CheckId::KeyDisabled, "KMS key disabled"),
                ],
            ),
        ]);
        assert_eq!(verdict.compliance, Compliance::NonCompliant);
        assert_eq!(
            verdict.annotation.as_deref(),
            Some("failing in eu-west-1 (1 of 2 regions): KMS key disabled")
        );
    }

    #[test]
    fn config_off_everywhere_is_said_so() {
        let off = || {
            vec![Finding::new(
                CheckId::RecorderMissing,
                "no configuration recorder",
            )]
        };
        let verdict = account_verdict(&[region("us-east-1", off()), region("eu-west-1", off())]);
        assert_eq!(verdict.compliance, Compliance::NonCompliant);
        assert!(
            verdict
                .annotation
                .unwrap()
                .starts_with("AWS Config is off in all 2 regions checked")
        );
    }

    #[test]
    fn an_account_that_could_not_be_entered_is_not_compliant() {
        let finding = Finding::new(CheckId::AuditRoleUnassumable, "cannot verify: AssumeRole denied");
        let verdict = account_verdict(&[unjudged("111122223333", EVERY_REGION, finding)]);
        assert_eq!(verdict.compliance, Compliance::NonCompliant);
        assert_eq!(
            verdict.annotation.as_deref(),
            Some("failing in every region: cannot verify: AssumeRole denied")
        );
        assert_eq!(account_verdict(&[]).compliance, Compliance::NonCompliant);
    }

    #[test]
    fn the_annotation_fits_config_with_many_regions() {
        let judgements: Vec<Judgement> = (0..40)
            .map(|i| {
                region(
                    &format!("xx-region-{i}"),
                    vec![Finding::new(CheckId::DeliveryStale, "stale")],
                )
            })
            .collect();
        let annotation = account_verdict(&judgements).annotation.unwrap();
        assert!(annotation.chars().count() <= 256);
    }
}
