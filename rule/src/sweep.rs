//! Many account-regions judged through each member's audit role (watchdog mode and `scan`):
//! bounded concurrency, one deadline for everything, and an account that cannot be entered or
//! read in time reported "cannot verify", never skipped.

use crate::aws::clients::{self, GlobalReaders, Retries};
use crate::aws::read::{ConfigReader, DelegatedReaders, OrganizationsReader, TrailReader, collect};
use crate::aws::write::security_hub::{self, HubSummary};
use aws_config::SdkConfig;
use delivery_guard_core::aws_names::role_arn;
use delivery_guard_core::checks::{CheckId, Finding};
use delivery_guard_core::exceptions::{Exceptions, accept_region, annotate_account};
use delivery_guard_core::parameters::RuleParameters;
use delivery_guard_core::snapshot::trails::{EventPathEvidence, TrailEvidence, TrailRecording};
use delivery_guard_core::snapshot::{Observed, OrgAccount, Unreadable};
use delivery_guard_core::verdict::{AccountVerdict, EVERY_REGION, RegionVerdict, judge_snapshot, unjudged};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use tokio::sync::{Mutex, OnceCell, Semaphore};
use tokio::task::JoinSet;
use tokio::time::{Instant, timeout_at};

/// What a sweep covers and how.
#[derive(Debug, Clone)]
pub struct SweepPlan {
    /// The accounts to judge.
    pub accounts: Vec<OrgAccount>,
    /// None: each account's enabled regions, listed through its audit role.
    pub regions: Option<Vec<String>>,
    /// The audit role's name in each account.
    pub role_name: String,
    /// The external ID its trust policy requires.
    pub external_id: Option<String>,
    /// The partition of the home Region.
    pub partition: String,
    /// The rule parameters each account-region is judged with.
    pub params: RuleParameters,
    /// Account-regions (and role assumptions) in flight at once.
    pub concurrency: usize,
    /// Work not finished by then is reported "cannot verify".
    pub deadline: Instant,
    /// Also publish the findings to each account's Security Hub.
    pub security_hub: bool,
    /// The accepted exceptions each account-Region's failures are matched against.
    pub exceptions: Arc<Exceptions>,
}

impl SweepPlan {
    /// The plan the rule's parameters describe: the watchdog's run, or the event path's one account.
    pub fn from_parameters(
        params: &RuleParameters,
        accounts: Vec<OrgAccount>,
        regions: Option<Vec<String>>,
        home_region: &str,
        deadline: Instant,
    ) -> Self {
        Self {
            accounts,
            regions,
            role_name: params.audit_role_name.clone().unwrap_or_default(),
            external_id: params.audit_role_external_id.clone(),
            partition: delivery_guard_core::aws_names::partition_of(home_region).to_owned(),
            params: params.clone(),
            concurrency: params.max_concurrency,
            deadline,
            security_hub: params.security_hub_findings,
            exceptions: Arc::default(),
        }
    }
}

/// One account swept: its verdict and what publishing its findings to Security Hub did.
#[derive(Debug, Clone, Serialize)]
pub struct AccountSweep {
    /// The account, its verdict and its region verdicts.
    #[serde(flatten)]
    pub judged: AccountVerdict,
    /// Per Region, when `SecurityHubFindings` is on.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub security_hub: Vec<HubOutcome>,
}

/// Security Hub's outcome in one Region.
#[derive(Debug, Clone, Serialize)]
pub struct HubOutcome {
    /// The Region.
    pub region: String,
    /// Published, or why not.
    #[serde(flatten)]
    pub result: HubResult,
}

/// Security Hub published, or failed.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HubResult {
    /// What was imported and resolved.
    Published(HubSummary),
    /// Why it failed.
    Failed(Unreadable),
}

impl HubOutcome {
    /// Why not everything reached Security Hub, if it did not.
    pub fn shortfall(&self) -> Option<String> {
        match &self.result {
            HubResult::Published(summary) if summary.failed == 0 => None,
            HubResult::Published(summary) => Some(format!(
                "{}: {} finding(s) refused ({})",
                self.region,
                summary.failed,
                summary.first_error.as_deref().unwrap_or("no reason given")
            )),
            HubResult::Failed(why) => Some(format!("{}: {} {}", self.region, why.call, why.brief())),
        }
    }
}

/// Counters a progress display reads while the sweep runs.
#[derive(Debug, Default)]
pub struct Progress {
    /// Account-regions finished.
    pub done: AtomicUsize,
    /// Account-regions planned.
    pub total: AtomicUsize,
}

