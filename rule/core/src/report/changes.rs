//! What changed since a baseline scan: new failures, fixed, still failing, and the root causes that
//! grew or shrank. Only an account-region judged now whose failing checks of the baseline each
//! passed now can be "fixed": one the scan did not reach is "not judged now", and one that is
//! compliant only because what failed could not be evaluated is "unverified now", never fixed.

use crate::checks::{CheckSet, PassedChecks, Severity};
use crate::verdict::{AccountVerdict, Cluster, Compliance, EVERY_REGION, RegionVerdict};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Since the baseline, account-region by account-region.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Changes {
    /// When the baseline was scanned.
    pub baseline_generated: String,
    /// Failing now, not failing (or not there) in the baseline.
    pub new_failures: Vec<Place>,
    /// Failing in the baseline, compliant now.
    pub fixed: Vec<Place>,
    /// Failing in both.
    pub still_failing: Vec<Place>,
    /// Failing in the baseline, not judged now (left the scan's scope, or its Region was not asked).
    pub not_judged_now: Vec<Place>,
    /// Failing in the baseline, compliant now, but what failed then was not evaluated now (its
    /// evidence could not be read): not fixed, not failing.
    #[serde(default)]
    pub unverified_now: Vec<Place>,
    /// Root causes whose size changed, new ones and those gone, largest change first.
    pub root_causes: Vec<CauseChange>,
}

/// One account-region and what leads its findings.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Place {
    /// The account.
    pub account_id: String,
    /// The Region, or `*` for the whole account.
    pub region: String,
    /// The leading finding's check now (for fixed ones: in the baseline).
    pub check: String,
}

/// A root cause's size then and now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CauseChange {
    /// The check that names it.
    pub check: String,
    /// The cause, in the cluster's words.
    pub cause: String,
    /// Account-regions it broke in the baseline.
    pub before: usize,
    /// Account-regions it breaks now.
    pub now: usize,
    /// `new`, `grew`, `shrank` or `gone`.
    pub trend: String,
}

impl Changes {
    /// Nothing newly failing: what `--fail-on new` passes on.
    pub fn has_new_failures(&self) -> bool {
        !self.new_failures.is_empty()
    }
}

/// Compares the scan now with the baseline (both already checked to be of one version and
/// Organization).
pub fn compare(
    baseline: &[AccountVerdict],
    baseline_generated: &str,
    baseline_clusters: &[Cluster],
    now: &[&AccountVerdict],
    now_clusters: &[Cluster],
) -> Changes {
    let before = States::of(baseline.iter());
    let after = States::of(now.iter().copied());
    let mut changes = Changes {
        baseline_generated: baseline_generated.to_owned(),
        ..Changes::default()
    };
    for (place, state) in &after.regions {
        if !state.failing {
            continue;
        }
        let entry = Place {
            account_id: place.0.clone(),
            region: place.1.clone(),
            check: state.check.clone(),
        };
        match before.failing(&place.0, &place.1) {
            Some(true) => changes.still_failing.push(entry),
            Some(false) | None => changes.new_failures.push(entry),
        }
    }
    for (place, state) in before.regions.iter().filter(|(_, s)| s.failing) {
        let entry = Place {
            account_id: place.0.clone(),
            region: place.1.clone(),
            check: state.check.clone(),
        };
        match after.failing(&place.0, &place.1) {
            Some(false) if after.all_passed(&place.0, &place.1, state.failing_checks) => {
                changes.fixed.push(entry);
            }
            Some(false) => changes.unverified_now.push(entry),
            Some(true) => {}
            None => changes.not_judged_now.push(entry),
        }
    }
    changes.root_causes = cause_changes(baseline_clusters, now_clusters);
    changes
}

struct State {
    failing: bool,
    check: String,
    /// The checks whose findings made it fail (not the informational ones).
    failing_checks: CheckSet,
    passed: PassedChecks,
}

/// Each account-region's state, and each account's (for `*`).
struct States {
    regions: BTreeMap<(String, String), State>,
    accounts: BTreeMap<String, bool>,
}

