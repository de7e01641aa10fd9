//! `delivery-guard kpi`: integrity, time to detect and time to repair from the rule's log lines.

use super::output::print_out;
use super::{CliError, Format, format_name, pretty_json, read_input};
use delivery_guard_core::kpi::{compute, read_history};
use delivery_guard_core::report::kpi::{html, table};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub(super) struct KpiArgs {
    /// The rule's JSON log lines: a CloudWatch Logs export or the function's output; `-` is stdin.
    #[arg(long)]
    history: PathBuf,
    /// A JSON object of account ID to OU name, for integrity per OU.
    #[arg(long)]
    ous: Option<PathBuf>,
    /// table, json or html.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

pub(super) fn run(args: &KpiArgs) -> Result<ExitCode, CliError> {
    let text = read_input(&args.history)?;
    let ous: BTreeMap<String, String> = match &args.ous {
        None => BTreeMap::new(),
        Some(path) => serde_json::from_str(&read_input(path)?).map_err(|e| {
            CliError::Usage(format!(
                "{} is not a JSON object of account ID to OU name ({e}), such as {{\"111122223333\": \"Root/workloads\"}}",
                path.display()
            ))
        })?,
    };
    let parsed = read_history(&text);
    if parsed.observations.is_empty() {
        return Err(CliError::Usage(format!(
            "{} holds no verdict lines (events verdict, account-verdict or tamper-verdict): pass the rule \
             function's log, a CloudWatch Logs export of its log group or the output of `aws logs \
             filter-log-events --log-group-name /aws/lambda/<function>` (docs/cli.md)",
            args.history.display()
        )));
    }
    let kpis = compute(&parsed, &ous);
    match args.format {
        Format::Table => print_out(&table(&kpis, &parsed.unreadable)),
        Format::Json => {
            // The KPIs at the top level, as before; the lines that could not be read beside them.
            let mut value = serde_json::to_value(&kpis).map_err(|e| CliError::Runtime(e.to_string()))?;
            if let Some(object) = value.as_object_mut() {
                object.insert(
                    "unreadable_lines".to_owned(),
                    serde_json::json!(parsed.unreadable),
                );
            }
            print_out(&format!("{}\n", pretty_json(&value)?));
        }
        Format::Html => print_out(&html(&kpis, &parsed.unreadable)),
        other => {
            return Err(CliError::Usage(format!(
                "--format {}: kpi prints table, json or html",
                format_name(other)
            )));
        }
    }
    Ok(ExitCode::SUCCESS)
}
