//! `delivery-guard scan`: many accounts judged through a read-only audit role in each, the whole
//! Organization or a list, with the watchdog's sweep.

use super::output::{Context, VERSION, print_accounts};
use super::{CliError, Compare, Judging, accepted, parameters_map, progress};
use crate::aws::clients;
use crate::aws::read::OrganizationsReader;
use crate::sweep::{Progress, SweepPlan, sweep};
use delivery_guard_core::aws_names::{is_account_id, partition_of};
use delivery_guard_core::parameters::{
    DEFAULT_CONCURRENCY, MAX_CONCURRENCY, RuleParameters, parse_parameters, parse_regions,
};
use delivery_guard_core::report::saved::{ScanInfo, TOOL};
use delivery_guard_core::snapshot::{Observed, OrgAccount};
use delivery_guard_core::timestamp::Timestamp;
use delivery_guard_core::verdict::AccountVerdict;
use serde_json::Value;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, clap::Args)]
pub(super) struct ScanArgs {
    /// Every ACTIVE account of the Organization (needs Organizations read access, or
    /// OrganizationReadRoleArn in --parameters).
    #[arg(long, conflicts_with = "accounts", required_unless_present = "accounts")]
    org: bool,
    /// Comma-separated account IDs.
    #[arg(long, value_delimiter = ',')]
    accounts: Vec<String>,
    /// The audit role to assume in each account.
    #[arg(long)]
    role_name: String,
    /// The external ID the audit role's trust policy requires.
    #[arg(long)]
    external_id: Option<String>,
    /// Comma-separated regions, or `all` for each account's enabled regions; default: the
    /// region of the AWS profile or environment.
    #[arg(long, default_value = "")]
    regions: String,
    /// Account-regions judged at once.
    #[arg(long, default_value_t = DEFAULT_CONCURRENCY)]
    concurrency: usize,
    /// Stop reading after this many seconds; what is left is reported "cannot verify".
    #[arg(long, default_value_t = 840)]
    timeout_secs: u64,
    /// Also import the findings into each account's Security Hub (BatchImportFindings).
    #[arg(long)]
    security_hub: bool,
    #[command(flatten)]
    judging: Judging,
    #[command(flatten)]
    compare: Compare,
}

