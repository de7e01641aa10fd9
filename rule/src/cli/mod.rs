//! `delivery-guard`: the rule's engine from a terminal or a CI job.
//!
//! Exit status: 0 every account-region compliant, 1 any non-compliant, 2 usage or runtime error.

mod cost;
mod decide;
mod html;
mod kpi;
mod progress;
mod render;
mod sarif;

use crate::account_verdict::{EVERY_REGION, account_verdict};
use crate::asff::active_findings;
use crate::audit_role::partition_of;
use crate::clients;
use crate::collect::{ConfigReader, OrgAccount, caller_account, collect};
use crate::event::is_account_id;
use crate::judgement::{Judgement, judge_snapshot};
use crate::parameters::{
    DEFAULT_CONCURRENCY, MAX_CONCURRENCY, RuleParameters, parse_parameters, parse_regions,
};
use crate::snapshot::Snapshot;
use crate::sweep::{AccountSweep, Progress, SweepPlan, summarize, sweep};
use crate::verdict::Compliance;
use clap::{Parser, Subcommand, ValueEnum};
use serde_json::Value;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

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
    /// Judge many accounts through a read-only audit role in each: the whole Organization or a list.
    Scan {
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
    /// Decide what-if requests against policy documents with the rule's IAM evaluator (offline).
    /// Exit status 1 when a request is not decided as its `expect` says.
    Decide {
        /// A JSON file: {"policies": {name: document}, "cases": [...]}; see docs/decide.md.
        #[arg(long)]
        cases: PathBuf,
        /// table (one line per request) or json.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// The monthly cost of a deployment, every mode and reporting style side by side (offline).
    Cost {
        #[command(flatten)]
        args: cost::CostArgs,
        /// table or json.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Integrity, time to detect and time to repair from the rule's log lines (offline).
    Kpi {
        /// The rule's JSON log lines: a CloudWatch Logs export or the function's output; `-` is stdin.
        #[arg(long)]
        history: PathBuf,
        /// A JSON object of account ID to OU name, for integrity per OU.
        #[arg(long)]
        ous: Option<PathBuf>,
        /// table, json or html.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
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
    /// SARIF 2.1.0, for code-scanning dashboards.
    Sarif,
    /// AWS Security Finding Format: the findings as BatchImportFindings takes them.
    Asff,
    /// One self-contained page with an accounts x regions grid.
    Html,
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
        Command::Scan {
            org,
            accounts,
            role_name,
            external_id,
            regions,
            concurrency,
            timeout_secs,
            security_hub,
            judging,
        } => {
            let mut raw = parameters_map(&judging.parameters)?;
            raw.insert("Mode".to_owned(), Value::from("watchdog"));
            raw.insert("AuditRoleName".to_owned(), Value::from(role_name));
            if let Some(id) = external_id {
                raw.insert("AuditRoleExternalId".to_owned(), Value::from(id));
            }
            let params = parse_parameters(&raw).map_err(|e| CliError::Usage(e.to_string()))?;
            if !(1..=MAX_CONCURRENCY).contains(&concurrency) {
                return Err(CliError::Usage(format!(
                    "--concurrency must be from 1 to {MAX_CONCURRENCY}"
                )));
            }
            let scope = Scope {
                org,
                accounts,
                regions,
                concurrency,
                timeout: Duration::from_secs(timeout_secs),
                security_hub,
            };
            scan(scope, params, judging.format).await
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
        Command::Decide { cases, format } => {
            let text = std::fs::read_to_string(&cases)
                .map_err(|e| CliError::Usage(format!("cannot read {}: {e}", cases.display())))?;
            let outcomes = decide::decide_file(&text).map_err(CliError::Usage)?;
            match format {
                Format::Table => print!("{}", decide::render_table(&outcomes)),
                Format::Json => println!(
                    "{}",
                    serde_json::to_string_pretty(&outcomes).map_err(|e| CliError::Runtime(e.to_string()))?
                ),
                other => {
                    return Err(CliError::Usage(format!(
                        "decide prints table or json, not {other:?}"
                    )));
                }
            }
            Ok(if outcomes.iter().all(|o| o.holds) {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Command::Cost { args, format } => {
            let prices = args.prices().map_err(CliError::Usage)?;
            let deployment = args.deployment().map_err(CliError::Usage)?;
            match format {
                Format::Table => print!("{}", cost::table(&prices, &deployment)),
                Format::Json => println!(
                    "{}",
                    serde_json::to_string_pretty(&cost::json_report(&prices, &deployment))
                        .map_err(|e| CliError::Runtime(e.to_string()))?
                ),
                other => {
                    return Err(CliError::Usage(format!(
                        "cost prints table or json, not {other:?}"
                    )));
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Kpi { history, ous, format } => {
            let text = if history.as_os_str() == "-" {
                std::io::read_to_string(std::io::stdin())
                    .map_err(|e| CliError::Usage(format!("cannot read stdin: {e}")))?
            } else {
                std::fs::read_to_string(&history)
                    .map_err(|e| CliError::Usage(format!("cannot read {}: {e}", history.display())))?
            };
            let ous = match ous {
                None => std::collections::BTreeMap::new(),
                Some(path) => {
                    let text = std::fs::read_to_string(&path)
                        .map_err(|e| CliError::Usage(format!("cannot read {}: {e}", path.display())))?;
                    serde_json::from_str(&text).map_err(|e| {
                        CliError::Usage(format!(
                            "{} is not a JSON object of account ID to OU name: {e}",
                            path.display()
                        ))
                    })?
                }
            };
            let parsed = crate::kpi::read_history(&text);
            if parsed.observations.is_empty() {
                return Err(CliError::Usage(format!(
                    "{} holds no verdict lines (events verdict, account-verdict or tamper-verdict)",
                    history.display()
                )));
            }
            let kpis = crate::kpi::compute(&parsed, &ous);
            match format {
                Format::Table => print!("{}", kpi::table(&kpis, parsed.skipped_lines)),
                Format::Json => println!(
                    "{}",
                    serde_json::to_string_pretty(&kpis).map_err(|e| CliError::Runtime(e.to_string()))?
                ),
                Format::Html => print!("{}", kpi::html(&kpis)),
                other => {
                    return Err(CliError::Usage(format!(
                        "kpi prints table, json or html, not {other:?}"
                    )));
                }
            }
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
    parse_parameters(&parameters_map(text)?).map_err(|e| CliError::Usage(e.to_string()))
}

fn parameters_map(text: &str) -> Result<serde_json::Map<String, Value>, CliError> {
    let value: Value =
        serde_json::from_str(text).map_err(|e| CliError::Usage(format!("--parameters is not JSON: {e}")))?;
    match value {
        Value::Object(map) => Ok(map),
        _ => Err(CliError::Usage("--parameters must be a JSON object".to_owned())),
    }
}

/// What `scan` covers and how.
struct Scope {
    org: bool,
    accounts: Vec<String>,
    regions: String,
    concurrency: usize,
    timeout: Duration,
    security_hub: bool,
}

async fn scan(scope: Scope, params: RuleParameters, format: Format) -> Result<ExitCode, CliError> {
    let sdk = clients::load(None).await;
    let home = sdk.region().map(ToString::to_string);
    let regions = match scope.regions.trim() {
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
    let accounts = if scope.org {
        clients::organization_reader_or_own(&sdk, &params)
            .await
            .active_accounts()
            .await
            .map_err(|why| {
                CliError::Runtime(format!(
                    "cannot list the Organization's accounts: ListAccounts {}: {}",
                    why.kind.describe(),
                    why.message
                ))
            })?
    } else {
        if let Some(bad) = scope.accounts.iter().find(|a| !is_account_id(a)) {
            return Err(CliError::Usage(format!(
                "--accounts: '{bad}' is not a 12-digit account ID"
            )));
        }
        let mut ids = scope.accounts.clone();
        ids.sort();
        ids.dedup();
        ids.into_iter()
            .map(|id| OrgAccount {
                id,
                name: String::new(),
            })
            .collect()
    };
    let accounts: Vec<OrgAccount> = accounts
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
        concurrency: scope.concurrency,
        deadline: tokio::time::Instant::now() + scope.timeout,
        security_hub: scope.security_hub,
    };
    let progress = Arc::new(Progress::default());
    let display = progress::start(Arc::clone(&progress));
    let results = sweep(&sdk, plan, progress).await;
    progress::finish(display).await;
    print_sweep(&results, format, &home)
}

async fn read_pipelines(target: &Target, params: &RuleParameters) -> Result<Vec<Snapshot>, CliError> {
    let sdk = clients::load(target.regions.first().cloned()).await;
    let regions = if target.regions.is_empty() {
        let region = sdk.region().ok_or_else(|| {
            CliError::Usage("no region: pass --regions or set AWS_REGION / a profile region".to_owned())
        })?;
        vec![region.to_string()]
    } else {
        if let Some(bad) = target
            .regions
            .iter()
            .find(|r| !crate::parameters::is_region_name(r))
        {
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
        let reader = ConfigReader::new(clients::config_client(&sdk, &region, clients::Retries::Shared));
        let probes = clients::probe_readers(&sdk, &region, clients::Retries::Shared);
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
        Format::Sarif | Format::Asff | Format::Html => {
            let home = judgements.first().map(|j| j.region.clone()).unwrap_or_default();
            return print_sweep(&by_account(judgements), format, &home);
        }
    };
    println!("{text}");
    Ok(exit_code(judgements.iter().map(|j| j.compliance)))
}

fn print_sweep(results: &[AccountSweep], format: Format, home: &str) -> Result<ExitCode, CliError> {
    let judgements: Vec<Judgement> = results.iter().flat_map(|r| r.judgements.clone()).collect();
    let summary = summarize(results);
    let pretty =
        |value: &Value| serde_json::to_string_pretty(value).map_err(|e| CliError::Runtime(e.to_string()));
    let text = match format {
        Format::Table => render::scan_table(results, &summary),
        Format::Json => pretty(&serde_json::json!({"summary": summary, "accounts": results}))?,
        Format::Sarif => pretty(&sarif::sarif(&judgements))?,
        Format::Asff => {
            let partition = partition_of(home);
            let findings: Vec<_> = judgements
                .iter()
                .flat_map(|j| {
                    // "Every region" has no ASFF region: file it under the home region.
                    let mut j = j.clone();
                    if j.region == EVERY_REGION {
                        home.clone_into(&mut j.region);
                    }
                    active_findings(&j, partition)
                })
                .collect();
            pretty(&serde_json::json!(findings))?
        }
        Format::Html => html::html(results, &summary),
    };
    println!("{text}");
    Ok(exit_code(results.iter().map(|r| r.verdict.compliance)))
}

/// `check` and `evaluate` judge account-regions; the account views group them.
fn by_account(judgements: &[Judgement]) -> Vec<AccountSweep> {
    let mut ids: Vec<&str> = judgements.iter().map(|j| j.account_id.as_str()).collect();
    ids.dedup();
    ids.into_iter()
        .map(|id| {
            let own: Vec<Judgement> = judgements
                .iter()
                .filter(|j| j.account_id == id)
                .cloned()
                .collect();
            AccountSweep {
                account: OrgAccount {
                    id: id.to_owned(),
                    name: String::new(),
                },
                verdict: account_verdict(&own),
                judgements: own,
                security_hub: Vec::new(),
            }
        })
        .collect()
}

fn exit_code(verdicts: impl IntoIterator<Item = Compliance>) -> ExitCode {
    if verdicts.into_iter().any(|c| c == Compliance::NonCompliant) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