impl States {
    fn of<'a>(accounts: impl Iterator<Item = &'a AccountVerdict>) -> Self {
        let mut states = Self {
            regions: BTreeMap::new(),
            accounts: BTreeMap::new(),
        };
        for account in accounts {
            states.accounts.insert(
                account.account.id.clone(),
                account.verdict.compliance == Compliance::NonCompliant,
            );
            for region in &account.regions {
                states.regions.insert(
                    (account.account.id.clone(), region.region.clone()),
                    State {
                        failing: region.verdict.compliance == Compliance::NonCompliant,
                        check: leading_check(region),
                        failing_checks: region
                            .findings
                            .iter()
                            .filter(|f| f.severity != Severity::Info)
                            .map(|f| f.check)
                            .collect(),
                        passed: *region.outcomes.passed(),
                    },
                );
            }
        }
        states
    }

    /// Whether the account-region fails here; None where it was not judged. A whole-account verdict
    /// (`*`) stands for each of its Regions, and an account's Regions for its `*`.
    fn failing(&self, account: &str, region: &str) -> Option<bool> {
        let key = |r: &str| (account.to_owned(), r.to_owned());
        if let Some(state) = self.regions.get(&key(region)) {
            return Some(state.failing);
        }
        if let Some(state) = self.regions.get(&key(EVERY_REGION)) {
            return Some(state.failing);
        }
        if region == EVERY_REGION {
            return self.accounts.get(account).copied();
        }
        None
    }

    /// Whether every one of `checks` passed here (in each of the account's Regions, for `*`).
    fn all_passed(&self, account: &str, region: &str, checks: CheckSet) -> bool {
        let key = |r: &str| (account.to_owned(), r.to_owned());
        let passed_in = |state: &State| checks.iter().all(|c| state.passed.get(c).is_some());
        if let Some(state) = self
            .regions
            .get(&key(region))
            .or_else(|| self.regions.get(&key(EVERY_REGION)))
        {
            return passed_in(state);
        }
        let mut regions = self.regions.iter().filter(|((a, _), _)| a == account).peekable();
        regions.peek().is_some() && regions.all(|(_, state)| passed_in(state))
    }
}

fn leading_check(region: &RegionVerdict) -> String {
    region
        .findings
        .first()
        .map_or_else(String::new, |f| f.check.id().to_owned())
}

