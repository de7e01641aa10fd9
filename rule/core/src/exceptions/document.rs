//! The accepted-exceptions document: what each exception covers (accounts or OUs, Regions,
//! checks), why, who owns it and when it ends. Read as JSON; a document that breaks a rule below is
//! refused whole with the entry and field named, so a typo never widens what is accepted.

use crate::checks::CheckId;
use crate::timestamp::Timestamp;
use serde::Deserialize;

/// The cap on how far ahead an exception may end, unless the rule's `ExceptionMaxDays` says less
/// or more.
pub const DEFAULT_MAX_DAYS: u32 = 180;
const DAY_MILLIS: i64 = 86_400_000;

/// The document as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    version: u32,
    exceptions: Vec<RawException>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawException {
    id: String,
    #[serde(default)]
    accounts: Vec<String>,
    #[serde(default)]
    ous: Vec<String>,
    #[serde(default)]
    regions: Vec<String>,
    checks: Vec<String>,
    reason: String,
    owner: String,
    expires: String,
}

/// Which checks an exception covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckPattern {
    /// Every check (`*`).
    All,
    /// One area (`recorder.*`).
    Area(String),
    /// One check.
    One(CheckId),
}

impl CheckPattern {
    /// Whether the pattern covers `check`.
    pub fn covers(&self, check: CheckId) -> bool {
        match self {
            Self::All => true,
            Self::Area(area) => check.id().split('.').next() == Some(area.as_str()),
            Self::One(one) => *one == check,
        }
    }
}

/// One accepted exception.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exception {
    /// Its name, unique in the document.
    pub id: String,
    /// Account IDs, or `*` (only with `ous`); empty: the OUs decide.
    pub accounts: Vec<String>,
    /// OU paths as scans show them (`Root/sandbox`), covering their sub-OUs.
    pub ous: Vec<String>,
    /// Regions; empty or `*`: every Region.
    pub regions: Vec<String>,
    /// The checks.
    pub checks: Vec<CheckPattern>,
    /// Why the failure is accepted.
    pub reason: String,
    /// Who answers for it.
    pub owner: String,
    /// When it stops applying (a date means its first instant, UTC).
    pub expires: Timestamp,
    /// `expires` as written.
    pub expires_text: String,
}

/// Whether an exception applies now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    /// It applies until it expires.
    Active,
    /// Its expiry has passed: the failures it covered are active again.
    Expired,
    /// It ends further ahead than the cap allows: not applied.
    BeyondCap(u32),
    /// It names checks the catalogue does not have: not applied.
    UnknownChecks(Vec<String>),
}

/// A read document: every exception with its standing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Exceptions {
    /// In document order.
    pub entries: Vec<(Exception, Standing)>,
}

/// Why a document was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExceptionsError {
    /// Not JSON of the document's shape.
    #[error("the exceptions document is not valid: {0}")]
    Malformed(String),
    /// One entry breaks a rule.
    #[error("exception {index} ({id}): {problem}")]
    Entry {
        /// Its position, from 1.
        index: usize,
        /// Its id as written.
        id: String,
        /// What is wrong.
        problem: String,
    },
}

/// Reads a document at `now`, with exceptions capped at `max_days` ahead.
pub fn parse_exceptions(text: &str, now: Timestamp, max_days: u32) -> Result<Exceptions, ExceptionsError> {
    let raw: Raw = serde_json::from_str(text).map_err(|e| ExceptionsError::Malformed(e.to_string()))?;
    if raw.version != 1 {
        return Err(ExceptionsError::Malformed(format!(
            "version {} is not known (this release reads version 1)",
            raw.version
        )));
    }
    let mut entries: Vec<(Exception, Standing)> = Vec::new();
    for (at, entry) in raw.exceptions.into_iter().enumerate() {
        let index = at + 1;
        let id = entry.id.clone();
        let refuse = |problem: String| ExceptionsError::Entry {
            index,
            id: id.clone(),
            problem,
        };
        if entries.iter().any(|(e, _)| e.id == entry.id) {
            return Err(refuse("another exception has this id".to_owned()));
        }
        let (exception, unknown) = validate(entry).map_err(refuse)?;
        let cap = now
            .epoch_millis()
            .saturating_add(i64::from(max_days).saturating_mul(DAY_MILLIS));
        let standing = if !unknown.is_empty() {
            Standing::UnknownChecks(unknown)
        } else if exception.expires.epoch_millis() <= now.epoch_millis() {
            Standing::Expired
        } else if exception.expires.epoch_millis() > cap {
            Standing::BeyondCap(max_days)
        } else {
            Standing::Active
        };
        entries.push((exception, standing));
    }
    Ok(Exceptions { entries })
}

