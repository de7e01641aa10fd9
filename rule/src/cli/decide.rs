//! `delivery-guard decide`: what-if requests decided against policy documents by the rule's own
//! IAM evaluator (docs/decide.md). Exit status 1 when a request is not decided as expected.

use super::output::print_out;
use super::{CliError, Format, format_name, pretty_json, read_input};
use delivery_guard_core::policy::decision_file::{decide_file, render_table};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub(super) struct DecideArgs {
    /// A JSON file: {"policies": {name: document}, "cases": [...]}; see docs/decide.md.
    #[arg(long)]
    cases: PathBuf,
    /// table (one line per request) or json.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

pub(super) fn run(args: &DecideArgs) -> Result<ExitCode, CliError> {
    let text = read_input(&args.cases)?;
    let outcomes = decide_file(&text).map_err(|e| CliError::Usage(e.to_string()))?;
    match args.format {
        Format::Table => print_out(&render_table(&outcomes)),
        Format::Json => print_out(&format!("{}\n", pretty_json(&outcomes)?)),
        other => {
            return Err(CliError::Usage(format!(
                "--format {}: decide prints table or json (--format table or --format json)",
                format_name(other)
            )));
        }
    }
    Ok(if outcomes.iter().all(|o| o.holds) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
