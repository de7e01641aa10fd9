//! The Lambda's work for one Config invocation: parse, collect, judge, log, report.

use crate::audit_role::{partition_of, role_arn};
use crate::checks::CheckId;
use crate::clients::{self, Retries};
use crate::collect::{ConfigReader, DelegatedReaders, ProbeReaders, collect, stored_results};
use crate::delta::{self, DeltaSummary};
use crate::evaluation::Evaluation;
use crate::event::{EventError, Invocation, is_account_id, parse_invocation};
use crate::eventbridge::{self, EventsSummary};
use crate::finding::Finding;
use crate::health_event::{self, HealthEvent, Trigger};
use crate::judgement::{Judgement, judge_snapshot};
use crate::log::{self, Level};
use crate::parameters::{Mode, RuleParameters, parse_parameters};
use crate::report::{ReportError, ReportSummary, put_evaluations};
use crate::securityhub::{self, HubSummary};
use crate::sweep::{Progress, SweepPlan, SweepSummary, summarize, sweep};
use crate::timestamp::Timestamp;
use crate::verdict::{Compliance, Verdict, judge};
use serde::Serialize;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// Kept free at the end of a watchdog invocation for PutEvaluations after the sweep (at most).
const REPORT_RESERVE: Duration = Duration::from_secs(20);
/// The sweep's budget when the invocation has no deadline (tests, the CLI).
const DEFAULT_SWEEP_BUDGET: Duration = Duration::from_secs(600);

/// Built once at init and shared by every invocation.
#[derive(Clone, Debug)]
pub struct Rule {
    pub config: aws_sdk_config::Client,
    /// None: no root-cause probes (the delivery status checks still run).
    pub probes: Option<ProbeReaders>,
    /// For the log-archive reader role; None where probes are off.
    pub sdk: Option<aws_config::SdkConfig>,
    pub region: String,
    /// PutEvaluations TestMode: Config validates but stores nothing.
    pub test_mode: bool,
    /// The Config rule this function serves, for the event-driven path (its parameters, its results).
    pub config_rule_name: Option<String>,
}

/// What the invocation decided and reported; the Lambda's response.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Outcome {
    pub account_id: String,
    pub region: String,
    pub compliance: Compliance,
    pub annotation: Option<String>,
    pub findings: usize,
    pub report: ReportSummary,
    /// Delta reporting: what was reported, refreshed and left as Config holds it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delta: Option<DeltaSummary>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub health_events: Option<EventsSummary>,
    /// Watchdog mode: the accounts judged.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sweep: Option<SweepSummary>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub security_hub: Option<HubSummary>,
}

#[derive(Debug, thiserror::Error)]
pub enum HandlerError {
    #[error("{0}; nothing was reported because the event names no usable account and result token")]
    Unreportable(EventError),
    #[error("the verdict for account {account_id} was not reported: {source}")]
    Report { account_id: String, source: ReportError },
}

pub async fn handle(rule: &Rule, payload: &Value) -> Result<Outcome, HandlerError> {
    handle_until(rule, payload, None).await
}

/// `deadline`: when Lambda stops the invocation (the context's deadline); watchdog sweeps end
/// before it, with room to report.
pub async fn handle_until(
    rule: &Rule,
    payload: &Value,
    deadline: Option<SystemTime>,
) -> Result<Outcome, HandlerError> {
    let invocation = match parse_invocation(payload) {
        Ok(invocation) => invocation,
        Err(err) => return report_malformed(rule, err).await,
    };
    let to = Recipient {
        account_id: &invocation.account_id,
        token: &invocation.result_token,
        when: invocation.notification_creation_time,
        rule_name: invocation.config_rule_name.as_deref(),
        trigger: Trigger::Config {
            message_type: invocation.message_type.as_str().to_owned(),
        },
    };
    if invocation.event_left_scope {
        return report(
            rule,
            &rule.config,
            &to,
            Verdict::not_applicable("account left the rule's scope"),
            0,
        )
        .await;
    }
    let params = match parse_parameters(&invocation.rule_parameters) {
        Ok(params) => params,
        Err(err) => {
            log::emit(
                Level::Error,
                "invalid-parameters",
                json!({"account_id": to.account_id, "parameter": err.parameter, "error": err.to_string()}),
            );
            return report(
                rule,
                &rule.config,
                &to,
                cannot_verify(CheckId::InvalidParameters, &err),
                1,
            )
            .await;
        }
    };
    match params.mode {
        Mode::Account => account(rule, &invocation, &to, &params).await,
        Mode::Organization => organization(rule, &invocation, &to, &params).await,
        Mode::Watchdog => watchdog(rule, &invocation, &to, &params, deadline).await,
    }
}

