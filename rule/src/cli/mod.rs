//! `delivery-guard`: the rule's engine from a terminal or a CI job.
//!
//! Exit status: 0 every account-region compliant, 1 any non-compliant, 2 usage or runtime error.

mod render;

use crate::clients;
use crate::collect::{ConfigReader, caller_account, collect};
use crate::judgement::{Judgement, judge_snapshot};
use crate::parameters::{RuleParameters, parse_parameters};
use crate::snapshot::Snapshot;
use crate::verdict::Compliance;
use clap::{Parser, Subcommand, ValueEnum};
use serde_json::Value;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(name = "delivery-guard", version, about = "Judge AWS Config delivery pipelines", long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Judge the current account's pipeline in the chosen regions.
    Check {
        #[command(flatten)]
        target: Target,
        #[command(flatten)]
        judging: Judging,
    },
    /// Read the pipeline and write the snapshot as JSON (for `evaluate`, a ticket or a bug report).
    Collect {
        #[command(flatten)]
        target: Target,
        /// Where to write the snapshot; `-` is standard output.
        #[arg(long, short, default_value = "-")]
        output: PathBuf,
        /// Rule parameters; collection uses LogArchiveReadRoleArn.
        #[arg(long, default_value = "{}")]
        parameters: String,
    },
    /// Judge a saved snapshot offline: no AWS calls, no credentials.
    Evaluate {
        /// A file written by `collect`.
        #[arg(long)]
        snapshot: PathBuf,
        #[command(flatten)]
        judging: Judging,
    },
}

#[derive(Debug, clap::Args)]
struct Target {
    /// Comma-separated regions; default: the region of the AWS profile or environment.
    #[arg(long, value_delimiter = ',')]
    regions: Vec<String>,
}

#[derive(Debug, clap::Args)]
struct Judging {
    /// Rule parameters as the rule takes them, e.g. '{"ExpectedBucket":"central-config-logs"}'.
    #[arg(long, default_value = "{}")]
    parameters: String,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Table,
    Json,
}

#[derive(Debug, thiserror::Error)]
enum CliError {
    #[error("{0}")]
    Usage(String),
    #[error("{0}")]
    Runtime(String),
}

pub async fn run(cli: Cli) -> ExitCode {
    match execute(cli).await {
        Ok(code) => code,
        Err(err) => {
            eprintln!("delivery-guard: {err}");
            ExitCode::from(2)
        }
    }
}

