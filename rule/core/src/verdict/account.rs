//! Many account-regions to one verdict per account (watchdog mode, `scan`): the account fails if
//! any region fails, and the annotation names the failing regions and the top root cause.

use crate::checks::CheckId;
use crate::snapshot::OrgAccount;
use crate::verdict::{Compliance, RegionVerdict, Verdict, fit_annotation};
use serde::{Deserialize, Serialize};

/// The region of a verdict that covers every region of an account (its audit role could not
/// be assumed, or its regions could not be listed).
pub const EVERY_REGION: &str = "*";

/// One account judged: its verdict, derived from its region verdicts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountVerdict {
    /// The account, with its name where the Organization said it.
    pub account: OrgAccount,
    /// What Config receives for the account.
    pub verdict: Verdict,
    /// One verdict per Region judged. The JSON key predates the type's name; kept for consumers.
    #[serde(rename = "judgements")]
    pub regions: Vec<RegionVerdict>,
}

impl AccountVerdict {
    /// Judges the account from its regions.
    pub fn new(account: OrgAccount, regions: Vec<RegionVerdict>) -> Self {
        Self {
            verdict: account_verdict(&regions),
            account,
            regions,
        }
    }

    /// Groups region verdicts by account, in the order the accounts first appear (`check`,
    /// `evaluate`: no names known).
    pub fn group(regions: &[RegionVerdict]) -> Vec<Self> {
        let mut ids: Vec<&str> = regions.iter().map(|j| j.account_id.as_str()).collect();
        ids.dedup();
        ids.into_iter()
            .map(|id| {
                let own: Vec<RegionVerdict> =
                    regions.iter().filter(|j| j.account_id == id).cloned().collect();
                Self::new(OrgAccount::unnamed(id), own)
            })
            .collect()
    }

    /// Failing only where evidence could not be read: "cannot verify", not "broken".
    pub fn is_unverified(&self) -> bool {
        self.verdict.compliance == Compliance::NonCompliant
            && self
                .regions
                .iter()
                .filter(|j| j.verdict.compliance == Compliance::NonCompliant)
                .all(RegionVerdict::is_unverified)
    }
}

/// How many accounts are healthy, failing, or could not be verified.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FleetSummary {
    /// Accounts judged.
    pub accounts: usize,
    /// Accounts whose every region is healthy.
    pub compliant: usize,
    /// Accounts with at least one region broken.
    pub failing: usize,
    /// Accounts failing only because evidence could not be read.
    pub unverified: usize,
    /// Accounts failing only with failures an exception accepts (counted apart from `failing`).
    #[serde(default)]
    pub accepted: usize,
    /// Account-regions judged.
    pub account_regions: usize,
}

/// Counts the accounts by verdict.
pub fn summarize<'a>(accounts: impl IntoIterator<Item = &'a AccountVerdict>) -> FleetSummary {
    let mut summary = FleetSummary::default();
    for account in accounts {
        summary.accounts += 1;
        summary.account_regions += account.regions.len();
        match account.verdict.compliance {
            Compliance::NonCompliant if account.is_accepted() => summary.accepted += 1,
            Compliance::NonCompliant if account.is_unverified() => summary.unverified += 1,
            Compliance::NonCompliant => summary.failing += 1,
            Compliance::Compliant | Compliance::NotApplicable => summary.compliant += 1,
        }
    }
    summary
}

/// The account's verdict: healthy only when every region judged is.
pub fn account_verdict(judgements: &[RegionVerdict]) -> Verdict {
    if judgements.is_empty() {
        return Verdict {
            compliance: Compliance::NonCompliant,
            annotation: Some("cannot verify: no region was judged for this account".to_owned()),
        };
    }
    let failing: Vec<&RegionVerdict> = judgements
        .iter()
        .filter(|j| j.verdict.compliance == Compliance::NonCompliant)
        .collect();
    let checked = judgements.len();
    if failing.is_empty() {
        let regions_with = |check: CheckId| {
            judgements
                .iter()
                .filter(|j| j.findings.iter().any(|f| f.check == check))
                .count()
        };
        let mut text = format!("delivery pipeline healthy in {checked} region(s)");
        let unverified = regions_with(CheckId::ProbeUnverified);
        if unverified > 0 {
            text.push_str(&format!("; root-cause probes unverified in {unverified}"));
        }
        let blind = regions_with(CheckId::EventPathBlind);
        if blind > 0 {
            text.push_str(&format!("; event path blind in {blind}"));
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
    use crate::checks::Finding;
    use crate::timestamp::Timestamp;
    use crate::verdict::unjudged;

    fn region(name: &str, findings: Vec<Finding>) -> RegionVerdict {
        RegionVerdict::new("111122223333", name, Timestamp::now(), findings)
    }

    #[test]
    fn accounts_are_compliant_failing_or_unverified() {
        let healthy = |id: &str, r: &str| {
            RegionVerdict::new(
                id,
                r,
                Timestamp::now(),
                vec![Finding::new(CheckId::ProbeUnverified, "probe")],
            )
        };
        let broken = |id: &str, r: &str| unjudged(id, r, Finding::new(CheckId::KeyDisabled, "key"));
        let unreadable =
            |id: &str, r: &str| unjudged(id, r, Finding::new(CheckId::AuditRoleUnassumable, "role"));
        let account = |id: &str, regions| AccountVerdict::new(OrgAccount::unnamed(id), regions);
        let accounts = [
            account("1", vec![healthy("1", "a"), healthy("1", "b")]),
            account("2", vec![healthy("2", "a"), broken("2", "b")]),
            account("3", vec![unreadable("3", "a"), unreadable("3", "b")]),
            // Broken in one region and unreadable in another: failing, not merely unverified.
            account("4", vec![broken("4", "a"), unreadable("4", "b")]),
        ];
        assert_eq!(
            summarize(&accounts),
            FleetSummary {
                accounts: 4,
                compliant: 1,
                failing: 2,
                unverified: 1,
                accepted: 0,
                account_regions: 8,
            }
        );
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
    fn a_blind_event_path_is_said_but_fails_nothing() {
        let blind = || vec![Finding::new(CheckId::EventPathBlind, "event path blind")];
        let verdict = account_verdict(&[
            region("us-east-1", blind()),
            region(
                "eu-west-1",
                vec![
                    Finding::new(CheckId::ProbeUnverified, "probe"),
                    Finding::new(CheckId::EventPathBlind, "event path blind"),
                ],
            ),
        ]);
        assert_eq!(verdict.compliance, Compliance::Compliant);
        assert_eq!(
            verdict.annotation.as_deref(),
            Some(
                "delivery pipeline healthy in 2 region(s); root-cause probes unverified in 1; event path blind in 2"
            )
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
        let judgements: Vec<RegionVerdict> = (0..40)
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
