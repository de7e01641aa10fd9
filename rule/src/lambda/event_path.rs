//! The event-driven path: a CloudTrail call that can break a pipeline (forwarded by EventBridge) is
//! checked at once, for just the account-regions it can break. Such an event carries no result token,
//! so it cannot write to Config itself: a break is announced at once as a health-change event. In
//! account mode a verdict that differs from Config's record asks Config for a run
//! (StartConfigRulesEvaluation), which records it; in watchdog mode a run judges the whole
//! Organization, so the next periodic run records it, and only a call that concerns every account
//! (an SCP, the log archive's bucket or key) asks for a run at once.

use super::accepted;
use super::log::{self, Level};
use super::{Rule, sweep_deadline};
use crate::aws::clients;
use crate::aws::read::{ConfigReader, caller_account, collect, rule_parameters, stored_results};
use crate::aws::write::config::start_rule_evaluation;
use crate::aws::write::eventbridge::{self, EventsSummary};
use crate::sweep::{Progress, SweepPlan, sweep};
use delivery_guard_core::exceptions::{accept_region, annotate_account};
use delivery_guard_core::input::cloudtrail_call::{
    CallEventError, Scope, TamperEvent, parse_tamper_event, scope_of,
};
use delivery_guard_core::outbound::delta::Change;
use delivery_guard_core::outbound::health_event::{self, Outgoing, Trigger};
use delivery_guard_core::parameters::{Mode, RuleParameters, parse_parameters};
use delivery_guard_core::snapshot::OrgAccount;
use delivery_guard_core::timestamp::Timestamp;
use delivery_guard_core::verdict::{AccountVerdict, Compliance, RegionVerdict, Verdict, judge_snapshot};
use serde::Serialize;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::SystemTime;

/// Environment variable naming the Config rule whose parameters and results the event path uses.
pub const RULE_NAME_VARIABLE: &str = "DELIVERY_GUARD_CONFIG_RULE_NAME";

/// What the event path did with one CloudTrail call.
#[derive(Debug, Clone, Serialize)]
pub struct TamperOutcome {
    /// The breaking call.
    pub call: TamperEvent,
    /// The account-regions it can break.
    pub scope: Scope,
    /// The accounts judged, each over the regions the call can break.
    pub judged: Vec<JudgedAccount>,
    /// Config was asked for a run: account mode when the verdict differs from Config's record, or
    /// a call that concerns every account.
    pub evaluation_requested: bool,
    /// The health-change events published.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub health_events: Option<EventsSummary>,
}

/// One account judged by the event path.
#[derive(Debug, Clone, Serialize)]
pub struct JudgedAccount {
    /// The account.
    pub account_id: String,
    /// The Regions judged.
    pub regions: Vec<String>,
    /// Its verdict now.
    pub compliance: Compliance,
    /// Why.
    pub annotation: Option<String>,
    /// What Config holds for the account; None when it holds nothing or could not be read.
    pub recorded: Option<String>,
    /// The verdict differs from what Config holds.
    pub changed: bool,
}

/// Errors make Lambda retry the event, then keep it in the on-failure destination: nothing is lost.
#[derive(Debug, thiserror::Error)]
pub enum TamperError {
    /// The event is not a CloudTrail call the path understands.
    #[error("malformed CloudTrail event: {0}")]
    Malformed(CallEventError),
    /// The function does not know its Config rule.
    #[error("the event-driven path needs {RULE_NAME_VARIABLE}: the Config rule whose parameters it uses")]
    NoRuleName,
    /// The rule's parameters could not be read.
    #[error("cannot read the parameters of the Config rule {rule}: {why}")]
    RuleUnreadable {
        /// The rule.
        rule: String,
        /// Why.
        why: String,
    },
    /// The function cannot tell which account it runs in, so not whether the call is its own.
    #[error("cannot tell which account this function judges: {why}")]
    CallerUnknown {
        /// Why GetCallerIdentity failed.
        why: String,
    },
    /// A health-change event EventBridge did not take: the change would be lost.
    #[error("{failed} health-change event(s) not published: {why}")]
    NotPublished {
        /// How many.
        failed: usize,
        /// The first reason.
        why: String,
    },
    /// The rule's parameters are invalid.
    #[error("the Config rule {rule} has invalid parameters: {why}")]
    InvalidParameters {
        /// The rule.
        rule: String,
        /// What is wrong.
        why: String,
    },
}