struct Context {
    sdk: SdkConfig,
    plan: SweepPlan,
    permits: Semaphore,
    /// Accounts entered and not yet finished. Entering costs one call and each entered account
    /// holds its session and clients (about 90 KB), so without a bound every account was entered
    /// within the first second of a sweep and held until its last Region was judged: 1,000
    /// accounts held 90 MB (docs/benchmarks.md).
    open_accounts: Semaphore,
    progress: Arc<Progress>,
    delegates: Mutex<HashMap<String, DelegatedReaders>>,
    /// Organizations as the parameters' reader role (or ourselves): one for every Region, so
    /// each SCP and RCP level is read once per sweep.
    organization: OnceCell<OrganizationsReader>,
    /// What each trail records, by ARN: the Organization's trail is read once per sweep, not once
    /// per member.
    recordings: Mutex<HashMap<String, Arc<OnceCell<TrailRecording>>>>,
}

impl Context {
    /// Readers acting through the parameters' roles, built once per region and shared.
    async fn delegates(&self, region: &str) -> DelegatedReaders {
        let mut cache = self.delegates.lock().await;
        if let Some(found) = cache.get(region) {
            return found.clone();
        }
        let log_archive = clients::parameters_log_archive(&self.sdk, region, &self.plan.params).await;
        let organization = self
            .organization
            .get_or_init(|| async {
                clients::organization_reader_or_own(&self.sdk, &self.plan.params)
                    .await
                    .remembering()
            })
            .await
            .clone();
        let readers = DelegatedReaders {
            log_archive,
            organization: Some(organization),
        };
        cache.insert(region.to_owned(), readers.clone());
        readers
    }

    /// The trails that apply to the reader's Region and what each records.
    async fn event_path(&self, reader: &TrailReader) -> EventPathEvidence {
        let trails = match reader.trails().await {
            Observed::Read(trails) => trails,
            Observed::Unreadable(why) => return Observed::Unreadable(why),
        };
        let mut evidence = Vec::with_capacity(trails.len());
        for trail in trails {
            let cell = {
                let mut cache = self.recordings.lock().await;
                Arc::clone(cache.entry(trail.arn.clone()).or_default())
            };
            // A failed read is not kept: the next member tries again.
            let recording = cell
                .get_or_try_init(|| async {
                    match reader.recording(&trail).await {
                        Observed::Read(recording) => Ok(recording),
                        Observed::Unreadable(why) => Err(why),
                    }
                })
                .await
                .map_or_else(Observed::Unreadable, |r| Observed::Read(r.clone()));
            evidence.push(TrailEvidence { trail, recording });
        }
        Observed::Read(evidence)
    }
}

/// Judges every account-region of the plan; each account gets a verdict, even one not entered.
pub async fn sweep(sdk: &SdkConfig, plan: SweepPlan, progress: Arc<Progress>) -> Vec<AccountSweep> {
    if let Some(regions) = &plan.regions {
        progress
            .total
            .fetch_add(plan.accounts.len() * regions.len(), Ordering::Relaxed);
    }
    let accounts = plan.accounts.clone();
    let context = Arc::new(Context {
        sdk: sdk.clone(),
        permits: Semaphore::new(plan.concurrency.max(1)),
        open_accounts: Semaphore::new(open_accounts(&plan)),
        plan,
        progress,
        delegates: Mutex::new(HashMap::new()),
        organization: OnceCell::new(),
        recordings: Mutex::new(HashMap::new()),
    });
    let mut tasks = JoinSet::new();
    for (index, account) in accounts.iter().cloned().enumerate() {
        let context = Arc::clone(&context);
        tasks.spawn(async move { (index, sweep_account(context, account).await) });
    }
    let mut results: Vec<Option<AccountSweep>> = vec![None; accounts.len()];
    while let Some(joined) = tasks.join_next().await {
        if let Ok((index, result)) = joined
            && let Some(slot) = results.get_mut(index)
        {
            *slot = Some(result);
        }
    }
    // A task that stopped (it cannot panic, but a runtime shutdown can cancel it) still gets a row.
    accounts
        .into_iter()
        .zip(results)
        .map(|(account, result)| {
            result.unwrap_or_else(|| {
                let finding = Finding::new(
                    CheckId::DeadlineReached,
                    "cannot verify: the account's sweep stopped before it finished",
                );
                whole_account(&context, account, finding)
            })
        })
        .collect()
}

/// Enough accounts open that their Regions fill every permit twice over, so a permit never waits
/// for an account to be entered: 8 for 64 permits and 17 Regions. One per permit when each
/// account's Regions are listed only once it is entered.
fn open_accounts(plan: &SweepPlan) -> usize {
    let permits = plan.concurrency.max(1);
    match &plan.regions {
        Some(regions) if !regions.is_empty() => {
            permits.div_ceil(regions.len()).saturating_mul(2).min(permits)
        }
        _ => permits,
    }
}

