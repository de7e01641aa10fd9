//! `--exceptions FILE`: the accepted-exceptions document applied to what the command judged. An
//! invalid document is an error (exit 2): from a terminal or a CI job it is better to stop than to
//! report as if the file said nothing. What each exception did goes to standard error.

use super::{CliError, read_input};
use delivery_guard_core::exceptions::{
    ExceptionReport, Exceptions, accept_region, apply_exceptions, exception_reports, parse_exceptions,
};
use delivery_guard_core::timestamp::Timestamp;
use delivery_guard_core::verdict::{AccountVerdict, RegionVerdict};
use std::path::Path;

/// The document, or none when no file is named.
pub(super) fn read(path: Option<&Path>, max_days: u32) -> Result<Exceptions, CliError> {
    let Some(path) = path else {
        return Ok(Exceptions::default());
    };
    parse_exceptions(&read_input(path)?, Timestamp::now(), max_days)
        .map_err(|why| CliError::Usage(format!("--exceptions {}: {why}", path.display())))
}

/// `check` and `evaluate`: the current account's Regions (its OU is not read, so OU-scoped
/// exceptions do not apply).
pub(super) fn apply_to_regions(exceptions: &Exceptions, judgements: &mut [RegionVerdict]) {
    if exceptions.entries.is_empty() {
        return;
    }
    for judgement in judgements.iter_mut() {
        accept_region(exceptions, judgement, None);
    }
    let accounts = AccountVerdict::group(judgements);
    let judged: Vec<&AccountVerdict> = accounts.iter().collect();
    say(&exception_reports(exceptions, &judged));
}

/// `report`: a saved scan's accounts, judged again against the document as it stands now.
pub(super) fn apply_to_accounts(
    exceptions: &Exceptions,
    accounts: &mut [AccountVerdict],
) -> Vec<ExceptionReport> {
    if exceptions.entries.is_empty() {
        return Vec::new();
    }
    let reports = apply_exceptions(exceptions, accounts);
    say(&reports);
    reports
}

/// `scan`: the sweep accepted as it went; what each exception did.
pub(super) fn reports_of(exceptions: &Exceptions, accounts: &[&AccountVerdict]) -> Vec<ExceptionReport> {
    if exceptions.entries.is_empty() {
        return Vec::new();
    }
    let reports = exception_reports(exceptions, accounts);
    say(&reports);
    reports
}

fn say(reports: &[ExceptionReport]) {
    for report in reports {
        eprintln!(
            "delivery-guard: exception {} ({}, until {}): {}",
            report.id, report.owner, report.until, report.status
        );
    }
}
