//! Printing verdicts in the chosen format, and the exit status they call for.

use super::{CliError, FailOn, Format, pretty_json, print_json};
use crate::sweep::AccountSweep;
use delivery_guard_core::aws_names::partition_of;
use delivery_guard_core::exceptions::ExceptionReport;
use delivery_guard_core::outbound::asff::active_findings;
use delivery_guard_core::outbound::ocsf::{Producer, compliance_findings};
use delivery_guard_core::report::changes::{Changes, compare};
use delivery_guard_core::report::saved::{SavedScan, ScanInfo};
use delivery_guard_core::report::{Report, html, markdown, sarif, table};
use delivery_guard_core::verdict::{
    AccountVerdict, Cluster, Compliance, EVERY_REGION, FleetSummary, RegionVerdict, clusters, summarize,
};
use serde::Serialize;
use std::process::ExitCode;

/// A scan as JSON: the saved scan `report` and `--baseline` read back.
#[derive(Serialize)]
struct ScanDocument<'a> {
    scan: Option<&'a ScanInfo>,
    summary: &'a FleetSummary,
    changes: Option<&'a Changes>,
    clusters: &'a [Cluster],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    exceptions: &'a [ExceptionReport],
    accounts: &'a [AccountSweep],
}

/// The version every report names.
pub(super) const VERSION: &str = env!("CARGO_PKG_VERSION");

/// What a report says besides the verdicts: the scan, and what changed since a baseline.
pub(super) struct Context {
    /// The scan (None for `check` and `evaluate`).
    pub(super) scan: Option<ScanInfo>,
    /// The earlier scan to compare with, when one was given (already checked to be comparable).
    pub(super) baseline: Option<SavedScan>,
    /// Which failures fail the exit status.
    pub(super) fail_on: FailOn,
    /// Where "every region" verdicts are filed for ASFF and OCSF.
    pub(super) home: String,
    /// What each accepted exception did (`--exceptions`).
    pub(super) exceptions: Vec<ExceptionReport>,
}

/// `check` and `evaluate`: one verdict per account-region; the account views group them.
pub(super) fn print_regions(judgements: &[RegionVerdict], format: Format) -> Result<ExitCode, CliError> {
    let text = match format {
        Format::Table => table::table(judgements),
        Format::Json => table::json(judgements).map_err(|e| CliError::Runtime(e.to_string()))?,
        Format::Sarif | Format::Asff | Format::Html | Format::Ocsf | Format::Markdown => {
            let accounts: Vec<AccountSweep> = AccountVerdict::group(judgements)
                .into_iter()
                .map(|judged| AccountSweep {
                    judged,
                    security_hub: Vec::new(),
                })
                .collect();
            let context = Context {
                scan: None,
                baseline: None,
                fail_on: FailOn::Any,
                home: judgements.first().map(|j| j.region.clone()).unwrap_or_default(),
                exceptions: Vec::new(),
            };
            return print_accounts(&accounts, format, &context);
        }
    };
    print_out(&format!("{text}\n"));
    Ok(exit_code(
        judgements
            .iter()
            .filter(|j| !j.is_accepted())
            .map(RegionVerdict::compliance),
    ))
}

/// `scan` and `report`: one verdict per account, with the scan and its changes.
pub(super) fn print_accounts(
    results: &[AccountSweep],
    format: Format,
    context: &Context,
) -> Result<ExitCode, CliError> {
    let accounts: Vec<&AccountVerdict> = results.iter().map(|r| &r.judged).collect();
    let summary = summarize(accounts.iter().copied());
    let causes = clusters(&accounts);
    let changes = context.baseline.as_ref().map(|baseline| {
        let before: Vec<&AccountVerdict> = baseline.accounts.iter().collect();
        compare(
            &baseline.accounts,
            &baseline.scan.generated.to_string(),
            &clusters(&before),
            &accounts,
            &causes,
        )
    });
    let report = Report {
        accounts: &accounts,
        summary: &summary,
        clusters: &causes,
        scan: context.scan.as_ref(),
        changes: changes.as_ref(),
    };
    // SARIF, ASFF and OCSF speak of account-regions; "every region" is filed under the home Region.
    let judgements = || {
        accounts.iter().flat_map(|a| {
            a.regions.iter().map(move |j| {
                let mut j = j.clone();
                if j.region == EVERY_REGION {
                    context.home.clone_into(&mut j.region);
                }
                (a, j)
            })
        })
    };
    let partition = partition_of(&context.home);
    let text = match format {
        Format::Table => table::scan_table(&accounts, &summary),
        Format::Json => {
            // Written as it is serialized: at 1,000 accounts x 17 Regions a JSON value of the
            // whole scan, then its text, were several times the verdicts' own size.
            print_json(&ScanDocument {
                scan: context.scan.as_ref(),
                summary: &summary,
                changes: changes.as_ref(),
                clusters: &causes,
                exceptions: &context.exceptions,
                accounts: results,
            })?;
            return Ok(exit_status(context.fail_on, changes.as_ref(), &accounts));
        }
        Format::Sarif => pretty_json(&sarif::sarif(
            &accounts
                .iter()
                .flat_map(|a| a.regions.iter().cloned())
                .collect::<Vec<_>>(),
        ))?,
        Format::Asff => {
            let findings: Vec<_> = judgements()
                .flat_map(|(_, j)| active_findings(&j, partition))
                .collect();
            pretty_json(&findings)?
        }
        Format::Ocsf => {
            let producer = Producer {
                version: VERSION,
                partition,
            };
            let findings: Vec<_> = judgements()
                .flat_map(|(a, j)| compliance_findings(&j, &a.account.name, &producer))
                .collect();
            pretty_json(&findings)?
        }
        Format::Html => html::html(&report),
        Format::Markdown => markdown::markdown(&report),
    };
    print_out(&format!("{text}\n"));
    Ok(exit_status(context.fail_on, changes.as_ref(), &accounts))
}

/// 1 on a failure (or, with `--fail-on new`, on a new one), else 0.
fn exit_status(fail_on: FailOn, changes: Option<&Changes>, accounts: &[&AccountVerdict]) -> ExitCode {
    match (fail_on, changes) {
        (FailOn::New, Some(changes)) => {
            if changes.has_new_failures() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        // A failure an exception accepts does not fail the exit status; it is still reported.
        _ => exit_code(
            accounts
                .iter()
                .filter(|a| !a.is_accepted())
                .map(|a| a.verdict.compliance),
        ),
    }
}

/// Writes to standard output. A reader that went away (`| head`) is not an error worth a panic:
/// what was asked for has been said as far as anyone listens.
pub(super) fn print_out(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

pub(super) fn exit_code(verdicts: impl IntoIterator<Item = Compliance>) -> ExitCode {
    if verdicts.into_iter().any(|c| c == Compliance::NonCompliant) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
