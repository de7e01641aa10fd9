//! Exceptions applied to judged accounts: each failing check an active exception covers is marked
//! accepted in its account-Region, the annotations say so, and each exception reports what it did.

use crate::checks::CheckId;
use crate::exceptions::document::{Exception, Exceptions, Standing};
use crate::timestamp::Timestamp;
use crate::verdict::{AccountVerdict, Compliance, RegionVerdict, account_verdict, fit_annotation};
use serde::{Deserialize, Serialize};

/// One check's failure accepted in one account-Region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Accepted {
    /// The failing check.
    pub check: CheckId,
    /// The exception's id.
    pub exception: String,
    /// Who answers for it.
    pub owner: String,
    /// Why.
    pub reason: String,
    /// Its expiry as written.
    pub until: String,
    /// Its expiry.
    pub expires: Timestamp,
}

/// What one exception did in this run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExceptionReport {
    /// Its id.
    pub id: String,
    /// Who answers for it.
    pub owner: String,
    /// Its expiry as written.
    pub until: String,
    /// Whether it was applied.
    pub applied: bool,
    /// Account-Regions with a failure it covers (accepted, or for an exception not applied, failing).
    pub account_regions: usize,
    /// One line: applied, matches nothing, expired, past the cap, unknown checks.
    pub status: String,
}

/// Marks what `exceptions` accept in `accounts`, rewrites the annotations of what is wholly
/// accepted, and says what each exception did.
pub fn apply_exceptions(exceptions: &Exceptions, accounts: &mut [AccountVerdict]) -> Vec<ExceptionReport> {
    for account in accounts.iter_mut() {
        let ou = account.account.ou.clone();
        for region in &mut account.regions {
            accept_region(exceptions, region, ou.as_deref());
        }
        annotate_account(account);
    }
    let judged: Vec<&AccountVerdict> = accounts.iter().collect();
    exception_reports(exceptions, &judged)
}

/// Marks the failures of one account-Region that an active exception accepts (the first one that
/// covers each check), and when all are, says so in the Region's annotation.
pub fn accept_region(exceptions: &Exceptions, region: &mut RegionVerdict, ou: Option<&str>) {
    let mut accepted: Vec<Accepted> = Vec::new();
    for finding in &region.findings {
        if accepted.iter().any(|a| a.check == finding.check) {
            continue;
        }
        let active = exceptions.entries.iter().find(|(e, standing)| {
            *standing == Standing::Active && covers(e, &region.account_id, ou, &region.region, finding.check)
        });
        if let Some((exception, _)) = active {
            accepted.push(Accepted {
                check: finding.check,
                exception: exception.id.clone(),
                owner: exception.owner.clone(),
                reason: exception.reason.clone(),
                until: exception.expires_text.clone(),
                expires: exception.expires,
            });
        }
    }
    region.accepted = accepted;
    if region.is_accepted() {
        let note = region
            .accepted
            .first()
            .map(|a| accepted_annotation(a, region.verdict.annotation.as_deref()));
        region.verdict.annotation = note;
    }
}

/// The account's verdict from its Regions; wholly accepted, its annotation says until when (the
/// earliest expiry), by whom and why.
pub fn annotate_account(account: &mut AccountVerdict) {
    account.verdict = account_verdict(&account.regions);
    if account.is_accepted() {
        let first = account
            .regions
            .iter()
            .flat_map(|r| r.accepted.iter())
            .min_by_key(|a| a.expires);
        if let Some(first) = first {
            account.verdict.annotation =
                Some(accepted_annotation(first, account.verdict.annotation.as_deref()));
        }
    }
}

/// What each exception did: the account-Regions with a failure it covers (accepted by it, or for
/// one not applied, failing).
pub fn exception_reports(exceptions: &Exceptions, accounts: &[&AccountVerdict]) -> Vec<ExceptionReport> {
    exceptions
        .entries
        .iter()
        .map(|(exception, standing)| {
            let count = accounts
                .iter()
                .flat_map(|a| a.regions.iter().map(move |r| (a.account.ou.as_deref(), r)))
                .filter(|(ou, region)| match standing {
                    Standing::Active => region.accepted.iter().any(|a| a.exception == exception.id),
                    _ => region
                        .findings
                        .iter()
                        .any(|f| covers(exception, &region.account_id, *ou, &region.region, f.check)),
                })
                .count();
            report(exception, standing, count)
        })
        .collect()
}

