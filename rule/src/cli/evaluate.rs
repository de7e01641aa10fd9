//! `delivery-guard evaluate`: judge a saved snapshot offline, with no AWS calls and no credentials.

use super::output::print_regions;
use super::{CliError, Judging, accepted, parameters, read_input};
use delivery_guard_core::snapshot::Snapshot;
use delivery_guard_core::verdict::{RegionVerdict, judge_snapshot};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub(super) struct EvaluateArgs {
    /// A file written by `collect`.
    #[arg(long)]
    snapshot: PathBuf,
    #[command(flatten)]
    judging: Judging,
}

pub(super) fn run(args: &EvaluateArgs) -> Result<ExitCode, CliError> {
    let params = parameters(&args.judging.parameters)?;
    let exceptions = accepted::read(args.judging.exceptions.as_deref(), params.exception_max_days)?;
    let snapshots = read_snapshots(&args.snapshot)?;
    let mut judgements: Vec<RegionVerdict> = snapshots.iter().map(|s| judge_snapshot(s, &params)).collect();
    accepted::apply_to_regions(&exceptions, &mut judgements);
    print_regions(&judgements, args.judging.format)
}

/// How to get a snapshot, for the messages that refuse a file.
const WRITE_ONE: &str = "`delivery-guard collect --output snapshot.json` writes one";

/// `collect` writes a list; a single snapshot object is accepted too.
fn read_snapshots(path: &Path) -> Result<Vec<Snapshot>, CliError> {
    let text = read_input(path)?;
    let value: Value = serde_json::from_str(&text)
        .map_err(|e| CliError::Usage(format!("{} is not JSON ({e}): {WRITE_ONE}", path.display())))?;
    let parsed = match value {
        Value::Array(_) => serde_json::from_value::<Vec<Snapshot>>(value),
        other => serde_json::from_value::<Snapshot>(other).map(|s| vec![s]),
    };
    parsed.map_err(|e| {
        CliError::Usage(format!(
            "{} is not a delivery-guard snapshot ({e}): {WRITE_ONE}",
            path.display()
        ))
    })
}