/// Judges the account-regions a breaking call can break, and announces a change at once. A change
/// whose health event EventBridge did not take, or an account this function cannot tell it is
/// in, fails the invocation: Lambda retries it, and its on-failure destination keeps the event.
pub async fn handle_event(
    rule: &Rule,
    payload: &Value,
    deadline: Option<SystemTime>,
) -> Result<TamperOutcome, TamperError> {
    let event = parse_tamper_event(payload).map_err(TamperError::Malformed)?;
    let (rule_name, params) = rule_and_parameters(rule).await?;
    let scope = scope(rule, &event, &params).await?;
    let mut outcome = TamperOutcome {
        call: event.clone(),
        scope: scope.clone(),
        judged: Vec::new(),
        evaluation_requested: false,
        health_events: None,
    };
    let judgements = match &scope {
        Scope::Ignored { .. } => Vec::new(),
        Scope::Organization => {
            outcome.evaluation_requested = request_evaluation(rule, rule_name).await;
            Vec::new()
        }
        Scope::AccountRegion { account_id, region } => {
            judge(rule, &params, account_id, Some(vec![region.clone()]), deadline).await
        }
        Scope::Account { account_id } => {
            judge(rule, &params, account_id, params.regions.clone(), deadline).await
        }
    };
    if !judgements.is_empty() {
        announce(rule, rule_name, &params, &event, &judgements, &mut outcome).await;
    }
    // The full judgements go to the log (findings, times): the KPIs read them (`delivery-guard kpi`).
    log::emit(
        Level::Info,
        "tamper-verdict",
        json!({
            "call": outcome.call,
            "scope": outcome.scope,
            "judged": outcome.judged,
            "judgements": judgements,
            "evaluation_requested": outcome.evaluation_requested,
            "health_events": outcome.health_events,
        }),
    );
    match &outcome.health_events {
        Some(summary) if summary.failed > 0 => Err(TamperError::NotPublished {
            failed: summary.failed,
            why: summary.first_error.clone().unwrap_or_default(),
        }),
        _ => Ok(outcome),
    }
}

/// The Config rule this function serves, and its parameters as Config holds them.
async fn rule_and_parameters(rule: &Rule) -> Result<(&str, RuleParameters), TamperError> {
    let rule_name = rule.config_rule_name.as_deref().ok_or(TamperError::NoRuleName)?;
    let raw = rule_parameters(&rule.config, rule_name)
        .await
        .map_err(|why| TamperError::RuleUnreadable {
            rule: rule_name.to_owned(),
            why: format!("{} {}: {}", why.call, why.kind.describe(), why.message),
        })?;
    let params = parse_parameters(&raw).map_err(|why| TamperError::InvalidParameters {
        rule: rule_name.to_owned(),
        why: why.to_string(),
    })?;
    Ok((rule_name, params))
}

/// The account-regions the call can break that this deployment judges.
async fn scope(rule: &Rule, event: &TamperEvent, params: &RuleParameters) -> Result<Scope, TamperError> {
    let scope = narrowed(scope_of(event, params), rule, params);
    match (&scope, params.mode) {
        (Scope::AccountRegion { account_id, .. }, Mode::Account) => {
            own_account_only(rule, account_id, scope.clone()).await
        }
        _ => Ok(scope),
    }
}