/// "accepted until 2027-03-01 (platform-team): sandbox OU without Config | <the failure>", cut to
/// Config's 256 characters.
pub fn accepted_annotation(accepted: &Accepted, failure: Option<&str>) -> String {
    let mut text = format!(
        "{}{} ({}): {}",
        crate::exceptions::ACCEPTED_PREFIX,
        accepted.until,
        accepted.owner,
        accepted.reason
    );
    if let Some(failure) = failure {
        text.push_str(" | ");
        text.push_str(failure);
    }
    fit_annotation(&text)
}

fn covers(exception: &Exception, account: &str, ou: Option<&str>, region: &str, check: CheckId) -> bool {
    let by_account = exception.accounts.iter().any(|a| a == account || a == "*");
    let by_ou = exception.ous.is_empty()
        || ou.is_some_and(|ou| {
            exception.ous.iter().any(|path| {
                ou == path
                    || ou
                        .strip_prefix(path.as_str())
                        .is_some_and(|rest| rest.starts_with('/'))
            })
        });
    let account_ok = if exception.accounts.is_empty() {
        by_ou
    } else {
        by_account && by_ou
    };
    // A whole-account verdict (every Region) is covered only by an exception for every Region.
    let region_ok = exception.regions.is_empty() || exception.regions.iter().any(|r| r == region);
    account_ok && region_ok && exception.checks.iter().any(|p| p.covers(check))
}

fn report(exception: &Exception, standing: &Standing, count: usize) -> ExceptionReport {
    let status = match standing {
        Standing::Active if count == 0 => "matches nothing: no failing account-Region it covers".to_owned(),
        Standing::Active => format!("accepted in {count} account-Region(s)"),
        Standing::Expired => format!(
            "expired on {}: not applied, {count} account-Region(s) it covered fail again",
            exception.expires_text
        ),
        Standing::BeyondCap(days) => {
            format!("ends after the {days}-day cap: not applied; set an earlier date")
        }
        Standing::UnknownChecks(names) => format!("names unknown check(s) {}: not applied", names.join(", ")),
    };
    ExceptionReport {
        id: exception.id.clone(),
        owner: exception.owner.clone(),
        until: exception.expires_text.clone(),
        applied: *standing == Standing::Active && count > 0,
        account_regions: count,
        status,
    }
}

impl RegionVerdict {
    /// Failing, and every failure accepted.
    pub fn is_accepted(&self) -> bool {
        self.verdict.compliance == Compliance::NonCompliant
            && !self.findings.is_empty()
            && self
                .findings
                .iter()
                .all(|f| self.acceptance_of(f.check).is_some())
    }

    /// The acceptance of one check's failure here.
    pub fn acceptance_of(&self, check: CheckId) -> Option<&Accepted> {
        self.accepted.iter().find(|a| a.check == check)
    }
}

impl AccountVerdict {
    /// Failing, and every failing Region's failures accepted.
    pub fn is_accepted(&self) -> bool {
        self.verdict.compliance == Compliance::NonCompliant
            && self
                .regions
                .iter()
                .filter(|r| r.verdict.compliance == Compliance::NonCompliant)
                .all(RegionVerdict::is_accepted)
    }

    /// The earliest expiry among the account's acceptances.
    pub fn accepted_until(&self) -> Option<Timestamp> {
        self.regions
            .iter()
            .flat_map(|r| r.accepted.iter())
            .map(|a| a.expires)
            .min()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Finding;
    use crate::exceptions::{DEFAULT_MAX_DAYS, parse_exceptions};
    use crate::snapshot::OrgAccount;

    const NOW: Timestamp = Timestamp::from_epoch_millis(1_796_000_000_000); // 2026-11-30

    fn account(id: &str, ou: &str, findings: &[CheckId]) -> AccountVerdict {
        let regions = ["us-east-1", "eu-west-1"]
            .iter()
            .map(|r| {
                RegionVerdict::new(
                    id,
                    r,
                    NOW,
                    findings.iter().map(|c| Finding::new(*c, "it fails")).collect(),
                )
            })
            .collect();
        let mut org = OrgAccount::unnamed(id);
        org.ou = Some(ou.to_owned());
        AccountVerdict::new(org, regions)
    }

    fn document(entries: &str) -> String {
        format!("{{\"version\": 1, \"exceptions\": [{entries}]}}")
    }

    const SCP_IN_PAYMENTS: &str = r#"{"id": "payments-migration", "ous": ["Root/workloads/payments"], "checks": ["organization.scp-denies-delivery", "channel.*"],
        "reason": "SCP rework, CHG-1234", "owner": "platform-team", "expires": "2027-01-15"}"#;