/// One account: entered through its audit role, its Regions listed (or given), each Region judged.
/// What could not be entered or listed is a verdict for every Region, never a skip.
async fn sweep_account(context: Arc<Context>, account: OrgAccount) -> AccountSweep {
    let _open = context.open_accounts.acquire().await.ok();
    let session = match enter(&context, &account).await {
        Ok(session) => session,
        Err(finding) => return whole_account(&context, account, finding),
    };
    let regions = match regions_of(&context, &account, &session).await {
        Ok(regions) => regions,
        Err(finding) => return whole_account(&context, account, finding),
    };
    // IAM and Organizations answer the same in every Region: one client each for the account,
    // and its Organization read once.
    let mut global = clients::global_probe_readers(&session, Retries::Member(&account.id));
    global.organizations = global.organizations.remembering();
    let member = Arc::new(Member { session, global });
    let (judgements, security_hub) = judge_regions(&context, &member, &account, &regions).await;
    let mut judged = AccountVerdict::new(account, judgements);
    annotate_account(&mut judged);
    AccountSweep { judged, security_hub }
}

/// The member's audit role, assumed. Every account and Region is a task from the start, waiting
/// for a permit; what a task does once it holds one is boxed then, so that a waiting task costs
/// a few hundred bytes, not the tens of kilobytes of the SDK calls' futures (1,000 x 17 waiting
/// tasks held 1.1 GB).
async fn enter(context: &Context, account: &OrgAccount) -> Result<SdkConfig, Finding> {
    let plan = &context.plan;
    let arn = role_arn(&plan.partition, &account.id, &plan.role_name);
    let session = {
        let _permit = context.permits.acquire().await.ok();
        timeout_at(
            plan.deadline,
            Box::pin(clients::audit_session(
                &context.sdk,
                &arn,
                plan.external_id.as_deref(),
            )),
        )
        .await
    };
    match session {
        Ok(Ok(session)) => Ok(session),
        Ok(Err(why)) => Err(Finding::new(
            CheckId::AuditRoleUnassumable,
            format!(
                "cannot verify: cannot assume the audit role {arn}: {}",
                why.brief()
            ),
        )
        .with("role_arn", arn.clone())
        .with("call", "sts:AssumeRole")
        .with("message", why.message)),
        Err(_) => Err(deadline_finding()),
    }
}

/// The Regions to judge: the plan's, or the member's enabled ones (account:ListRegions).
async fn regions_of(
    context: &Context,
    account: &OrgAccount,
    session: &SdkConfig,
) -> Result<Vec<String>, Finding> {
    let plan = &context.plan;
    if let Some(regions) = &plan.regions {
        return Ok(regions.clone());
    }
    let listed = {
        let _permit = context.permits.acquire().await.ok();
        let reader = clients::account_reader(session, Retries::Member(&account.id));
        timeout_at(plan.deadline, Box::pin(reader.enabled_regions())).await
    };
    match listed {
        Ok(Ok(regions)) => {
            context.progress.total.fetch_add(regions.len(), Ordering::Relaxed);
            Ok(regions)
        }
        Ok(Err(why)) => Err(Finding::new(
            CheckId::RegionsUnreadable,
            format!(
                "cannot verify: cannot list the account's regions: ListRegions {}",
                why.kind.describe()
            ),
        )
        .with("call", "account:ListRegions")
        .with("message", why.message)),
        Err(_) => Err(deadline_finding()),
    }
}

/// Every Region of one member at once; a Region whose task stopped is "cannot verify".
async fn judge_regions(
    context: &Arc<Context>,
    member: &Arc<Member>,
    account: &OrgAccount,
    regions: &[String],
) -> (Vec<RegionVerdict>, Vec<HubOutcome>) {
    let mut tasks = JoinSet::new();
    for (index, region) in regions.iter().cloned().enumerate() {
        let context = Arc::clone(context);
        let member = Arc::clone(member);
        let account_id = account.id.clone();
        let ou = account.ou.clone();
        tasks.spawn(async move {
            let judged = judge_region(&context, &member, &account_id, ou.as_deref(), &region).await;
            (index, judged)
        });
    }
    let mut judged: Vec<Option<(RegionVerdict, Option<HubOutcome>)>> = vec![None; regions.len()];
    while let Some(joined) = tasks.join_next().await {
        if let Ok((index, result)) = joined
            && let Some(slot) = judged.get_mut(index)
        {
            *slot = Some(result);
        }
    }
    let mut judgements = Vec::with_capacity(regions.len());
    let mut security_hub = Vec::new();
    for (region, result) in regions.iter().zip(judged) {
        match result {
            Some((judgement, hub)) => {
                judgements.push(judgement);
                security_hub.extend(hub);
            }
            None => judgements.push(unjudged(&account.id, region, deadline_finding())),
        }
    }
    (judgements, security_hub)
}

