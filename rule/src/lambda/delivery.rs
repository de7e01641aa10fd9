//! Delivery: evaluations to Config (all, or with delta reporting what changed), one health-change
//! event per change, and the fail-closed reports of an invocation that cannot be judged.

use super::log::{self, Level};
use super::{HandlerError, Outcome, Recipient, Rule};
use crate::aws::clients;
use crate::aws::read::stored_results;
use crate::aws::write::config::{ReportError, ReportSummary, put_evaluations};
use crate::aws::write::eventbridge::{self, EventsSummary};
use delivery_guard_core::aws_names::is_account_id;
use delivery_guard_core::checks::CheckId;
use delivery_guard_core::input::invocation::EventError;
use delivery_guard_core::outbound::delta::{self, DeltaSummary};
use delivery_guard_core::outbound::evaluation::Evaluation;
use delivery_guard_core::outbound::health_event::{self, HealthEvent, Trigger};
use delivery_guard_core::parameters::RuleParameters;
use delivery_guard_core::timestamp::Timestamp;
use delivery_guard_core::verdict::{Compliance, RegionVerdict, Verdict};
use serde_json::json;

/// What `deliver` did: the PutEvaluations calls, the delta plan, the events.
pub(super) struct Delivered {
    pub(super) report: ReportSummary,
    pub(super) delta: Option<DeltaSummary>,
    pub(super) health_events: Option<EventsSummary>,
}

/// Report a run's evaluations: all of them, or with delta reporting those that changed or are due
/// for their refresh; then one health-change event per change. Results Config holds that cannot
/// be read mean everything is reported (the cost of one full run, never a lost change).
pub(super) async fn deliver(
    rule: &Rule,
    config: &aws_sdk_config::Client,
    to: &Recipient<'_>,
    params: &RuleParameters,
    evaluations: Vec<Evaluation>,
    judged: &[(&str, Vec<&RegionVerdict>)],
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

/// Fail closed: if the event still names an account and a token, Config hears "cannot verify".
pub(super) async fn report_malformed(rule: &Rule, err: EventError) -> Result<Outcome, HandlerError> {
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
                Verdict::cannot_verify(CheckId::MalformedEvent, &err),
                1,
            )
            .await
        }
        _ => Err(HandlerError::Unreportable(err)),
    }
}

/// `config` acts as the account that owns the result token: ours, or the member's audit role.
pub(super) async fn report(
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