    #[test]
    fn an_accepted_failure_stays_non_compliant_and_says_until_when_and_who() {
        let exceptions = parse_exceptions(&document(SCP_IN_PAYMENTS), NOW, DEFAULT_MAX_DAYS).unwrap();
        let checks = [CheckId::SnapshotDeliveryFailure, CheckId::ScpDeniesDelivery];
        let mut accounts = vec![
            account("111111111111", "Root/workloads/payments/prod", &checks),
            account("222222222222", "Root/workloads/shop", &checks),
        ];
        let reports = apply_exceptions(&exceptions, &mut accounts);
        let [payments, shop] = accounts.as_slice() else {
            panic!()
        };
        assert_eq!(payments.verdict.compliance, Compliance::NonCompliant);
        assert!(payments.is_accepted() && !shop.is_accepted());
        let annotation = payments.verdict.annotation.as_deref().unwrap();
        assert!(
            annotation.starts_with("accepted until 2027-01-15 (platform-team): SCP rework, CHG-1234 | "),
            "{annotation}"
        );
        assert!(annotation.chars().count() <= 256);
        assert!(
            !shop
                .verdict
                .annotation
                .as_deref()
                .unwrap()
                .starts_with("accepted")
        );
        assert_eq!(reports[0].status, "accepted in 2 account-Region(s)");
    }

    #[test]
    fn an_expired_exception_can_never_hide_a_failure() {
        let exceptions = parse_exceptions(&document(SCP_IN_PAYMENTS), NOW, DEFAULT_MAX_DAYS).unwrap();
        // The same document read after its expiry.
        let later = Timestamp::from_epoch_millis(NOW.epoch_millis() + 60 * 86_400_000);
        let expired = parse_exceptions(&document(SCP_IN_PAYMENTS), later, DEFAULT_MAX_DAYS).unwrap();
        assert_eq!(expired.entries[0].1, Standing::Expired);
        let mut accounts = vec![account(
            "111111111111",
            "Root/workloads/payments",
            &[CheckId::ScpDeniesDelivery],
        )];
        apply_exceptions(&exceptions, &mut accounts);
        assert!(accounts[0].is_accepted());
        let reports = apply_exceptions(&expired, &mut accounts);
        assert!(!accounts[0].is_accepted() && accounts[0].regions.iter().all(|r| r.accepted.is_empty()));
        assert!(
            !accounts[0]
                .verdict
                .annotation
                .as_deref()
                .unwrap()
                .starts_with("accepted")
        );
        assert!(
            reports[0]
                .status
                .starts_with("expired on 2027-01-15: not applied, 2 account-Region(s)"),
            "{}",
            reports[0].status
        );
    }

    #[test]
    fn a_whole_account_failure_is_covered_only_by_an_exception_for_every_region() {
        let one_region = r#"{"id": "one", "accounts": ["111111111111"], "regions": ["eu-west-1"], "checks": ["*"],
            "reason": "r", "owner": "o", "expires": "2027-01-15"}"#;
        let exceptions = parse_exceptions(&document(one_region), NOW, DEFAULT_MAX_DAYS).unwrap();
        let unentered = RegionVerdict::new(
            "111111111111",
            crate::verdict::EVERY_REGION,
            NOW,
            vec![Finding::new(CheckId::AuditRoleUnassumable, "cannot assume")],
        );
        let mut accounts = vec![AccountVerdict::new(
            OrgAccount::unnamed("111111111111"),
            vec![unentered],
        )];
        apply_exceptions(&exceptions, &mut accounts);
        assert!(!accounts[0].is_accepted());
        let every = one_region.replace(r#""regions": ["eu-west-1"], "#, "");
        let exceptions = parse_exceptions(&document(&every), NOW, DEFAULT_MAX_DAYS).unwrap();
        apply_exceptions(&exceptions, &mut accounts);
        assert!(accounts[0].is_accepted());
    }