/// The account-region the rule runs in, with the Lambda's own credentials.
async fn account(
    rule: &Rule,
    invocation: &Invocation,
    to: &Recipient<'_>,
    params: &RuleParameters,
) -> Result<Outcome, HandlerError> {
    let delegated = match &rule.sdk {
        Some(sdk) => clients::delegated_readers(sdk, &rule.region, params).await,
        None => DelegatedReaders::default(),
    };
    let acting = Acting {
        config: &rule.config,
        probes: rule.probes.as_ref(),
        delegated: &delegated,
        security_hub: rule.sdk.as_ref(),
    };
    judge_and_report(rule, invocation, to, params, &acting).await
}

/// An organization custom rule: the member's Config invoked us. Judge and report as the
/// member's audit role, so the evaluation lands in the member account.
async fn organization(
    rule: &Rule,
    invocation: &Invocation,
    to: &Recipient<'_>,
    params: &RuleParameters,
) -> Result<Outcome, HandlerError> {
    let Some(sdk) = &rule.sdk else {
        let why = "organization mode needs AWS credentials to assume the audit role";
        let verdict = cannot_verify(CheckId::AuditRoleUnassumable, &why);
        return report(rule, &rule.config, to, verdict, 1).await;
    };
    let role_name = params.audit_role_name.as_deref().unwrap_or_default();
    let arn = role_arn(partition_of(&rule.region), to.account_id, role_name);
    let session = match clients::audit_session(sdk, &arn, params.audit_role_external_id.as_deref()).await {
        Ok(session) => session,
        Err(why) => {
            log::emit(
                Level::Error,
                "audit-role-unassumable",
                json!({"account_id": to.account_id, "role_arn": arn, "error": why}),
            );
            // Without the member's credentials the result token may be refused: then the
            // handler fails, Lambda retries, and the on-failure destination keeps the event.
            let reason = format!("cannot assume the audit role {arn}: {}", why.brief());
            let verdict = cannot_verify(CheckId::AuditRoleUnassumable, &reason);
            return report(rule, &rule.config, to, verdict, 1).await;
        }
    };
    let member_config = clients::config_client(&session, &rule.region, Retries::Member(to.account_id));
    let probes = clients::probe_readers(&session, &rule.region, Retries::Member(to.account_id));
    let delegated = clients::organization_delegates(sdk, &rule.region, params).await;
    let acting = Acting {
        config: &member_config,
        probes: Some(&probes),
        delegated: &delegated,
        security_hub: Some(&session),
    };
    judge_and_report(rule, invocation, to, params, &acting).await
}

/// The clients one account-region is read, judged and reported with.
struct Acting<'a> {
    /// Reads Config and reports: the account that owns the result token.
    config: &'a aws_sdk_config::Client,
    probes: Option<&'a ProbeReaders>,
    delegated: &'a DelegatedReaders,
    /// Imports Security Hub findings as the judged account, when `SecurityHubFindings` asks.
    security_hub: Option<&'a aws_config::SdkConfig>,
}

