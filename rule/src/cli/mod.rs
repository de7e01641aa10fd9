//! `delivery-guard`: the rule's engine from a terminal or a CI job. One file per subcommand; this
//! file holds the command line's shape and what the subcommands share.
//!
//! Exit status: 0 every account-region compliant, 1 any non-compliant, 2 usage or runtime error.

mod accepted;
mod check;
mod collect;
mod cost;
mod decide;
mod evaluate;
mod first_call;
mod kpi;
mod output;
mod progress;
mod report;
mod scan;

use clap::{Parser, Subcommand, ValueEnum};
use delivery_guard_core::parameters::{RuleParameters, parse_parameters};
use serde_json::Value;
use std::path::Path;
use std::process::ExitCode;

/// The command line, parsed.
#[derive(Debug, Parser)]
#[command(
    name = "delivery-guard",
    version,
    about = "Judge AWS Config delivery pipelines",
    long_about = None,
    after_help = "Exit status: 0 every account-region judged is compliant; 1 any is not (for decide: a request not decided as expected; with --fail-on new: a failure the baseline did not have); 2 a usage error, or the first call could not be made (no credentials, no connection)."
)]
pub struct Cli {
    /// Errors carry the AWS SDK's own details.
    #[arg(short, long, global = true)]
    verbose: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Judge the current account's pipeline in the chosen regions.
    Check(check::CheckArgs),
    /// Judge many accounts through a read-only audit role in each: the whole Organization or a list.
    Scan(scan::ScanArgs),
    /// Read the pipeline and write the snapshot as JSON (for `evaluate`, a ticket or a bug report).
    Collect(collect::CollectArgs),
    /// Decide what-if requests against policy documents with the rule's IAM evaluator (offline).
    /// Exit status 1 when a request is not decided as its `expect` says.
    Decide(decide::DecideArgs),
    /// The monthly cost of a deployment, every mode and reporting style side by side (offline).
    Cost(cost::CostCommand),
    /// Integrity, time to detect and time to repair from the rule's log lines (offline).
    Kpi(kpi::KpiArgs),
    /// Judge a saved snapshot offline: no AWS calls, no credentials.
    Evaluate(evaluate::EvaluateArgs),
    /// Print a saved scan (`scan --format json`) again in any format, and what changed since a
    /// baseline (offline).
    Report(report::ReportArgs),
}

/// The regions `check` and `collect` read.
#[derive(Debug, clap::Args)]
struct Target {
    /// Comma-separated regions; default: the region of the AWS profile or environment.
    #[arg(long, value_delimiter = ',')]
    regions: Vec<String>,
}

/// How verdicts are judged and printed.
#[derive(Debug, clap::Args)]
struct Judging {
    /// Rule parameters as the rule takes them, e.g. '{"ExpectedBucket":"central-config-logs"}'.
    #[arg(long, default_value = "{}")]
    parameters: String,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// An accepted-exceptions document (docs/exceptions.md): failures it covers are shown apart as
    /// accepted, with the days left, and do not fail the exit status; an invalid one is an error.
    #[arg(long, value_name = "FILE")]
    exceptions: Option<std::path::PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Table,
    Json,
    /// SARIF 2.1.0, for code-scanning dashboards.
    Sarif,
    /// AWS Security Finding Format: the findings as BatchImportFindings takes them.
    Asff,
    /// One self-contained page: root causes, OUs and an accounts x Regions grid, with filters.
    Html,
    /// OCSF 1.1.0 Compliance Findings, for Amazon Security Lake and SIEMs.
    Ocsf,
    /// A summary for a CI job or a pull-request comment (at most 60 KB).
    Markdown,
}

/// Which failures make the exit status 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FailOn {
    /// Any account-region failing.
    Any,
    /// Only account-regions failing now that did not in the baseline (needs --baseline).
    New,
}

/// Comparing with an earlier scan.
#[derive(Debug, clap::Args)]
struct Compare {
    /// An earlier scan's JSON report: new failures, fixed, still failing, root causes that grew
    /// or shrank. Refused if another version or another Organization wrote it.
    #[arg(long)]
    baseline: Option<std::path::PathBuf>,
    /// `new`: exit 1 only for failures the baseline did not have (for CI).
    #[arg(long, value_enum, default_value_t = FailOn::Any, requires = "baseline")]
    fail_on: FailOn,
}

