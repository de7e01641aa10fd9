//! Watchdog mode: one periodic rule in the audit account sweeps every account and Region of the
//! Organization (or its shard) and reports one evaluation per account.

use super::accepted;
use super::delivery::{Judged, Roster, deliver, report};
use super::log::{self, Level};
use super::{HandlerError, Outcome, Recipient, Rule};
use crate::aws::clients;
use crate::aws::read::OrganizationsReader;
use crate::sweep::{AccountSweep, Progress, SweepPlan, sweep};
use delivery_guard_core::checks::CheckId;
use delivery_guard_core::exceptions::exception_reports;
use delivery_guard_core::input::invocation::Invocation;
use delivery_guard_core::outbound::evaluation::Evaluation;
use delivery_guard_core::parameters::RuleParameters;
use delivery_guard_core::verdict::{
    AccountVerdict, Cluster, Compliance, RegionVerdict, Verdict, clusters, headline, summarize,
};
use serde_json::json;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// Kept free at the end of a watchdog invocation for PutEvaluations after the sweep (at most).
const REPORT_RESERVE: Duration = Duration::from_secs(20);
/// The sweep's budget when the invocation has no deadline (tests, the CLI).
const DEFAULT_SWEEP_BUDGET: Duration = Duration::from_secs(600);

/// One periodic rule in the audit account: every ACTIVE account of the Organization (or this
/// shard of it), every region, one evaluation per account reported here.
pub(super) async fn watchdog(
    rule: &Rule,
    invocation: &Invocation,
    to: &Recipient<'_>,
    params: &RuleParameters,
    deadline: Option<SystemTime>,
) -> Result<Outcome, HandlerError> {
    let Some(sdk) = &rule.sdk else {
        let why = "watchdog mode needs AWS credentials to list the Organization's accounts";
        let verdict = Verdict::cannot_verify(CheckId::EvidenceUnreadable, &why);
        return report(rule, &rule.config, to, verdict, 1).await;
    };
    let organizations = clients::organization_reader_or_own(sdk, params).await;
    let mut plan = match plan(rule, &organizations, params, deadline).await {
        Ok(plan) => plan,
        Err(verdict) => return report_unlisted(rule, to, params, verdict).await,
    };
    let loaded = accepted::load(rule, params).await;
    plan.exceptions = Arc::new(loaded.exceptions.clone());
    let results = sweep_and_log(sdk, plan, invocation).await;
    // Said before reporting: an unusable document is logged even when reporting fails.
    let judged: Vec<&AccountVerdict> = results.iter().map(|r| &r.judged).collect();
    let exceptions = accepted::said(params, &loaded, &exception_reports(&loaded.exceptions, &judged));
    let mut outcome = report_accounts(rule, to, params, &results, &organizations).await?;
    outcome.exceptions = exceptions;
    Ok(outcome)
}

/// The accounts could not be listed: this account and every member Config holds a result for
/// are reported "cannot verify", so one missing permission cannot freeze the Organization's view.
async fn report_unlisted(
    rule: &Rule,
    to: &Recipient<'_>,
    params: &RuleParameters,
    verdict: Verdict,
) -> Result<Outcome, HandlerError> {
    let roster = Roster {
        shard: params.shard,
        verdict: verdict.clone(),
        required: true,
        confirm_with: None,
    };
    // Every member is reported, changed or not: delta reporting would skip those already failing.
    let every_result = RuleParameters {
        delta_reporting: false,
        ..params.clone()
    };
    let own = Evaluation::for_account(to.account_id, verdict.clone(), to.when);
    let delivered = deliver(
        rule,
        &rule.config,
        to,
        &every_result,
        vec![own],
        &Judged {
            regions: &[],
            causes: &[],
        },
        Some(&roster),
    )
    .await?;
    Ok(Outcome {
        account_id: to.account_id.to_owned(),
        region: rule.region.clone(),
        compliance: verdict.compliance,
        annotation: verdict.annotation,
        findings: 1,
        report: delivered.report,
        delta: None,
        health_events: delivered.health_events,
        sweep: None,
        security_hub: None,
        exceptions: None,
    })
}

/// The accounts of this shard, every Region the parameters name, the invocation's deadline; or
/// "cannot verify" when the accounts cannot be listed.
async fn plan(
    rule: &Rule,
    organizations: &OrganizationsReader,
    params: &RuleParameters,
    deadline: Option<SystemTime>,
) -> Result<SweepPlan, Verdict> {
    let (accounts, ous_unread) = organizations.active_accounts_placed().await.map_err(|why| {
        log::emit(Level::Error, "accounts-unreadable", json!({"error": why}));
        let reason = format!(
            "cannot list the Organization's accounts: ListAccounts {}",
            why.brief()
        );
        Verdict::cannot_verify(CheckId::EvidenceUnreadable, &reason)
    })?;
    if let Some(why) = ous_unread {
        log::emit(
            Level::Warn,
            "ous-unreadable",
            json!({"error": why, "then": "accounts reported without their OUs"}),
        );
    }
    let accounts: Vec<_> = accounts
        .into_iter()
        .filter(|a| params.shard.is_none_or(|shard| shard.holds(&a.id)))
        .collect();
    Ok(SweepPlan::from_parameters(
        params,
        accounts,
        params.regions.clone(),
        &rule.region,
        sweep_deadline(deadline),
    ))
}