async fn judge_and_report(
    rule: &Rule,
    invocation: &Invocation,
    to: &Recipient<'_>,
    params: &RuleParameters,
    acting: &Acting<'_>,
) -> Result<Outcome, HandlerError> {
    let snapshot = collect(
        &ConfigReader::new(acting.config.clone()),
        acting.probes,
        acting.delegated,
        to.account_id,
        &rule.region,
    )
    .await;
    let judgement = judge_snapshot(&snapshot, params);
    log_result(invocation, &judgement);
    let hub = match (acting.security_hub, params.security_hub_findings) {
        (Some(sdk), true) => publish_findings(sdk, &rule.region, &judgement).await,
        _ => None,
    };
    let verdict = Verdict {
        compliance: judgement.compliance,
        annotation: judgement.annotation.clone(),
    };
    let evaluation = Evaluation::for_account(to.account_id, verdict.clone(), to.when);
    let judged = [(to.account_id, vec![&judgement])];
    let delivered = deliver(rule, acting.config, to, params, vec![evaluation], &judged).await?;
    Ok(Outcome {
        account_id: to.account_id.to_owned(),
        region: rule.region.clone(),
        compliance: verdict.compliance,
        annotation: verdict.annotation,
        findings: judgement.findings.len(),
        report: delivered.report,
        delta: delivered.delta,
        health_events: delivered.health_events,
        sweep: None,
        security_hub: hub,
    })
}

/// What `deliver` did: the PutEvaluations calls, the delta plan, the events.
struct Delivered {
    report: ReportSummary,
    delta: Option<DeltaSummary>,
    health_events: Option<EventsSummary>,
}

/// Report a run's evaluations: all of them, or with delta reporting those that changed or are due
/// for their refresh; then one health-change event per change. Results Config holds that cannot
/// be read mean everything is reported (the cost of one full run, never a lost change).
async fn deliver(
    rule: &Rule,
    config: &aws_sdk_config::Client,
    to: &Recipient<'_>,
    params: &RuleParameters,
    evaluations: Vec<Evaluation>,
    judged: &[(&str, Vec<&Judgement>)],
) -> Result<Delivered, HandlerError> {
    let stored = match (params.delta_reporting, to.rule_name) {
        (false, _) => None,
        (true, None) => {
            log::emit(
                Level::Warn,
                "delta-reporting-skipped",
                json!({"why": "the invocation names no configRuleName; every evaluation is reported"}),
            );
            None
        }
        (true, Some(name)) => match stored_results(config, name).await {
            Ok(stored) => Some(stored),
            Err(why) => {
                log::emit(
                    Level::Warn,
                    "stored-results-unreadable",
                    json!({"config_rule_name": name, "error": why, "then": "every evaluation is reported"}),
                );
                None
            }
        },
    };
    let (to_report, changes, delta) = match stored {
        Some(stored) => {
            let plan = delta::plan(evaluations, &stored, params.full_refresh);
            (plan.report, plan.changes, Some(plan.summary))
        }
        None => (evaluations, Vec::new(), None),
    };
    let report = if to_report.is_empty() {
        ReportSummary::default()
    } else {
        put_evaluations(config, to.token, &to_report, rule.test_mode)
            .await
            .map_err(|source| report_failed(to.account_id, source))?
    };
    let context = health_event::Context {
        rule_region: &rule.region,
        config_rule_name: to.rule_name,
        trigger: &to.trigger,
        detected_at: Timestamp::now(),
    };
    // An account seen for the first time and healthy is no news.
    let events: Vec<HealthEvent> = changes
        .iter()
        .filter(|c| c.old_compliance.is_some() || c.new_compliance != Compliance::Compliant)
        .map(|change| {
            let own = judged
                .iter()
                .find(|(account, _)| *account == change.resource_id)
                .map(|(_, judgements)| judgements.as_slice())
                .unwrap_or_default();
            health_event::health_event(change, own, &context)
        })
        .collect();
    let health_events = publish_health_events(rule, params, &events).await;
    Ok(Delivered {
        report,
        delta,
        health_events,
    })
}