impl Compare {
    /// The baseline, if one was given, once it is known to be comparable with this scan.
    fn baseline(
        &self,
        scan: &delivery_guard_core::report::saved::ScanInfo,
    ) -> Result<Option<delivery_guard_core::report::saved::SavedScan>, CliError> {
        use delivery_guard_core::report::saved;
        let Some(path) = &self.baseline else {
            return Ok(None);
        };
        let name = path.display().to_string();
        let baseline =
            saved::read_saved_scan(&name, &read_input(path)?).map_err(|e| CliError::Usage(e.to_string()))?;
        saved::check_baseline(&name, &baseline.scan, scan).map_err(|e| CliError::Usage(e.to_string()))?;
        Ok(Some(baseline))
    }
}

#[derive(Debug, thiserror::Error)]
enum CliError {
    #[error("{0}")]
    Usage(String),
    #[error("{0}")]
    Runtime(String),
}

/// Runs the command; errors are printed and exit 2.
pub async fn run(cli: Cli) -> ExitCode {
    first_call::set_verbose(cli.verbose);
    let result = match cli.command {
        Command::Check(args) => check::run(args).await,
        Command::Scan(args) => scan::run(args).await,
        Command::Collect(args) => collect::run(args).await,
        Command::Decide(args) => decide::run(&args),
        Command::Cost(args) => cost::run(&args),
        Command::Kpi(args) => kpi::run(&args),
        Command::Evaluate(args) => evaluate::run(&args),
        Command::Report(args) => report::run(&args),
    };
    result.unwrap_or_else(|err| {
        eprintln!("delivery-guard: {err}");
        ExitCode::from(2)
    })
}

fn parameters(text: &str) -> Result<RuleParameters, CliError> {
    parse_parameters(&parameters_map(text)?).map_err(|e| CliError::Usage(parameter_error(&e)))
}

/// A rule parameter refused, with where every parameter is described.
fn parameter_error(error: &delivery_guard_core::parameters::ParameterError) -> String {
    format!("--parameters: {error} (every parameter and its values: docs/parameters.md)")
}

/// A format as `--format` names it.
fn format_name(format: Format) -> String {
    format
        .to_possible_value()
        .map_or_else(|| format!("{format:?}"), |value| value.get_name().to_owned())
}

/// What `--parameters` looks like, for the messages that refuse one.
const PARAMETERS_EXAMPLE: &str =
    r#"--parameters '{"ExpectedBucket":"my-config-logs","Regions":"us-east-1,eu-west-1"}'"#;

fn parameters_map(text: &str) -> Result<serde_json::Map<String, Value>, CliError> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        CliError::Usage(format!(
            "--parameters is not JSON ({e}): pass an object, such as {PARAMETERS_EXAMPLE}"
        ))
    })?;
    match value {
        Value::Object(map) => Ok(map),
        _ => Err(CliError::Usage(format!(
            "--parameters must be a JSON object of parameter names to values, such as {PARAMETERS_EXAMPLE}"
        ))),
    }
}

/// A file's text; `-` is standard input.
fn read_input(path: &Path) -> Result<String, CliError> {
    if path.as_os_str() == "-" {
        return std::io::read_to_string(std::io::stdin())
            .map_err(|e| CliError::Usage(format!("cannot read stdin: {e}")));
    }
    std::fs::read_to_string(path).map_err(|e| CliError::Usage(format!("cannot read {}: {e}", path.display())))
}

fn pretty_json(value: &impl serde::Serialize) -> Result<String, CliError> {
    serde_json::to_string_pretty(value).map_err(|e| CliError::Runtime(e.to_string()))
}

/// Pretty JSON written to standard output as it is serialized, then a newline. A reader that went
/// away (`| head`) is not an error, as in `output::print_out`.
fn print_json(value: &impl serde::Serialize) -> Result<(), CliError> {
    use std::io::Write;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match serde_json::to_writer_pretty(&mut out, value) {
        Ok(()) => {
            let _ = out.write_all(b"\n").and_then(|()| out.flush());
            Ok(())
        }
        Err(err) if err.is_io() => Ok(()),
        Err(err) => Err(CliError::Runtime(err.to_string())),
    }
}
