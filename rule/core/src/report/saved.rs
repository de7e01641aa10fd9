//! A scan as its JSON report saves it: what was scanned, when, by which version, and the verdicts.
//! `delivery-guard report` renders a saved scan again in any format; `--baseline` compares with one.

use crate::timestamp::Timestamp;
use crate::verdict::AccountVerdict;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The name every report gives its writer.
pub const TOOL: &str = "config-delivery-guard";

/// What a scan was: shown in every format, and what `--baseline` checks before comparing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScanInfo {
    /// Always [`TOOL`].
    pub tool: String,
    /// The version that judged: check IDs and their meaning are compared only within one.
    pub version: String,
    /// When the scan finished.
    pub generated: Timestamp,
    /// The Organization scanned; None when the accounts are in none (or it could not be read).
    pub organization_id: Option<String>,
    /// `--org`, or the listed accounts.
    pub scope: String,
    /// Where the scan ran from: whole-account verdicts are filed here for Security Hub.
    pub home_region: String,
    /// The Regions asked for (`all`: each account's enabled Regions).
    pub regions: Vec<String>,
    /// The rule parameters the scan judged with.
    pub parameters: Map<String, Value>,
}

/// A saved scan, read back.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct SavedScan {
    /// What was scanned.
    pub scan: ScanInfo,
    /// Every account judged, with its Regions.
    pub accounts: Vec<AccountVerdict>,
}

/// Why a saved scan cannot be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SavedScanError {
    /// Not JSON, or not a scan's JSON report.
    #[error("{0} is not a scan report (`delivery-guard scan --format json`): {1}")]
    Malformed(String, String),
    /// Written by another version: its checks may not mean what ours do.
    #[error(
        "{0} was written by {TOOL} {1}, this is {2}: check IDs and verdicts are compared within one version; scan again with this one to start a new baseline"
    )]
    OtherVersion(String, String, String),
    /// Another Organization's scan.
    #[error("{0} is a scan of {1}, this scan is of {2}: a baseline compares one Organization with itself")]
    OtherOrganization(String, String, String),
}

/// Reads a saved scan; `name` says which file in errors.
pub fn read_saved_scan(name: &str, text: &str) -> Result<SavedScan, SavedScanError> {
    let saved: SavedScan =
        serde_json::from_str(text).map_err(|e| SavedScanError::Malformed(name.to_owned(), e.to_string()))?;
    if saved.scan.tool != TOOL {
        return Err(SavedScanError::Malformed(
            name.to_owned(),
            format!("written by '{}', not {TOOL}", saved.scan.tool),
        ));
    }
    Ok(saved)
}

/// A baseline must come from this version and this Organization.
pub fn check_baseline(name: &str, baseline: &ScanInfo, now: &ScanInfo) -> Result<(), SavedScanError> {
    if baseline.version != now.version {
        return Err(SavedScanError::OtherVersion(
            name.to_owned(),
            baseline.version.clone(),
            now.version.clone(),
        ));
    }
    if baseline.organization_id != now.organization_id {
        let said = |org: &Option<String>| org.clone().unwrap_or_else(|| "no Organization".to_owned());
        return Err(SavedScanError::OtherOrganization(
            name.to_owned(),
            said(&baseline.organization_id),
            said(&now.organization_id),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(version: &str, org: Option<&str>) -> ScanInfo {
        ScanInfo {
            tool: TOOL.to_owned(),
            version: version.to_owned(),
            generated: Timestamp::from_epoch_millis(0),
            organization_id: org.map(str::to_owned),
            scope: "organization".to_owned(),
            home_region: "us-east-1".to_owned(),
            regions: vec!["us-east-1".to_owned()],
            parameters: Map::new(),
        }
    }

    #[test]
    fn a_baseline_of_another_version_or_organization_is_refused_by_name() {
        let now = info("0.2.0", Some("o-aaaaaaaaaa"));
        assert_eq!(
            check_baseline("b.json", &info("0.2.0", Some("o-aaaaaaaaaa")), &now),
            Ok(())
        );
        let older = check_baseline("b.json", &info("0.1.0", Some("o-aaaaaaaaaa")), &now).unwrap_err();
        assert!(
            older
                .to_string()
                .contains("b.json was written by config-delivery-guard 0.1.0, this is 0.2.0")
        );
        let other = check_baseline("b.json", &info("0.2.0", Some("o-bbbbbbbbbb")), &now).unwrap_err();
        assert!(
            other
                .to_string()
                .contains("a scan of o-bbbbbbbbbb, this scan is of o-aaaaaaaaaa")
        );
        let none = check_baseline("b.json", &info("0.2.0", None), &now).unwrap_err();
        assert!(none.to_string().contains("no Organization"));
    }

    #[test]
    fn what_is_not_a_scan_report_says_why() {
        let err = read_saved_scan("x.json", "{\"summary\":{}}").unwrap_err();
        assert!(matches!(err, SavedScanError::Malformed(..)), "{err}");
        assert!(err.to_string().contains("missing field `scan`"), "{err}");
        let err = read_saved_scan("x.json", "not json").unwrap_err();
        assert!(err.to_string().starts_with("x.json is not a scan report"));
    }
}