/// The judged accounts against Config's record; changes asked of Config (account mode) and
/// announced at once as health events.
async fn announce(
    rule: &Rule,
    rule_name: &str,
    params: &RuleParameters,
    event: &TamperEvent,
    judgements: &[RegionVerdict],
    outcome: &mut TamperOutcome,
) {
    let (judged, changes) = compare(rule, rule_name, judgements).await;
    outcome.judged = judged;
    // An account-mode run is one account-region: cheap to record now. A watchdog run judges the
    // whole Organization, so its next hourly run records the change (announced here already).
    if params.mode == Mode::Account && outcome.judged.iter().any(|j| j.changed) {
        outcome.evaluation_requested = request_evaluation(rule, rule_name).await;
    }
    let trigger = Trigger::Cloudtrail {
        event_name: event.event_name.clone(),
        event_time: event.event_time,
    };
    let context = health_event::Context {
        rule_region: &rule.region,
        config_rule_name: Some(rule_name),
        trigger: &trigger,
        detected_at: Timestamp::now(),
    };
    let events: Vec<_> = changes
        .iter()
        .filter(|change| health_event::announces(change))
        .map(|change| {
            let own: Vec<&RegionVerdict> = judgements
                .iter()
                .filter(|j| j.account_id == change.resource_id)
                .collect();
            health_event::health_event(change, &own, &context)
        })
        .collect();
    if let (Some(sdk), Some(bus), false) = (&rule.sdk, &params.health_event_bus, events.is_empty()) {
        for event in &events {
            log::emit(Level::Info, "health-change", json!(event));
        }
        let events: Vec<Outgoing> = events.into_iter().map(Outgoing::Account).collect();
        let summary =
            eventbridge::publish(&clients::eventbridge_client(sdk, &rule.region), bus, &events).await;
        outcome.health_events = Some(summary);
    }
}

/// Where this deployment can act: the account-mode rule judges its own region only; the
/// organization mode's results live in each member's Config, which this path cannot reach.
fn narrowed(scope: Scope, rule: &Rule, params: &RuleParameters) -> Scope {
    let ignored = |reason: String| Scope::Ignored { reason };
    match (params.mode, scope) {
        (Mode::Organization, Scope::Ignored { reason }) => ignored(reason),
        (Mode::Organization, _) => ignored(
            "organization mode: each member's rule records its own result; the periodic run judges it"
                .to_owned(),
        ),
        (Mode::Account, Scope::AccountRegion { region, .. }) if region != rule.region => {
            ignored(format!("the account-mode rule in {region} judges that region"))
        }
        (Mode::Account, Scope::Account { account_id }) => Scope::AccountRegion {
            account_id,
            region: rule.region.clone(),
        },
        (Mode::Watchdog, Scope::AccountRegion { region, .. })
            if params.regions.as_ref().is_some_and(|r| !r.contains(&region)) =>
        {
            ignored(format!("{region} is not one of the rule's Regions"))
        }
        (_, scope) => scope,
    }
}

/// The account-mode function judges its own account: another account's forwarded call is that
/// account's rule's to judge (and could not be read with these credentials).
async fn own_account_only(rule: &Rule, account_id: &str, scope: Scope) -> Result<Scope, TamperError> {
    let Some(sdk) = &rule.sdk else {
        return Ok(scope);
    };
    match caller_account(&aws_sdk_sts::Client::new(sdk)).await {
        Ok(own) if own == account_id => Ok(scope),
        Ok(own) => Ok(Scope::Ignored {
            reason: format!("a call in account {account_id}; this account-mode rule judges {own}"),
        }),
        Err(why) => Err(TamperError::CallerUnknown {
            why: format!("{} {}: {}", why.call, why.kind.describe(), why.message),
        }),
    }
}

async fn judge(
    rule: &Rule,
    params: &RuleParameters,
    account_id: &str,
    regions: Option<Vec<String>>,
    deadline: Option<SystemTime>,
) -> Vec<RegionVerdict> {
    let Some(sdk) = &rule.sdk else {
        return Vec::new();
    };
    let mut judgements = judge_unaccepted(rule, sdk, params, account_id, regions, deadline).await;
    // The periodic run's exceptions apply here too, or an accepted failure would be announced. The
    // account's OU is not read on this path: exceptions that name only OUs wait for the periodic run.
    let loaded = accepted::load(rule, params).await;
    for judgement in &mut judgements {
        accept_region(&loaded.exceptions, judgement, None);
    }
    judgements
}