async fn publish_health_events(
    rule: &Rule,
    params: &RuleParameters,
    events: &[HealthEvent],
) -> Option<EventsSummary> {
    let (Some(sdk), Some(bus)) = (&rule.sdk, &params.health_event_bus) else {
        return None;
    };
    if events.is_empty() || rule.test_mode {
        return None;
    }
    for event in events {
        log::emit(Level::Info, "health-change", json!(event));
    }
    let client = clients::eventbridge_client(sdk, &rule.region);
    let summary = eventbridge::publish(&client, bus, events).await;
    if summary.failed > 0 {
        log::emit(
            Level::Error,
            "health-events-failed",
            json!({"bus": bus, "failed": summary.failed, "error": summary.first_error}),
        );
    }
    Some(summary)
}

/// One periodic rule in the audit account: every ACTIVE account of the Organization (or this
/// shard of it), every region, one evaluation per account reported here.
async fn watchdog(
    rule: &Rule,
    invocation: &Invocation,
    to: &Recipient<'_>,
    params: &RuleParameters,
    deadline: Option<SystemTime>,
) -> Result<Outcome, HandlerError> {
    let Some(sdk) = &rule.sdk else {
        let why = "watchdog mode needs AWS credentials to list the Organization's accounts";
        return report(
            rule,
            &rule.config,
            to,
            cannot_verify(CheckId::EvidenceUnreadable, &why),
            1,
        )
        .await;
    };
    let organizations = clients::organization_reader_or_own(sdk, params).await;
    let accounts = match organizations.active_accounts().await {
        Ok(accounts) => accounts,
        Err(why) => {
            log::emit(Level::Error, "accounts-unreadable", json!({"error": why}));
            let reason = format!(
                "cannot list the Organization's accounts: ListAccounts {}",
                why.brief()
            );
            let verdict = cannot_verify(CheckId::EvidenceUnreadable, &reason);
            return report(rule, &rule.config, to, verdict, 1).await;
        }
    };
    let accounts: Vec<_> = accounts
        .into_iter()
        .filter(|a| params.shard.is_none_or(|shard| shard.holds(&a.id)))
        .collect();
    let plan = SweepPlan::from_parameters(
        params,
        accounts,
        params.regions.clone(),
        &rule.region,
        sweep_deadline(deadline),
    );
    log::emit(
        Level::Info,
        "sweep-started",
        json!({
            "accounts": plan.accounts.len(),
            "regions": plan.regions,
            "concurrency": plan.concurrency,
            "budget_ms": plan.deadline.saturating_duration_since(tokio::time::Instant::now()).as_millis(),
            "shard": params.shard,
        }),
    );
    let results = sweep(sdk, plan, Arc::new(Progress::default())).await;
    for result in &results {
        log::emit(
            Level::Info,
            "account-verdict",
            json!({
                "account_id": result.account.id,
                "account_name": result.account.name,
                "config_rule_name": invocation.config_rule_name,
                "run_at": invocation.notification_creation_time,
                "compliance": result.verdict.compliance,
                "annotation": result.verdict.annotation,
                "regions": result.judgements,
                "security_hub": result.security_hub,
            }),
        );
    }
    let evaluations: Vec<Evaluation> = results
        .iter()
        .map(|r| Evaluation::for_account(&r.account.id, r.verdict.clone(), to.when))
        .collect();
    let summary = summarize(&results);
    let judged: Vec<(&str, Vec<&Judgement>)> = results
        .iter()
        .map(|r| (r.account.id.as_str(), r.judgements.iter().collect()))
        .collect();
    let delivered = deliver(rule, &rule.config, to, params, evaluations, &judged).await?;
    let compliance = if summary.failing + summary.unverified > 0 {
        Compliance::NonCompliant
    } else {
        Compliance::Compliant
    };
    Ok(Outcome {
        account_id: to.account_id.to_owned(),
        region: rule.region.clone(),
        compliance,
        annotation: Some(format!(
            "{} account(s): {} compliant, {} failing, {} unverified",
            summary.accounts, summary.compliant, summary.failing, summary.unverified
        )),
        findings: results
            .iter()
            .flat_map(|r| &r.judgements)
            .map(|j| j.findings.len())
            .sum(),
        report: delivered.report,
        delta: delivered.delta,
        health_events: delivered.health_events,
        sweep: Some(summary),
        security_hub: None,
    })
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

/// A Security Hub failure is logged and said in the outcome; the Config evaluation still goes out.
async fn publish_findings(
    sdk: &aws_config::SdkConfig,
    region: &str,
    judgement: &Judgement,
) -> Option<HubSummary> {
    let client = clients::securityhub_client(sdk, region, Retries::Member(&judgement.account_id));
    match securityhub::publish(&client, judgement, partition_of(region)).await {
        Ok(summary) => Some(summary),
        Err(why) => {
            log::emit(
                Level::Error,
                "security-hub-failed",
                json!({"account_id": judgement.account_id, "region": region, "error": why}),
            );
            Some(HubSummary {
                first_error: Some(format!("{}: {}", why.call, why.message)),
                ..HubSummary::default()
            })
        }
    }
}

/// Where a verdict goes: the account it is about, the invocation's token and the trigger time, and
/// the rule whose results Config holds (for delta reporting).
struct Recipient<'a> {
    account_id: &'a str,
    token: &'a str,
    when: Timestamp,
    rule_name: Option<&'a str>,
    trigger: Trigger,
}