pub(super) async fn run(args: ScanArgs) -> Result<ExitCode, CliError> {
    let params = watchdog_parameters(&args)?;
    if !(1..=MAX_CONCURRENCY).contains(&args.concurrency) {
        return Err(CliError::Usage(format!(
            "--concurrency must be from 1 to {MAX_CONCURRENCY}"
        )));
    }
    let exceptions = Arc::new(accepted::read(
        args.judging.exceptions.as_deref(),
        params.exception_max_days,
    )?);
    let sdk = clients::load(None).await;
    let home = sdk.region().map(ToString::to_string);
    let regions = match args.regions.trim() {
        "all" => None,
        "" => Some(vec![home.clone().ok_or_else(|| {
            CliError::Usage("no region: pass --regions or set AWS_REGION / a profile region".to_owned())
        })?]),
        list => Some(parse_regions(list).map_err(|e| CliError::Usage(format!("--regions: {e}")))?),
    };
    // Account and STS calls go to the home region; `all` needs one to start from.
    let home = home.or_else(|| regions.as_ref().and_then(|r| r.first().cloned()));
    let home = home.ok_or_else(|| {
        CliError::Usage("no region: set AWS_REGION or a profile region for --regions all".to_owned())
    })?;
    let sdk = sdk
        .to_builder()
        .region(aws_config::Region::new(home.clone()))
        .build();
    // The Organization a baseline must share; unread, the scan says "no Organization" and a
    // baseline that names one is refused rather than compared blindly.
    let organizations = clients::organization_reader_or_own(&sdk, &params).await;
    let organization_id = match organizations.organization().await.0 {
        Observed::Read(id) => id,
        Observed::Unreadable(why) => {
            eprintln!(
                "delivery-guard: the Organization's ID is not known: DescribeOrganization {}",
                why.brief()
            );
            None
        }
    };
    let asked_regions = regions.clone().unwrap_or_else(|| vec!["all".to_owned()]);
    // Saved with the report and shown in its HTML: the external ID is said to be set, not what it is.
    let mut parameters = parameters_map(&args.judging.parameters)?;
    if let Some(id) = parameters.get_mut("AuditRoleExternalId") {
        *id = Value::from("(set)");
    }
    let accounts: Vec<OrgAccount> = accounts(&args, &organizations)
        .await?
        .into_iter()
        .filter(|a| params.shard.is_none_or(|shard| shard.holds(&a.id)))
        .collect();
    let plan = SweepPlan {
        accounts,
        regions,
        role_name: params.audit_role_name.clone().unwrap_or_default(),
        external_id: params.audit_role_external_id.clone(),
        partition: partition_of(&home).to_owned(),
        params,
        concurrency: args.concurrency,
        deadline: tokio::time::Instant::now() + Duration::from_secs(args.timeout_secs),
        security_hub: args.security_hub,
        exceptions: Arc::clone(&exceptions),
    };
    let progress = Arc::new(Progress::default());
    let display = progress::start(Arc::clone(&progress));
    let results = sweep(&sdk, plan, progress).await;
    progress::finish(display).await;
    let judged: Vec<&AccountVerdict> = results.iter().map(|r| &r.judged).collect();
    let reports = accepted::reports_of(&exceptions, &judged);
    let scan = ScanInfo {
        tool: TOOL.to_owned(),
        version: VERSION.to_owned(),
        generated: Timestamp::now(),
        organization_id,
        scope: if args.org {
            "the Organization's accounts".to_owned()
        } else {
            format!("{} listed account(s)", results.len())
        },
        home_region: home.clone(),
        regions: asked_regions,
        parameters,
    };
    let baseline = args.compare.baseline(&scan)?;
    let context = Context {
        scan: Some(scan),
        baseline,
        fail_on: args.compare.fail_on,
        home,
        exceptions: reports,
    };
    print_accounts(&results, args.judging.format, &context)
}

/// The rule's parameters in watchdog mode, with the command line's audit role.
fn watchdog_parameters(args: &ScanArgs) -> Result<RuleParameters, CliError> {
    let mut raw = parameters_map(&args.judging.parameters)?;
    raw.insert("Mode".to_owned(), Value::from("watchdog"));
    raw.insert("AuditRoleName".to_owned(), Value::from(args.role_name.clone()));
    if let Some(id) = &args.external_id {
        raw.insert("AuditRoleExternalId".to_owned(), Value::from(id.clone()));
    }
    parse_parameters(&raw).map_err(|e| CliError::Usage(super::parameter_error(&e)))
}

/// The Organization's ACTIVE accounts, or the listed ones, sorted and once each.
async fn accounts(args: &ScanArgs, organizations: &OrganizationsReader) -> Result<Vec<OrgAccount>, CliError> {
    if args.org {
        let (accounts, ous_unread) = organizations.active_accounts_placed().await.map_err(|why| {
            CliError::Runtime(super::first_call::explain(
                "cannot list the Organization's accounts",
                &why,
                "Organizations",
            ))
        })?;
        if let Some(why) = ous_unread {
            eprintln!(
                "delivery-guard: OUs not shown, and exceptions that name OUs do not apply: {} {}: {}; \
                 grant organizations:ListRoots, ListOrganizationalUnitsForParent and ListAccountsForParent \
                 to the role that lists the accounts (OrganizationReadRoleArn, or these credentials)",
                why.call,
                why.kind.describe(),
                why.message
            );
        }
        return Ok(accounts);
    }
    if let Some(bad) = args.accounts.iter().find(|a| !is_account_id(a)) {
        return Err(CliError::Usage(format!(
            "--accounts: '{bad}' is not a 12-digit account ID"
        )));
    }
    let mut ids = args.accounts.clone();
    ids.sort();
    ids.dedup();
    Ok(ids.iter().map(|id| OrgAccount::unnamed(id)).collect())
}
