//! `delivery-guard collect`: read the pipeline and write the snapshot as JSON, for `evaluate`, a
//! ticket or a bug report.

use super::check::read_pipelines;
use super::output::print_out;
use super::{CliError, Target, parameters, pretty_json};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub(super) struct CollectArgs {
    #[command(flatten)]
    target: Target,
    /// Where to write the snapshot; `-` is standard output.
    #[arg(long, short, default_value = "-")]
    output: PathBuf,
    /// Rule parameters; collection uses LogArchiveReadRoleArn.
    #[arg(long, default_value = "{}")]
    parameters: String,
}

pub(super) async fn run(args: CollectArgs) -> Result<ExitCode, CliError> {
    let snapshots = read_pipelines(&args.target, &parameters(&args.parameters)?).await?;
    let json = pretty_json(&snapshots)?;
    if args.output.as_os_str() == "-" {
        print_out(&format!("{json}\n"));
    } else {
        std::fs::write(&args.output, format!("{json}\n"))
            .map_err(|e| CliError::Runtime(format!("cannot write {}: {e}", args.output.display())))?;
    }
    Ok(ExitCode::SUCCESS)
}
