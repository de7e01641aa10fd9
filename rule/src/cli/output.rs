//! Printing verdicts in the chosen format, and the exit status they call for.

use super::{CliError, Format, pretty_json};
use crate::sweep::AccountSweep;
use delivery_guard_core::aws_names::partition_of;
use delivery_guard_core::outbound::asff::active_findings;
use delivery_guard_core::report::{html, sarif, table};
use delivery_guard_core::verdict::{
    AccountVerdict, Compliance, EVERY_REGION, RegionVerdict, clusters, summarize,
};
use std::process::ExitCode;

/// `check` and `evaluate`: one verdict per account-region; the account views group them.
pub(super) fn print_regions(judgements: &[RegionVerdict], format: Format) -> Result<ExitCode, CliError> {
    let text = match format {
        Format::Table => table::table(judgements),
        Format::Json => table::json(judgements).map_err(|e| CliError::Runtime(e.to_string()))?,
        Format::Sarif | Format::Asff | Format::Html => {
            let home = judgements.first().map(|j| j.region.clone()).unwrap_or_default();
            let accounts: Vec<AccountSweep> = AccountVerdict::group(judgements)
                .into_iter()
                .map(|judged| AccountSweep {
                    judged,
                    security_hub: Vec::new(),
                })
                .collect();
            return print_accounts(&accounts, format, &home);
        }
    };
    print_out(&format!("{text}\n"));
    Ok(exit_code(judgements.iter().map(RegionVerdict::compliance)))
}

/// `scan`: one verdict per account; `home` files "every region" verdicts for ASFF.
pub(super) fn print_accounts(
    results: &[AccountSweep],
    format: Format,
    home: &str,
) -> Result<ExitCode, CliError> {
    let accounts: Vec<&AccountVerdict> = results.iter().map(|r| &r.judged).collect();
    let summary = summarize(accounts.iter().copied());
    // SARIF and ASFF speak of account-regions; only they need the flat list.
    let judgements = || accounts.iter().flat_map(|a| a.regions.iter());
    let text = match format {
        Format::Table => table::scan_table(&accounts, &summary),
        Format::Json => pretty_json(&serde_json::json!({
            "summary": summary,
            "clusters": clusters(&accounts),
            "accounts": results,
        }))?,
        Format::Sarif => pretty_json(&sarif::sarif(&judgements().cloned().collect::<Vec<_>>()))?,
        Format::Asff => {
            let partition = partition_of(home);
            let findings: Vec<_> = judgements()
                .flat_map(|j| {
                    // "Every region" has no ASFF region: file it under the home region.
                    let mut j = j.clone();
                    if j.region == EVERY_REGION {
                        home.clone_into(&mut j.region);
                    }
                    active_findings(&j, partition)
                })
                .collect();
            pretty_json(&findings)?
        }
        Format::Html => html::html(&accounts, &summary),
    };
    print_out(&format!("{text}\n"));
    Ok(exit_code(accounts.iter().map(|a| a.verdict.compliance)))
}

/// Writes to standard output. A reader that went away (`| head`) is not an error worth a panic:
/// what was asked for has been said as far as anyone listens.
pub(super) fn print_out(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

fn exit_code(verdicts: impl IntoIterator<Item = Compliance>) -> ExitCode {
    if verdicts.into_iter().any(|c| c == Compliance::NonCompliant) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
