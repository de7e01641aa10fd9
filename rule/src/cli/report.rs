//! `delivery-guard report`: a saved scan printed again in any format, offline; with `--baseline`,
//! what changed between two saved scans.

use super::output::{Context, exit_code, print_accounts, print_out};
use super::{CliError, Compare, Format, accepted, read_input};
use crate::sweep::AccountSweep;
use delivery_guard_core::checks::requirements::Framework;
use delivery_guard_core::exceptions::DEFAULT_MAX_DAYS;
use delivery_guard_core::parameters::parse_parameters;
use delivery_guard_core::report::framework::{framework_html, framework_markdown, framework_view};
use delivery_guard_core::report::saved::{SavedScan, read_saved_scan};
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
    /// An accepted-exceptions document, applied as it stands now (docs/exceptions.md).
    #[arg(long, value_name = "FILE")]
    exceptions: Option<PathBuf>,
    /// One framework's view instead: each control the checks map to, with the accounts and Regions
    /// passing, failing and not evaluated (Markdown, or HTML with --format html). One of:
    /// cis-aws-1.2.0, cis-aws-1.4.0, cis-aws-3.0.0, cis-aws-5.0.0, nist-800-53-r5, pci-dss-3.2.1.
    #[arg(long, value_name = "NAME")]
    framework: Option<String>,
}

pub(super) fn run(args: &ReportArgs) -> Result<ExitCode, CliError> {
    let name = args.scan.display().to_string();
    let mut saved =
        read_saved_scan(&name, &read_input(&args.scan)?).map_err(|e| CliError::Usage(e.to_string()))?;
    let max_days =
        parse_parameters(&saved.scan.parameters).map_or(DEFAULT_MAX_DAYS, |p| p.exception_max_days);
    let exceptions = accepted::read(args.exceptions.as_deref(), max_days)?;
    let reports = accepted::apply_to_accounts(&exceptions, &mut saved.accounts);
    if let Some(name) = &args.framework {
        return print_framework(name, args.format, &saved);
    }
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
        exceptions: reports,
    };
    print_accounts(&results, args.format, &context)
}

/// `--framework`: the saved scan per control of one framework. Its exit status is the scan's.
fn print_framework(name: &str, format: Format, saved: &SavedScan) -> Result<ExitCode, CliError> {
    let framework = Framework::from_slug(name).ok_or_else(|| {
        let known: Vec<&str> = Framework::ALL.iter().map(|f| f.slug()).collect();
        CliError::Usage(format!(
            "unknown framework '{name}': use one of {}",
            known.join(", ")
        ))
    })?;
    let view = framework_view(framework, &saved.accounts);
    let text = match format {
        Format::Html => framework_html(framework, Some(&saved.scan), &view),
        Format::Table | Format::Markdown => framework_markdown(framework, Some(&saved.scan), &view),
        Format::Json | Format::Sarif | Format::Asff | Format::Ocsf => {
            return Err(CliError::Usage(
                "--framework prints Markdown (--format markdown or table) or HTML (--format html); the other formats carry each check's requirements already".to_owned(),
            ));
        }
    };
    print_out(&format!("{text}\n"));
    Ok(exit_code(saved.accounts.iter().map(|a| a.verdict.compliance)))
}