async fn judge_unaccepted(
    rule: &Rule,
    sdk: &aws_config::SdkConfig,
    params: &RuleParameters,
    account_id: &str,
    regions: Option<Vec<String>>,
    deadline: Option<SystemTime>,
) -> Vec<RegionVerdict> {
    match params.mode {
        Mode::Watchdog => {
            let account = OrgAccount::unnamed(account_id);
            let plan = SweepPlan::from_parameters(
                params,
                vec![account],
                regions,
                &rule.region,
                sweep_deadline(deadline),
            );
            sweep(sdk, plan, Arc::new(Progress::default()))
                .await
                .into_iter()
                .flat_map(|account| account.judged.regions)
                .collect()
        }
        Mode::Account | Mode::Organization => {
            let delegated = clients::delegated_readers(sdk, &rule.region, params).await;
            let snapshot = collect(
                &ConfigReader::new(rule.config.clone()),
                rule.probes(),
                &delegated,
                account_id,
                &rule.region,
            )
            .await;
            vec![judge_snapshot(&snapshot, params)]
        }
    }
}

/// Each judged account against Config's record. A break is a change when Config does not already
/// hold NON_COMPLIANT; a repair of some regions is only a reason for Config to run (the run judges
/// every region and records it), not yet a health change.
async fn compare(
    rule: &Rule,
    rule_name: &str,
    judgements: &[RegionVerdict],
) -> (Vec<JudgedAccount>, Vec<Change>) {
    let stored = match stored_results(&rule.config, rule_name).await {
        Ok(stored) => stored,
        Err(why) => {
            log::emit(
                Level::Warn,
                "stored-results-unreadable",
                json!({"config_rule_name": rule_name, "error": why}),
            );
            Vec::new()
        }
    };
    let mut accounts: Vec<&str> = judgements.iter().map(|j| j.account_id.as_str()).collect();
    accounts.dedup();
    let mut judged = Vec::new();
    let mut changes = Vec::new();
    for account in accounts {
        let own: Vec<RegionVerdict> = judgements
            .iter()
            .filter(|j| j.account_id == account)
            .cloned()
            .collect();
        let mut whole = AccountVerdict::new(OrgAccount::unnamed(account), own.clone());
        annotate_account(&mut whole);
        let Verdict {
            compliance,
            annotation,
        } = whole.verdict;
        let recorded = stored.iter().find(|s| {
            s.resource_id == account
                && s.resource_type == delivery_guard_core::outbound::evaluation::ACCOUNT_RESOURCE_TYPE
        });
        let recorded_compliance = recorded.map(|r| r.compliance.clone());
        let changed = match compliance {
            Compliance::NonCompliant => {
                recorded_compliance.as_deref() != Some(Compliance::NonCompliant.as_str())
            }
            Compliance::Compliant | Compliance::NotApplicable => {
                recorded_compliance.as_deref() == Some(Compliance::NonCompliant.as_str())
            }
        };
        if changed && compliance == Compliance::NonCompliant {
            changes.push(Change {
                resource_id: account.to_owned(),
                old_compliance: recorded_compliance.clone(),
                old_annotation: recorded.and_then(|r| r.annotation.clone()),
                new_compliance: compliance,
                new_annotation: annotation.clone(),
            });
        }
        judged.push(JudgedAccount {
            account_id: account.to_owned(),
            regions: own.iter().map(|j| j.region.clone()).collect(),
            compliance,
            annotation,
            recorded: recorded_compliance,
            changed,
        });
    }
    (judged, changes)
}

async fn request_evaluation(rule: &Rule, rule_name: &str) -> bool {
    match start_rule_evaluation(&rule.config, rule_name).await {
        Ok(()) => true,
        Err(why) => {
            // A run already in progress (LimitExceeded) records the change too; the periodic run is
            // the safety net for anything else.
            log::emit(
                Level::Warn,
                "evaluation-not-started",
                json!({"config_rule_name": rule_name, "error": why}),
            );
            false
        }
    }
}
