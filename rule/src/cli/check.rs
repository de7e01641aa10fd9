//! `delivery-guard check`: read and judge the current account's pipeline in the chosen regions.

use super::output::print_regions;
use super::{CliError, Judging, Target, accepted, first_call, parameters};
use crate::aws::clients::{self, Retries};
use crate::aws::read::{ConfigReader, caller_account, collect};
use delivery_guard_core::aws_names::is_region_name;
use delivery_guard_core::parameters::RuleParameters;
use delivery_guard_core::snapshot::Snapshot;
use delivery_guard_core::verdict::{RegionVerdict, judge_snapshot};
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub(super) struct CheckArgs {
    #[command(flatten)]
    target: Target,
    #[command(flatten)]
    judging: Judging,
}

pub(super) async fn run(args: CheckArgs) -> Result<ExitCode, CliError> {
    let params = parameters(&args.judging.parameters)?;
    let exceptions = accepted::read(args.judging.exceptions.as_deref(), params.exception_max_days)?;
    let snapshots = read_pipelines(&args.target, &params).await?;
    let mut judgements: Vec<RegionVerdict> = snapshots.iter().map(|s| judge_snapshot(s, &params)).collect();
    accepted::apply_to_regions(&exceptions, &mut judgements);
    print_regions(&judgements, args.judging.format)
}

/// The current account's pipeline in each region, read at once, returned in the order asked.
pub(super) async fn read_pipelines(
    target: &Target,
    params: &RuleParameters,
) -> Result<Vec<Snapshot>, CliError> {
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
            let endpoint = first_call::sts_endpoint(sdk.region().map(|r| r.as_ref()));
            CliError::Runtime(first_call::explain(
                "cannot tell which account this is",
                &why,
                &endpoint,
            ))
        })?;
    let mut reads = tokio::task::JoinSet::new();
    for (index, region) in regions.into_iter().enumerate() {
        let reader = ConfigReader::new(clients::config_client(&sdk, &region, Retries::Shared));
        let probes = clients::probe_readers(&sdk, &region, Retries::Shared);
        let delegated = clients::delegated_readers(&sdk, &region, params).await;
        let account_id = account_id.clone();
        reads.spawn(async move {
            let snapshot = collect(&reader, Some(&probes), &delegated, &account_id, &region).await;
            (index, snapshot)
        });
    }
    let mut snapshots: Vec<(usize, Snapshot)> = Vec::new();
    while let Some(joined) = reads.join_next().await {
        snapshots.push(joined.map_err(|e| {
            CliError::Runtime(format!(
                "a Region's read stopped unexpectedly ({e}); this is a bug: run again with -v and report the output"
            ))
        })?);
    }
    snapshots.sort_by_key(|(index, _)| *index);
    Ok(snapshots.into_iter().map(|(_, snapshot)| snapshot).collect())
}
