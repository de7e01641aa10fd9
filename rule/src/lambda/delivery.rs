//! Delivery: evaluations to Config (all, or with delta reporting what changed), one health-change
//! event per change, and the fail-closed reports of an invocation that cannot be judged.

use super::log::{self, Level};
use super::{HandlerError, Outcome, Recipient, Rule};
use crate::aws::clients;
use crate::aws::read::{OrganizationsReader, stored_results};
use crate::aws::write::config::{ReportError, ReportSummary, put_evaluations};
use crate::aws::write::eventbridge::{self, EventsSummary};
use delivery_guard_core::aws_names::is_account_id;
use delivery_guard_core::checks::CheckId;
use delivery_guard_core::input::invocation::EventError;
use delivery_guard_core::outbound::delta::{self, DeltaSummary, StoredResult};
use delivery_guard_core::outbound::evaluation::Evaluation;
use delivery_guard_core::outbound::health_event::{
    self, HealthEvent, Outgoing, Trigger, group_by_root_cause,
};
use delivery_guard_core::outbound::recovery::{Held, hold_unconfirmed_recoveries};
use delivery_guard_core::parameters::{RuleParameters, Shard};
use delivery_guard_core::timestamp::Timestamp;
use delivery_guard_core::verdict::{Cluster, Compliance, RegionVerdict, Verdict};
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};

/// What `deliver` did: the PutEvaluations calls, the delta plan, the events.
pub(super) struct Delivered {
    pub(super) report: ReportSummary,
    pub(super) delta: Option<DeltaSummary>,
    pub(super) health_events: Option<EventsSummary>,
}

/// Report a run's evaluations: all of them, or with delta reporting those that changed or are due
/// for their refresh; then one health-change event per change. Results Config holds that cannot
/// be read mean everything is reported (the cost of one full run, never a lost change).
///
/// Never "recovered" on unread evidence: an account whose verdict is COMPLIANT while some read
/// failed stays NON_COMPLIANT if Config holds it so (or if what Config holds cannot be read).
/// Health events go out first; the evaluation of a change whose event was refused is held back
/// and the invocation fails, so Lambda's retry finds the same change and sends it again.
pub(super) async fn deliver(
    rule: &Rule,
    config: &aws_sdk_config::Client,
    to: &Recipient<'_>,
    params: &RuleParameters,
    mut evaluations: Vec<Evaluation>,
    judged: &Judged<'_>,
    roster: Option<&Roster<'_>>,
) -> Result<Delivered, HandlerError> {
    let unread = unread_by_account(judged.regions);
    let may_recover = evaluations
        .iter()
        .any(|e| e.compliance == Compliance::Compliant && unread.contains_key(&e.resource_id));
    let stored = if params.delta_reporting || may_recover || roster.is_some() {
        held_results(config, to.rule_name, params.delta_reporting).await
    } else {
        None
    };
    if let Some(roster) = roster {
        match &stored {
            Some(stored) => {
                let missing = roster.not_judged(stored, &evaluations, to.when).await;
                evaluations.extend(missing);
            }
            None if roster.required => {
                return Err(HandlerError::StoredResultsUnreadable {
                    what: roster.verdict.annotation.clone().unwrap_or_default(),
                });
            }
            None => {}
        }
    }
    hold_recoveries(&mut evaluations, stored.as_deref(), &unread);
    let (mut to_report, changes, delta) = match stored.filter(|_| params.delta_reporting) {
        Some(stored) => {
            let plan = delta::plan(evaluations, &stored, params.full_refresh);
            (plan.report, plan.changes, Some(plan.summary))
        }
        None => (evaluations, Vec::new(), None),
    };
    let (health_events, unpublished) = announce_changes(rule, to, params, &changes, judged).await;
    to_report.retain(|e| !unpublished.contains(&e.resource_id));
    let report = if to_report.is_empty() {
        ReportSummary::default()
    } else {
        put_evaluations(config, to.token, &to_report, rule.test_mode)
            .await
            .map_err(|source| report_failed(to.account_id, source))?
    };
    if !unpublished.is_empty() {
        return Err(HandlerError::Publish {
            what: format!(
                "{} health-change event(s) not published ({}); their evaluations were held back",
                unpublished.len(),
                health_events
                    .as_ref()
                    .and_then(|s| s.first_error.as_deref())
                    .unwrap_or("no reason given")
            ),
        });
    }
    Ok(Delivered {
        report,
        delta,
        health_events,
    })
}

/// Never "recovered" on evidence that was not read: a COMPLIANT verdict of an account some check
/// was not evaluated in stays NON_COMPLIANT where Config holds it so, or where that is unknown.
fn hold_recoveries(
    evaluations: &mut [Evaluation],
    stored: Option<&[StoredResult]>,
    unread: &BTreeMap<String, String>,
) {
    let held = stored.map_or(Held::Unknown, Held::Known);
    let held_back = hold_unconfirmed_recoveries(evaluations, held, unread);
    if held_back > 0 {
        log::emit(
            Level::Warn,
            "recovery-unconfirmed",
            json!({"accounts": held_back, "why": "evidence could not be read; reported NON_COMPLIANT"}),
        );
    }
}