fn cause_changes(before: &[Cluster], now: &[Cluster]) -> Vec<CauseChange> {
    let key = |c: &Cluster| (c.check.id().to_owned(), c.cause.clone());
    let mut sizes: BTreeMap<(String, String), (usize, usize)> = BTreeMap::new();
    for cluster in before {
        sizes.entry(key(cluster)).or_default().0 = cluster.members.len();
    }
    for cluster in now {
        sizes.entry(key(cluster)).or_default().1 = cluster.members.len();
    }
    let mut changed: Vec<CauseChange> = sizes
        .into_iter()
        .filter(|(_, (before, now))| before != now)
        .map(|((check, cause), (before, now))| CauseChange {
            trend: match (before, now) {
                (0, _) => "new",
                (_, 0) => "gone",
                (b, n) if n > b => "grew",
                _ => "shrank",
            }
            .to_owned(),
            check,
            cause,
            before,
            now,
        })
        .collect();
    changed.sort_by_key(|c| std::cmp::Reverse(c.before.abs_diff(c.now)));
    changed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::{CheckId, Finding, Outcomes};
    use crate::snapshot::OrgAccount;
    use crate::timestamp::Timestamp;
    use crate::verdict::clusters;

    fn account(id: &str, regions: &[(&str, Option<CheckId>)]) -> AccountVerdict {
        let regions = regions
            .iter()
            .map(|(region, failing)| {
                let findings: Vec<Finding> = failing
                    .iter()
                    .map(|check| Finding::new(*check, "broken").with("key", "arn:k"))
                    .collect();
                // Judged in full: every check without a finding passed (a saved scan's record).
                let outcomes = Outcomes::from_record(Some(BTreeMap::new()), &findings);
                RegionVerdict {
                    outcomes,
                    ..RegionVerdict::new(id, region, Timestamp::from_epoch_millis(0), findings)
                }
            })
            .collect();
        AccountVerdict::new(OrgAccount::unnamed(id), regions)
    }

    fn compare_scans(before: &[AccountVerdict], now: &[AccountVerdict]) -> Changes {
        let now: Vec<&AccountVerdict> = now.iter().collect();
        let before_refs: Vec<&AccountVerdict> = before.iter().collect();
        compare(before, "then", &clusters(&before_refs), &now, &clusters(&now))
    }

    fn places(list: &[Place]) -> Vec<(&str, &str)> {
        list.iter()
            .map(|p| (p.account_id.as_str(), p.region.as_str()))
            .collect()
    }

    #[test]
    fn new_fixed_still_failing_and_not_judged_are_told_apart() {
        let key = Some(CheckId::KeyDisabled);
        let before = [
            account("1", &[("a", key), ("b", None)]),
            account("2", &[("a", key)]),
            account("3", &[("a", key)]),
        ];
        let now = [
            account("1", &[("a", key), ("b", key)]),
            account("2", &[("a", None)]),
            account("4", &[("a", key)]),
        ];
        let changes = compare_scans(&before, &now);
        assert_eq!(places(&changes.new_failures), [("1", "b"), ("4", "a")]);
        assert_eq!(places(&changes.still_failing), [("1", "a")]);
        assert_eq!(places(&changes.fixed), [("2", "a")]);
        assert_eq!(
            places(&changes.not_judged_now),
            [("3", "a")],
            "absent now is not fixed"
        );
        assert!(changes.has_new_failures());
        assert_eq!(
            changes.root_causes.len(),
            0,
            "one key, three account-regions before and after"
        );
    }

    #[test]
    fn compliant_only_because_what_failed_was_not_read_is_not_fixed() {
        let key = Some(CheckId::KeyDisabled);
        let before = [account("1", &[("a", key)]), account("2", &[("a", key)])];
        let mut now = [account("1", &[("a", None)]), account("2", &[("a", None)])];
        // Account 1's key could not be read now: COMPLIANT, with probe.unverified said.
        let unread = BTreeMap::from([(
            "key.disabled".to_owned(),
            "unread: KMS key state (DescribeKey throttled)".to_owned(),
        )]);
        now[0].regions[0].outcomes = Outcomes::from_record(Some(unread), &[]);
        let changes = compare_scans(&before, &now);
        assert_eq!(places(&changes.fixed), [("2", "a")]);
        assert_eq!(places(&changes.unverified_now), [("1", "a")]);
        // Without outcomes (a scan saved before they were recorded) nothing is fixed.
        now[1].regions[0].outcomes = Outcomes::from_record(None, &[]);
        assert!(compare_scans(&before, &now).fixed.is_empty());
    }

    #[test]
    fn a_whole_account_verdict_stands_for_its_regions_both_ways() {
        let unassumable = Some(CheckId::AuditRoleUnassumable);
        let before = [account("1", &[("*", unassumable)]), account("2", &[("a", None)])];
        let now = [
            account("1", &[("a", Some(CheckId::KeyDisabled)), ("b", None)]),
            account("2", &[("*", unassumable)]),
        ];
        let changes = compare_scans(&before, &now);
        assert_eq!(
            places(&changes.still_failing),
            [("1", "a")],
            "it was unverified, not healthy"
        );
        assert_eq!(places(&changes.new_failures), [("2", "*")]);
        assert!(changes.fixed.is_empty(), "account 1 still fails in a");
        let trends: Vec<(&str, &str)> = changes
            .root_causes
            .iter()
            .map(|c| (c.check.as_str(), c.trend.as_str()))
            .collect();
        assert!(trends.contains(&("key.disabled", "new")), "{trends:?}");
        assert_eq!(
            changes.root_causes.iter().filter(|c| c.trend == "gone").count(),
            0
        );
    }

    #[test]
    fn causes_that_grew_or_shrank_are_named() {
        let key = Some(CheckId::KeyDisabled);
        let off = Some(CheckId::RecorderMissing);
        let before = [
            account("1", &[("a", key)]),
            account("2", &[("a", off), ("b", off)]),
        ];
        let now = [
            account("1", &[("a", key), ("b", key)]),
            account("2", &[("a", off), ("b", None)]),
        ];
        let changes = compare_scans(&before, &now);
        let trends: Vec<(&str, usize, usize, &str)> = changes
            .root_causes
            .iter()
            .map(|c| (c.check.as_str(), c.before, c.now, c.trend.as_str()))
            .collect();
        assert_eq!(
            trends,
            [
                ("key.disabled", 1, 2, "grew"),
                ("recorder.missing", 2, 1, "shrank")
            ]
        );
        assert!(!compare_scans(&now, &now).has_new_failures());
    }
}