/// One entry's rules; the check names the catalogue does not know come back apart.
fn validate(entry: RawException) -> Result<(Exception, Vec<String>), String> {
    let text = |field: &str, value: &str| {
        if value.trim().is_empty() {
            Err(format!("{field} is empty: every exception says it"))
        } else {
            Ok(())
        }
    };
    text("id", &entry.id)?;
    text("reason", &entry.reason)?;
    text("owner", &entry.owner)?;
    if entry.accounts.is_empty() && entry.ous.is_empty() {
        return Err("names no accounts and no OUs: say what it covers".to_owned());
    }
    for account in &entry.accounts {
        let digits = account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit());
        if account == "*" && entry.ous.is_empty() {
            return Err(
                "accounts \"*\" needs ous: an exception for every account of the Organization is not one"
                    .to_owned(),
            );
        }
        if !digits && account != "*" {
            return Err(format!(
                "account '{account}' is not a 12-digit account ID or \"*\""
            ));
        }
    }
    for ou in &entry.ous {
        if ou == "Root" {
            return Err(
                "OU 'Root' is the whole Organization: an exception for every account is not one".to_owned(),
            );
        }
        if !ou.starts_with("Root/") || ou.ends_with('/') {
            return Err(format!(
                "OU '{ou}' is not an OU path as scans show it (Root/workloads/prod)"
            ));
        }
    }
    for region in &entry.regions {
        let valid = region == "*"
            || (region.contains('-')
                && region
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'));
        if !valid {
            return Err(format!("region '{region}' is not a Region name or \"*\""));
        }
    }
    if entry.checks.is_empty() {
        return Err("names no checks: list check IDs, an area (\"recorder.*\") or \"*\"".to_owned());
    }
    let mut checks = Vec::new();
    let mut unknown = Vec::new();
    for name in &entry.checks {
        match check_pattern(name) {
            Some(pattern) => checks.push(pattern),
            None => unknown.push(name.clone()),
        }
    }
    let expires = expiry(&entry.expires)?;
    Ok((
        Exception {
            id: entry.id,
            accounts: entry.accounts,
            ous: entry.ous,
            regions: entry.regions.into_iter().filter(|r| r != "*").collect(),
            checks,
            reason: entry.reason,
            owner: entry.owner,
            expires,
            expires_text: entry.expires,
        },
        unknown,
    ))
}

fn check_pattern(name: &str) -> Option<CheckPattern> {
    if name == "*" {
        return Some(CheckPattern::All);
    }
    if let Some(area) = name.strip_suffix(".*") {
        let known = CheckId::ALL
            .iter()
            .any(|c| c.id().split('.').next() == Some(area));
        return known.then(|| CheckPattern::Area(area.to_owned()));
    }
    CheckId::from_id(name).map(CheckPattern::One)
}

/// `2027-03-01` (its first instant, UTC) or an RFC 3339 time.
fn expiry(text: &str) -> Result<Timestamp, String> {
    let full = if text.len() == 10 {
        format!("{text}T00:00:00Z")
    } else {
        text.to_owned()
    };
    Timestamp::parse_rfc3339(&full)
        .map_err(|_| format!("expires '{text}' is not a date (2027-03-01) or an RFC 3339 time"))
}

/// Whole days from `now` until `until`, rounded up (an exception ending in an hour has 1 day left).
pub fn days_left(now: Timestamp, until: Timestamp) -> i64 {
    let millis = until.epoch_millis().saturating_sub(now.epoch_millis());
    if millis <= 0 {
        0
    } else {
        (millis + DAY_MILLIS - 1) / DAY_MILLIS
    }
}