/// One health-change event per change (an account seen for the first time and healthy is no
/// news), grouped by shared root cause; returns what was published and the accounts whose
/// events were not.
async fn announce_changes(
    rule: &Rule,
    to: &Recipient<'_>,
    params: &RuleParameters,
    changes: &[delta::Change],
    judged: &Judged<'_>,
) -> (Option<EventsSummary>, Vec<String>) {
    let context = health_event::Context {
        rule_region: &rule.region,
        config_rule_name: to.rule_name,
        trigger: &to.trigger,
        detected_at: Timestamp::now(),
    };
    let events: Vec<HealthEvent> = changes
        .iter()
        .filter(|c| health_event::announces(c))
        .map(|change| {
            let own = judged
                .regions
                .iter()
                .find(|(account, _)| *account == change.resource_id)
                .map(|(_, judgements)| judgements.as_slice())
                .unwrap_or_default();
            health_event::health_event(change, own, &context)
        })
        .collect();
    let events = group_by_root_cause(events, judged.causes);
    let health_events = publish_health_events(rule, params, &events).await;
    let unpublished = health_events
        .iter()
        .flat_map(|s| &s.unpublished)
        .filter_map(|place| events.get(*place))
        .flat_map(Outgoing::accounts)
        .map(str::to_owned)
        .collect();
    (health_events, unpublished)
}

/// What a run judged: each account's Region verdicts, and the root causes they share (watchdog
/// mode; a shared cause is announced once for the accounts it newly broke).
pub(super) struct Judged<'a> {
    pub(super) regions: &'a [(&'a str, Vec<&'a RegionVerdict>)],
    pub(super) causes: &'a [Cluster],
}

/// Watchdog mode: the accounts Config holds a result for must all be judged again, or get
/// `verdict` (left the Organization, suspended; or every member when the accounts could not be
/// listed), so that no earlier result stands unwatched.
pub(super) struct Roster<'a> {
    /// This invocation's shard of the Organization.
    pub(super) shard: Option<Shard>,
    /// For the accounts held but not judged.
    pub(super) verdict: Verdict,
    /// Without Config's results the run fails (Lambda retries) rather than leave members unseen.
    pub(super) required: bool,
    /// Confirms, account by account, that one ListAccounts did not name is gone (DescribeAccount)
    /// before it gets `verdict`: a short listing must not turn members into NOT_APPLICABLE.
    pub(super) confirm_with: Option<&'a OrganizationsReader>,
}

/// At most this many accounts missing from a listing are confirmed one by one; past it, the
/// listing is taken as short and the rest are "cannot verify" (a large drop is not a departure).
const MAX_CONFIRMED: usize = 50;

impl Roster<'_> {
    async fn not_judged(
        &self,
        stored: &[StoredResult],
        judged: &[Evaluation],
        when: Timestamp,
    ) -> Vec<Evaluation> {
        let judged: BTreeSet<&str> = judged.iter().map(|e| e.resource_id.as_str()).collect();
        let missing = delta::not_judged(stored, &judged, |id| self.shard.is_none_or(|s| s.holds(id)));
        let mut evaluations = Vec::with_capacity(missing.len());
        for (place, id) in missing.iter().enumerate() {
            let verdict = self.verdict_for(id, place, missing.len()).await;
            evaluations.push(Evaluation::for_account(id, verdict, when));
        }
        if !missing.is_empty() {
            log::emit(
                Level::Warn,
                "accounts-not-judged",
                json!({"accounts": missing, "reported": evaluations}),
            );
        }
        evaluations
    }

    async fn verdict_for(&self, account_id: &str, place: usize, missing: usize) -> Verdict {
        let Some(organizations) = self.confirm_with else {
            return self.verdict.clone();
        };
        let short = |why: String| Verdict::cannot_verify(CheckId::EvidenceIncomplete, &why);
        if place >= MAX_CONFIRMED {
            return short(format!(
                "Config holds a result for this account but ListAccounts did not name it, nor {missing} others: \
                 a drop that large is taken as a short listing"
            ));
        }
        match organizations.still_active(account_id).await {
            Ok(false) => self.verdict.clone(),
            Ok(true) => short(
                "DescribeAccount says ACTIVE, but ListAccounts did not name it: the listing was short"
                    .to_owned(),
            ),
            Err(why) => short(format!(
                "ListAccounts did not name this account, and DescribeAccount {}",
                why.brief()
            )),
        }
    }
}

/// What could not be read, by account, from its region verdicts.
fn unread_by_account(judged: &[(&str, Vec<&RegionVerdict>)]) -> BTreeMap<String, String> {
    judged
        .iter()
        .filter_map(|(account, regions)| {
            let unread: Vec<String> = regions.iter().filter_map(|r| r.unread_evidence()).collect();
            (!unread.is_empty()).then(|| ((*account).to_owned(), unread.join("; ")))
        })
        .collect()
}

/// The results Config holds for the rule; None (logged) when they cannot be had.
async fn held_results(
    config: &aws_sdk_config::Client,
    rule_name: Option<&str>,
    delta_reporting: bool,
) -> Option<Vec<StoredResult>> {
    let then = if delta_reporting {
        "every evaluation is reported"
    } else {
        "a COMPLIANT verdict on unread evidence is reported NON_COMPLIANT"
    };
    let Some(name) = rule_name else {
        log::emit(
            Level::Warn,
            "stored-results-skipped",
            json!({"why": "the invocation names no configRuleName", "then": then}),
        );
        return None;
    };
    match stored_results(config, name).await {
        Ok(stored) => Some(stored),
        Err(why) => {
            log::emit(
                Level::Warn,
                "stored-results-unreadable",
                json!({"config_rule_name": name, "error": why, "then": then}),
            );
            None
        }
    }
}

async fn publish_health_events(
    rule: &Rule,
    params: &RuleParameters,
    events: &[Outgoing],
) -> Option<EventsSummary> {
    let (Some(sdk), Some(bus)) = (&rule.sdk, &params.health_event_bus) else {
        return None;
    };
    if events.is_empty() || rule.test_mode {
        return None;
    }
    for event in events {
        let name = match event {
            Outgoing::Account(_) => "health-change",
            Outgoing::RootCause(_) => "root-cause-change",
        };
        log::emit(Level::Info, name, event.detail());
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
        exceptions: None,
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