/// Fail closed: if the event still names an account and a token, Config hears "cannot verify".
async fn report_malformed(rule: &Rule, err: EventError) -> Result<Outcome, HandlerError> {
    log::emit(Level::Error, "malformed-event", json!({"error": err.to_string()}));
    match (err.account_id.as_deref(), err.result_token.as_deref()) {
        (Some(account_id), Some(token)) if is_account_id(account_id) => {
            let to = Recipient {
                account_id,
                token,
                when: Timestamp::now(),
                rule_name: None,
                trigger: Trigger::Config {
                    message_type: "unknown".to_owned(),
                },
            };
            report(
                rule,
                &rule.config,
                &to,
                cannot_verify(CheckId::MalformedEvent, &err),
                1,
            )
            .await
        }
        _ => Err(HandlerError::Unreportable(err)),
    }
}

fn cannot_verify(check: CheckId, why: &dyn std::fmt::Display) -> Verdict {
    judge(&[Finding::new(check, format!("cannot verify: {why}"))])
}

/// `config` acts as the account that owns the result token: ours, or the member's audit role.
async fn report(
    rule: &Rule,
    config: &aws_sdk_config::Client,
    to: &Recipient<'_>,
    verdict: Verdict,
    findings: usize,
) -> Result<Outcome, HandlerError> {
    let evaluation = Evaluation::for_account(to.account_id, verdict.clone(), to.when);
    let summary = put_evaluations(
        config,
        to.token,
        std::slice::from_ref(&evaluation),
        rule.test_mode,
    )
    .await
    .map_err(|source| report_failed(to.account_id, source))?;
    Ok(Outcome {
        account_id: to.account_id.to_owned(),
        region: rule.region.clone(),
        compliance: verdict.compliance,
        annotation: verdict.annotation,
        findings,
        report: summary,
        delta: None,
        health_events: None,
        sweep: None,
        security_hub: None,
    })
}

fn report_failed(account_id: &str, source: ReportError) -> HandlerError {
    log::emit(
        Level::Error,
        "report-failed",
        json!({"account_id": account_id, "error": source.to_string()}),
    );
    HandlerError::Report {
        account_id: account_id.to_owned(),
        source,
    }
}

fn log_result(invocation: &Invocation, judgement: &Judgement) {
    log::emit(
        Level::Info,
        "verdict",
        json!({
            "account_id": judgement.account_id,
            "region": judgement.region,
            "observed_at": judgement.observed_at,
            "run_at": invocation.notification_creation_time,
            "config_rule_name": invocation.config_rule_name,
            "message_type": invocation.message_type.as_str(),
            "compliance": judgement.compliance,
            "annotation": judgement.annotation,
            "findings": judgement.findings,
        }),
    );
}
