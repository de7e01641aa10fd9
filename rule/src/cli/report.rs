//! `delivery-guard report`: a saved scan printed again in any format, offline; with `--baseline`,
//! what changed between two saved scans.

use super::output::{Context, print_accounts};
use super::{CliError, Compare, Format, read_input};
use crate::sweep::AccountSweep;
use delivery_guard_core::report::saved::read_saved_scan;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub(super) struct ReportArgs {
    /// The scan's JSON report (`delivery-guard scan --format json`); `-` is stdin.
    scan: PathBuf,
    #[command(flatten)]
    compare: Compare,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

pub(super) fn run(args: &ReportArgs) -> Result<ExitCode, CliError> {
    let name = args.scan.display().to_string();
    let saved =
        read_saved_scan(&name, &read_input(&args.scan)?).map_err(|e| CliError::Usage(e.to_string()))?;
    let baseline = args.compare.baseline(&saved.scan)?;
    let results: Vec<AccountSweep> = saved
        .accounts
        .iter()
        .map(|judged| AccountSweep {
            judged: judged.clone(),
            security_hub: Vec::new(),
        })
        .collect();
    let context = Context {
        home: saved.scan.home_region.clone(),
        scan: Some(saved.scan),
        baseline,
        fail_on: args.compare.fail_on,
    };
    print_accounts(&results, args.format, &context)
}