    #[test]
    fn a_partly_accepted_region_is_still_an_active_failure() {
        let only_scp = SCP_IN_PAYMENTS.replace(r#", "channel.*""#, "");
        let exceptions = parse_exceptions(&document(&only_scp), NOW, DEFAULT_MAX_DAYS).unwrap();
        let mut accounts = vec![account(
            "111111111111",
            "Root/workloads/payments",
            &[CheckId::SnapshotDeliveryFailure, CheckId::ScpDeniesDelivery],
        )];
        apply_exceptions(&exceptions, &mut accounts);
        assert!(!accounts[0].is_accepted());
        assert!(
            accounts[0].regions[0]
                .acceptance_of(CheckId::ScpDeniesDelivery)
                .is_some()
        );
        assert!(
            accounts[0].regions[0]
                .acceptance_of(CheckId::SnapshotDeliveryFailure)
                .is_none()
        );
    }

    #[test]
    fn what_matches_nothing_is_unknown_or_runs_past_the_cap_is_reported_and_not_applied() {
        let entries = [
            r#"{"id": "nothing", "accounts": ["333333333333"], "checks": ["*"], "reason": "decommissioning", "owner": "ops", "expires": "2027-01-01"}"#,
            r#"{"id": "typo", "accounts": ["111111111111"], "checks": ["organization.scp-denies"], "reason": "r", "owner": "o", "expires": "2027-01-01"}"#,
            r#"{"id": "forever", "accounts": ["111111111111"], "checks": ["*"], "reason": "r", "owner": "o", "expires": "2030-01-01"}"#,
        ]
        .join(",");
        let exceptions = parse_exceptions(&document(&entries), NOW, DEFAULT_MAX_DAYS).unwrap();
        let mut accounts = vec![account("111111111111", "Root", &[CheckId::ScpDeniesDelivery])];
        let reports = apply_exceptions(&exceptions, &mut accounts);
        assert!(!accounts[0].is_accepted());
        assert_eq!(
            reports[0].status,
            "matches nothing: no failing account-Region it covers"
        );
        assert_eq!(
            reports[1].status,
            "names unknown check(s) organization.scp-denies: not applied"
        );
        assert_eq!(
            reports[2].status,
            "ends after the 180-day cap: not applied; set an earlier date"
        );
        assert!(reports.iter().all(|r| !r.applied));
    }

    #[test]
    fn an_invalid_document_is_refused_with_the_entry_and_the_field() {
        let cases = [
            ("not json", "the exceptions document is not valid"),
            (r#"{"version": 2, "exceptions": []}"#, "version 2 is not known"),
            (
                &document(
                    r#"{"id": "a", "accounts": ["1"], "checks": ["*"], "reason": "r", "owner": "o", "expires": "2027-01-01"}"#,
                ),
                "exception 1 (a): account '1' is not a 12-digit account ID",
            ),
            (
                &document(
                    r#"{"id": "a", "accounts": ["111111111111"], "checks": ["*"], "reason": "r", "owner": "o"}"#,
                ),
                "missing field `expires`",
            ),
            (
                &document(
                    r#"{"id": "a", "accounts": ["*"], "checks": ["*"], "reason": "r", "owner": "o", "expires": "2027-01-01"}"#,
                ),
                "accounts \"*\" needs ous",
            ),
            (
                &document(
                    r#"{"id": "a", "accounts": ["111111111111"], "checks": ["*"], "reason": " ", "owner": "o", "expires": "2027-01-01"}"#,
                ),
                "reason is empty",
            ),
            (
                &document(
                    r#"{"id": "a", "ous": ["Root"], "checks": ["*"], "reason": "r", "owner": "o", "expires": "2027-01-01"}"#,
                ),
                "OU 'Root' is the whole Organization",
            ),
            (
                &document(
                    r#"{"id": "a", "accounts": ["111111111111"], "checks": ["*"], "reason": "r", "owner": "o", "expires": "soon"}"#,
                ),
                "expires 'soon' is not a date",
            ),
        ];
        for (text, says) in cases {
            let error = parse_exceptions(text, NOW, DEFAULT_MAX_DAYS)
                .unwrap_err()
                .to_string();
            assert!(error.contains(says), "{text}: {error}");
        }
    }
}