async fn execute(cli: Cli) -> Result<ExitCode, CliError> {
    match cli.command {
        Command::Check { target, judging } => {
            let params = parameters(&judging.parameters)?;
            let snapshots = read_pipelines(&target, &params).await?;
            let judgements: Vec<Judgement> = snapshots.iter().map(|s| judge_snapshot(s, &params)).collect();
            print(&judgements, judging.format)
        }
        Command::Collect {
            target,
            output,
            parameters: text,
        } => {
            let snapshots = read_pipelines(&target, &parameters(&text)?).await?;
            let json =
                serde_json::to_string_pretty(&snapshots).map_err(|e| CliError::Runtime(e.to_string()))?;
            write_output(&output, &json)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Evaluate { snapshot, judging } => {
            let params = parameters(&judging.parameters)?;
            let snapshots = read_snapshots(&snapshot)?;
            let judgements: Vec<Judgement> = snapshots.iter().map(|s| judge_snapshot(s, &params)).collect();
            print(&judgements, judging.format)
        }
    }
}

fn parameters(text: &str) -> Result<RuleParameters, CliError> {
    let value: Value =
        serde_json::from_str(text).map_err(|e| CliError::Usage(format!("--parameters is not JSON: {e}")))?;
    let Value::Object(map) = value else {
        return Err(CliError::Usage("--parameters must be a JSON object".to_owned()));
    };
    parse_parameters(&map).map_err(|e| CliError::Usage(e.to_string()))
}

async fn read_pipelines(target: &Target, params: &RuleParameters) -> Result<Vec<Snapshot>, CliError> {
    let sdk = clients::load(target.regions.first().cloned()).await;
    let regions = if target.regions.is_empty() {
        let region = sdk.region().ok_or_else(|| {
            CliError::Usage("no region: pass --regions or set AWS_REGION / a profile region".to_owned())
        })?;
        vec![region.to_string()]
    } else {
        if let Some(bad) = target.regions.iter().find(|r| !is_region_name(r)) {
            return Err(CliError::Usage(format!(
                "--regions: '{bad}' is not an AWS region name such as us-east-1"
            )));
        }
        target.regions.clone()
    };
    let account_id = caller_account(&aws_sdk_sts::Client::new(&sdk))
        .await
        .map_err(|why| {
            CliError::Runtime(format!(
                "cannot tell which account this is: {} {}: {}",
                why.call,
                why.kind.describe(),
                why.message
            ))
        })?;
    // Regions are independent: read them all at once, then report in the order asked.
    let mut reads = tokio::task::JoinSet::new();
    for (index, region) in regions.into_iter().enumerate() {
        let reader = ConfigReader::new(clients::config_client(&sdk, &region));
        let probes = clients::probe_readers(&sdk, &region);
        let delegated = clients::delegated_readers(&sdk, &region, params).await;
        let account_id = account_id.clone();
        reads.spawn(async move {
            let snapshot = collect(&reader, Some(&probes), &delegated, &account_id, &region).await;
            (index, snapshot)
        });
    }
    let mut snapshots: Vec<(usize, Snapshot)> = Vec::new();
    while let Some(joined) = reads.join_next().await {
        snapshots.push(joined.map_err(|e| CliError::Runtime(format!("a region's read stopped: {e}")))?);
    }
    snapshots.sort_by_key(|(index, _)| *index);
    Ok(snapshots.into_iter().map(|(_, snapshot)| snapshot).collect())
}

/// `us-east-1`, `eu-central-2`, `us-gov-west-1`, `ap-southeast-7`: letters, hyphens, a final number.
fn is_region_name(name: &str) -> bool {
    let mut parts = name.split('-');
    let first_ok = parts
        .next()
        .is_some_and(|p| p.len() == 2 && p.bytes().all(|b| b.is_ascii_lowercase()));
    let rest: Vec<&str> = parts.collect();
    let (last, middle) = match rest.split_last() {
        Some((last, middle)) if !middle.is_empty() => (last, middle),
        _ => return false,
    };
    first_ok
        && middle
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
        && !last.is_empty()
        && last.bytes().all(|b| b.is_ascii_digit())
}

fn read_snapshots(path: &PathBuf) -> Result<Vec<Snapshot>, CliError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| CliError::Usage(format!("cannot read {}: {e}", path.display())))?;
    // `collect` writes a list; a single snapshot object is accepted too.
    let value: Value = serde_json::from_str(&text)
        .map_err(|e| CliError::Usage(format!("{} is not JSON: {e}", path.display())))?;
    let parsed = match value {
        Value::Array(_) => serde_json::from_value::<Vec<Snapshot>>(value),
        other => serde_json::from_value::<Snapshot>(other).map(|s| vec![s]),
    };
    parsed.map_err(|e| {
        CliError::Usage(format!(
            "{} is not a delivery-guard snapshot: {e}",
            path.display()
        ))
    })
}

fn write_output(path: &PathBuf, text: &str) -> Result<(), CliError> {
    if path.as_os_str() == "-" {
        println!("{text}");
        return Ok(());
    }
    std::fs::write(path, format!("{text}\n"))
        .map_err(|e| CliError::Runtime(format!("cannot write {}: {e}", path.display())))
}

fn print(judgements: &[Judgement], format: Format) -> Result<ExitCode, CliError> {
    let text = match format {
        Format::Table => render::table(judgements),
        Format::Json => render::json(judgements).map_err(|e| CliError::Runtime(e.to_string()))?,
    };
    println!("{text}");
    let failing = judgements
        .iter()
        .any(|j| j.compliance == Compliance::NonCompliant);
    Ok(if failing {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

#[cfg(test)]
mod tests {
    use super::is_region_name;

    #[test]
    fn region_names() {
        for good in [
            "us-east-1",
            "eu-central-2",
            "us-gov-west-1",
            "ap-southeast-7",
            "cn-north-1",
        ] {
            assert!(is_region_name(good), "{good}");
        }
        for bad in [
            "all",
            "us-east",
            "US-EAST-1",
            "us--1",
            "useast1",
            "",
            "us-east-1a",
        ] {
            assert!(!is_region_name(bad), "{bad}");
        }
    }
}