/// Sweeps the plan; one log line when it starts and one per account judged.
async fn sweep_and_log(
    sdk: &aws_config::SdkConfig,
    plan: SweepPlan,
    invocation: &Invocation,
) -> Vec<AccountSweep> {
    log::emit(
        Level::Info,
        "sweep-started",
        json!({
            "accounts": plan.accounts.len(),
            "regions": plan.regions,
            "concurrency": plan.concurrency,
            "budget_ms": plan.deadline.saturating_duration_since(tokio::time::Instant::now()).as_millis(),
            "shard": plan.params.shard,
        }),
    );
    let results = sweep(sdk, plan, Arc::new(Progress::default())).await;
    for result in &results {
        log::emit(
            Level::Info,
            "account-verdict",
            json!({
                "account_id": result.judged.account.id,
                "account_name": result.judged.account.name,
                "config_rule_name": invocation.config_rule_name,
                "run_at": invocation.notification_creation_time,
                "compliance": result.judged.verdict.compliance,
                "annotation": result.judged.verdict.annotation,
                "regions": result.judged.regions,
                "security_hub": result.security_hub,
            }),
        );
    }
    results
}

/// One evaluation per account, delivered; the invocation's own outcome summarises the fleet.
async fn report_accounts(
    rule: &Rule,
    to: &Recipient<'_>,
    params: &RuleParameters,
    results: &[AccountSweep],
    organizations: &OrganizationsReader,
) -> Result<Outcome, HandlerError> {
    let evaluations: Vec<Evaluation> = results
        .iter()
        .map(|r| Evaluation::for_account(&r.judged.account.id, r.judged.verdict.clone(), to.when))
        .collect();
    let summary = summarize(results.iter().map(|r| &r.judged));
    let judged: Vec<(&str, Vec<&RegionVerdict>)> = results
        .iter()
        .map(|r| (r.judged.account.id.as_str(), r.judged.regions.iter().collect()))
        .collect();
    let roster = Roster {
        shard: params.shard,
        verdict: Verdict::not_applicable(
            "no longer an ACTIVE member of the Organization (left, suspended or closing)",
        ),
        required: false,
        confirm_with: Some(organizations),
    };
    let accounts: Vec<&AccountVerdict> = results.iter().map(|r| &r.judged).collect();
    let causes = clusters(&accounts);
    let delivered = deliver(
        rule,
        &rule.config,
        to,
        params,
        evaluations,
        &Judged {
            regions: &judged,
            causes: &causes,
        },
        Some(&roster),
    )
    .await?;
    if let Some(what) = security_hub_shortfalls(results) {
        return Err(HandlerError::Publish { what });
    }
    log_root_causes(&causes);
    let mut annotation = format!(
        "{} account(s): {} compliant, {} failing, {} unverified",
        summary.accounts, summary.compliant, summary.failing, summary.unverified
    );
    if summary.accepted > 0 {
        annotation.push_str(&format!(", {} accepted", summary.accepted));
    }
    if let Some(largest) = headline(&causes, summary.accounts) {
        annotation = format!("{annotation}; {largest}");
    }
    let compliance = if summary.failing + summary.unverified > 0 {
        Compliance::NonCompliant
    } else {
        Compliance::Compliant
    };
    Ok(Outcome {
        account_id: to.account_id.to_owned(),
        region: rule.region.clone(),
        compliance,
        annotation: Some(annotation),
        findings: results
            .iter()
            .flat_map(|r| &r.judged.regions)
            .map(|j| j.findings.len())
            .sum(),
        report: delivered.report,
        delta: delivered.delta,
        health_events: delivered.health_events,
        sweep: Some(summary),
        security_hub: None,
        exceptions: None,
    })
}

/// What did not reach Security Hub, for the handler's error (Lambda retries the import).
fn security_hub_shortfalls(results: &[AccountSweep]) -> Option<String> {
    let shortfalls: Vec<String> = results
        .iter()
        .flat_map(|r| {
            r.security_hub
                .iter()
                .filter_map(|h| h.shortfall().map(|s| format!("{} {s}", r.judged.account.id)))
        })
        .collect();
    let first = shortfalls.first()?;
    Some(format!(
        "Security Hub: {} account-region(s) not published, first {first}",
        shortfalls.len()
    ))
}

fn log_root_causes(causes: &[Cluster]) {
    log::emit(
        Level::Info,
        "root-causes",
        json!({
            "clusters": causes.iter().map(|c| json!({
                "check": c.check,
                "cause": c.cause,
                "accounts": c.accounts,
                "account_regions": c.members.len(),
            })).collect::<Vec<_>>(),
        }),
    );
}

/// Lambda's deadline less the report reserve (a quarter of what is left, at most 20 s). Without a
/// deadline in the future (the CLI, tests, local runtime emulators that send none or a stale one;
/// Lambda always sends one) the sweep gets the default budget, and the log says so.
pub fn sweep_deadline(deadline: Option<SystemTime>) -> tokio::time::Instant {
    let now = tokio::time::Instant::now();
    let left = deadline.and_then(|d| d.duration_since(SystemTime::now()).ok());
    let budget = match left {
        Some(left) if !left.is_zero() => left.saturating_sub(REPORT_RESERVE.min(left / 4)),
        _ => {
            log::emit(
                Level::Warn,
                "no-deadline",
                json!({"default_budget_ms": DEFAULT_SWEEP_BUDGET.as_millis()}),
            );
            DEFAULT_SWEEP_BUDGET
        }
    };
    now + budget
}