/// One member entered: its audit role's session and the readers every Region shares.
struct Member {
    session: SdkConfig,
    global: GlobalReaders,
}

async fn judge_region(
    context: &Context,
    member: &Member,
    account_id: &str,
    ou: Option<&str>,
    region: &str,
) -> (RegionVerdict, Option<HubOutcome>) {
    let plan = &context.plan;
    let session = &member.session;
    let _permit = context.permits.acquire().await.ok();
    let work = Box::pin(async {
        let reader = ConfigReader::new(clients::config_client(
            session,
            region,
            Retries::Member(account_id),
        ));
        let probes = clients::regional_probe_readers(
            session,
            region,
            Retries::Member(account_id),
            member.global.clone(),
        );
        let delegated = context.delegates(region).await;
        let trails = clients::trail_reader(session, region, Retries::Member(account_id));
        let (mut snapshot, event_path) = tokio::join!(
            collect(&reader, Some(&probes), &delegated, account_id, region),
            context.event_path(&trails),
        );
        snapshot.probes.event_path = Some(event_path);
        let mut judgement = judge_snapshot(&snapshot, &plan.params);
        // Before Security Hub: an accepted failure is imported SUPPRESSED.
        accept_region(&plan.exceptions, &mut judgement, ou);
        let hub = if plan.security_hub {
            let published = match clients::securityhub_client(session, region, Retries::Member(account_id)) {
                Ok(client) => security_hub::publish(&client, &judgement, &plan.partition).await,
                Err(why) => Err(why),
            };
            let result = match published {
                Ok(summary) => HubResult::Published(summary),
                Err(why) => HubResult::Failed(why),
            };
            Some(HubOutcome {
                region: region.to_owned(),
                result,
            })
        } else {
            None
        };
        (judgement, hub)
    });
    let result = match timeout_at(plan.deadline, work).await {
        Ok(done) => done,
        Err(_) => (unjudged(account_id, region, deadline_finding()), None),
    };
    context.progress.done.fetch_add(1, Ordering::Relaxed);
    result
}

fn deadline_finding() -> Finding {
    Finding::new(
        CheckId::DeadlineReached,
        "cannot verify: the sweep's deadline passed before this was read",
    )
}

/// One judgement per planned region (or one for every region when they are not known).
fn whole_account(context: &Context, account: OrgAccount, finding: Finding) -> AccountSweep {
    let regions = context
        .plan
        .regions
        .clone()
        .unwrap_or_else(|| vec![EVERY_REGION.to_owned()]);
    let judgements: Vec<RegionVerdict> = regions
        .iter()
        .map(|region| {
            let mut judgement = unjudged(&account.id, region, finding.clone());
            accept_region(&context.plan.exceptions, &mut judgement, account.ou.as_deref());
            judgement
        })
        .collect();
    if context.plan.regions.is_some() {
        context
            .progress
            .done
            .fetch_add(judgements.len(), Ordering::Relaxed);
    }
    let mut judged = AccountVerdict::new(account, judgements);
    annotate_account(&mut judged);
    AccountSweep {
        judged,
        security_hub: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(concurrency: usize, regions: Option<usize>) -> SweepPlan {
        SweepPlan {
            accounts: Vec::new(),
            regions: regions.map(|n| (0..n).map(|i| format!("region-{i}")).collect()),
            role_name: "audit".into(),
            external_id: None,
            partition: "aws".into(),
            params: RuleParameters::default(),
            concurrency,
            deadline: Instant::now(),
            security_hub: false,
            exceptions: Arc::default(),
        }
    }

    #[test]
    fn open_accounts_keep_every_permit_busy_and_no_more() {
        assert_eq!(open_accounts(&plan(64, Some(17))), 8);
        assert_eq!(open_accounts(&plan(64, Some(4))), 32);
        assert_eq!(open_accounts(&plan(64, Some(1))), 64);
        assert_eq!(open_accounts(&plan(64, None)), 64);
        assert_eq!(open_accounts(&plan(1, Some(17))), 1);
        assert_eq!(open_accounts(&plan(0, Some(17))), 1);
        for (concurrency, regions) in [(64, 17), (64, 4), (10, 3), (1, 1)] {
            let open = open_accounts(&plan(concurrency, Some(regions)));
            assert!(
                open * regions >= concurrency,
                "{concurrency} permits, {open} x {regions}"
            );
        }
    }
}
