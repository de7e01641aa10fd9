//! Health-change events: one custom EventBridge event per verdict change, a cheap feed for alerting
//! and SIEMs. Pure: builds the entries; `eventbridge` sends them.

use crate::checks::{CheckId, Evidence, Severity};
use crate::exceptions::ACCEPTED_PREFIX;
use crate::outbound::delta::Change;
use crate::timestamp::Timestamp;
use crate::verdict::{Cluster, Compliance, RegionVerdict};
use serde::Serialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// Custom sources may not start with `aws.`.
pub const SOURCE: &str = "config-delivery-guard";
/// The event's `detail-type`.
pub const DETAIL_TYPE: &str = "Delivery Pipeline Health Change";
/// The `detail-type` of one event for many accounts broken by one cause.
pub const ROOT_CAUSE_DETAIL_TYPE: &str = "Delivery Pipeline Root Cause";
/// Accounts per root-cause event: a hundred accounts' changes stay far below PutEvents' 256 KB.
pub const ACCOUNTS_PER_ROOT_CAUSE_EVENT: usize = 100;

/// What found the change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Trigger {
    /// A run Config invoked (periodic, or one the event-driven path asked for).
    /// A Config invocation, with its message type.
    Config {
        /// Config's `messageType`.
        message_type: String,
    },
    /// A CloudTrail call that can break a pipeline, checked at once.
    Cloudtrail {
        /// The CloudTrail call's operation.
        event_name: String,
        /// When it was made.
        event_time: Timestamp,
    },
}

/// One health-change event: an account's verdict changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HealthEvent {
    /// The account.
    pub account_id: String,
    /// The Region whose Config holds the rule's result (the rule's), and the regions judged.
    pub rule_region: String,
    /// The Regions judged.
    pub regions: Vec<String>,
    /// The Regions failing.
    pub failing_regions: Vec<String>,
    /// The rule whose result changed.
    pub config_rule_name: Option<String>,
    /// What Config held before; None for an account seen for the first time.
    pub old: Option<State>,
    /// The verdict now.
    pub new: State,
    /// The first failing check that is not a delivery symptom, else the symptom.
    pub root_cause: Option<String>,
    /// What triggered the run.
    pub trigger: Trigger,
    /// When the change was found.
    pub detected_at: Timestamp,
    /// The failure had been accepted and is active again: its exception expired or was removed.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub exception_ended: bool,
}

/// Whether a change is news: not an account seen for the first time and healthy, and not a failure
/// an exception accepts (crate::exceptions: no health event while it is accepted).
pub fn announces(change: &Change) -> bool {
    let first_and_healthy = change.old_compliance.is_none() && change.new_compliance == Compliance::Compliant;
    !first_and_healthy && !is_accepted(change.new_annotation.as_deref())
}

fn is_accepted(annotation: Option<&str>) -> bool {
    annotation.is_some_and(|a| a.starts_with(ACCEPTED_PREFIX))
}

/// A compliance and its annotation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct State {
    /// As Config says it.
    pub compliance: String,
    /// Why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub annotation: Option<String>,
}

/// Where the event is about and how it was found, besides the change itself.
pub struct Context<'a> {
    /// The Region of the rule.
    pub rule_region: &'a str,
    /// The rule's name.
    pub config_rule_name: Option<&'a str>,
    /// What triggered the run.
    pub trigger: &'a Trigger,
    /// When the change was found.
    pub detected_at: Timestamp,
}

/// The event for one change, with the root cause from the account's region verdicts.
pub fn health_event(change: &Change, judgements: &[&RegionVerdict], context: &Context<'_>) -> HealthEvent {
    // A failing delivery is the symptom; a probe's finding (role, bucket, key, SCP) is the cause.
    let failing: Vec<_> = judgements
        .iter()
        .flat_map(|j| &j.findings)
        .filter(|f| f.severity != Severity::Info)
        .collect();
    let root_cause = failing
        .iter()
        .find(|f| !f.check.is_delivery_failure())
        .or_else(|| failing.first())
        .map(|f| f.check.id().to_owned());
    HealthEvent {
        account_id: change.resource_id.clone(),
        rule_region: context.rule_region.to_owned(),
        regions: judgements.iter().map(|j| j.region.clone()).collect(),
        failing_regions: judgements
            .iter()
            .filter(|j| j.verdict.compliance == crate::verdict::Compliance::NonCompliant)
            .map(|j| j.region.clone())
            .collect(),
        config_rule_name: context.config_rule_name.map(str::to_owned),
        old: change.old_compliance.as_ref().map(|compliance| State {
            compliance: compliance.clone(),
            annotation: change.old_annotation.clone(),
        }),
        new: State {
            compliance: change.new_compliance.as_str().to_owned(),
            annotation: change.new_annotation.clone(),
        },
        root_cause,
        trigger: context.trigger.clone(),
        detected_at: context.detected_at,
        exception_ended: is_accepted(change.old_annotation.as_deref())
            && !is_accepted(change.new_annotation.as_deref())
            && change.new_compliance == Compliance::NonCompliant,
    }
}

/// One event for the accounts one cause broke in this run: the cause, its evidence and fix once,
/// and each account's own change. An SCP rolled out to an OU is one alert, not two hundred.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RootCauseEvent {
    /// The check that names the cause.
    pub check: CheckId,
    /// The cause, as the root-cause cluster says it.
    pub cause: String,
    /// The worst severity among its account-regions.
    pub severity: Severity,
    /// What was observed, from the first account-region.
    pub evidence: Evidence,
    /// What to do about it.
    pub remediation: &'static str,
    /// The OUs of the accounts it breaks now, where known.
    pub ous: Vec<String>,
    /// Accounts it breaks now, newly or not.
    pub breaks_accounts: usize,
    /// Account-regions it breaks now.
    pub breaks_account_regions: usize,
    /// This event's part, when the accounts needed more than one (1-based).
    pub part: usize,
    /// How many parts.
    pub parts: usize,
    /// The accounts this run found newly broken by it, each with its own change.
    pub changes: Vec<HealthEvent>,
}

/// What goes on the bus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outgoing {
    /// One account's verdict changed.
    Account(HealthEvent),
    /// Several accounts newly broken by one cause.
    RootCause(RootCauseEvent),
}

impl Outgoing {
    /// The event's `detail-type`.
    pub const fn detail_type(&self) -> &'static str {
        match self {
            Self::Account(_) => DETAIL_TYPE,
            Self::RootCause(_) => ROOT_CAUSE_DETAIL_TYPE,
        }
    }

    /// The accounts whose evaluation waits for this event.
    pub fn accounts(&self) -> Vec<&str> {
        match self {
            Self::Account(event) => vec![event.account_id.as_str()],
            Self::RootCause(event) => event.changes.iter().map(|c| c.account_id.as_str()).collect(),
        }
    }

    /// The PutEvents entry's detail (without the bus, which the sender sets).
    pub fn detail(&self) -> Value {
        match self {
            Self::Account(event) => json!(event),
            Self::RootCause(event) => json!(event),
        }
    }
}

/// Accounts newly failing for a cause that two or more of them share go out as one root-cause event
/// per cause (each account in the largest cause it is part of); every other change as its own.
pub fn group_by_root_cause(events: Vec<HealthEvent>, causes: &[Cluster]) -> Vec<Outgoing> {
    let newly_failing = |event: &HealthEvent| {
        event.new.compliance == Compliance::NonCompliant.as_str()
            && event
                .old
                .as_ref()
                .is_none_or(|old| old.compliance != Compliance::NonCompliant.as_str())
    };
    // Causes come largest first: the first one an account is in is its largest.
    let mut largest_cause: BTreeMap<&str, usize> = BTreeMap::new();
    for (index, cause) in causes.iter().enumerate() {
        for member in &cause.members {
            largest_cause.entry(member.account_id.as_str()).or_insert(index);
        }
    }
    let mut by_cause: BTreeMap<usize, Vec<HealthEvent>> = BTreeMap::new();
    let mut alone = Vec::new();
    for event in events {
        match largest_cause.get(event.account_id.as_str()).copied() {
            Some(cause) if newly_failing(&event) => by_cause.entry(cause).or_default().push(event),
            _ => alone.push(event),
        }
    }
    let mut outgoing = Vec::new();
    for (cause, changes) in by_cause {
        let Some(cluster) = causes.get(cause) else {
            alone.extend(changes);
            continue;
        };
        if changes.len() < 2 {
            alone.extend(changes);
            continue;
        }
        let parts = changes.len().div_ceil(ACCOUNTS_PER_ROOT_CAUSE_EVENT);
        for (index, chunk) in changes.chunks(ACCOUNTS_PER_ROOT_CAUSE_EVENT).enumerate() {
            outgoing.push(Outgoing::RootCause(RootCauseEvent {
                check: cluster.check,
                cause: cluster.cause.clone(),
                severity: cluster.severity,
                evidence: cluster.finding.evidence.clone(),
                remediation: cluster.finding.remediation,
                ous: cluster.ous.clone(),
                breaks_accounts: cluster.accounts,
                breaks_account_regions: cluster.members.len(),
                part: index + 1,
                parts,
                changes: chunk.to_vec(),
            }));
        }
    }
    alone.sort_by(|a, b| a.account_id.cmp(&b.account_id));
    outgoing.extend(alone.into_iter().map(Outgoing::Account));
    outgoing
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::{CheckId, Finding};
    use crate::verdict::Compliance;

    fn judgement(region: &str, findings: Vec<Finding>) -> RegionVerdict {
        RegionVerdict::new("111111111111", region, Timestamp::from_epoch_millis(0), findings)
    }

    #[test]
    fn a_break_names_its_root_cause_and_the_failing_regions() {
        let healthy = judgement("us-east-1", vec![]);
        let broken = judgement(
            "eu-west-1",
            vec![
                Finding::new(CheckId::HistoryDeliveryFailure, "history delivery fails"),
                Finding::new(CheckId::RoleDeniesDelivery, "the role may not write"),
            ],
        );
        let change = Change {
            resource_id: "111111111111".to_owned(),
            old_compliance: Some("COMPLIANT".to_owned()),
            old_annotation: None,
            new_compliance: Compliance::NonCompliant,
            new_annotation: broken.verdict.annotation.clone(),
        };
        let trigger = Trigger::Config {
            message_type: "ScheduledNotification".to_owned(),
        };
        let context = Context {
            rule_region: "us-east-1",
            config_rule_name: Some("delivery-pipeline"),
            trigger: &trigger,
            detected_at: Timestamp::from_epoch_millis(1_000),
        };
        let event = health_event(&change, &[&healthy, &broken], &context);
        assert_eq!(event.failing_regions, ["eu-west-1"]);
        assert_eq!(event.regions, ["us-east-1", "eu-west-1"]);
        assert_eq!(
            event.root_cause.as_deref(),
            Some(CheckId::RoleDeniesDelivery.id())
        );
        let detail = Outgoing::Account(event).detail();
        assert_eq!(detail["old"]["compliance"], "COMPLIANT");
        assert_eq!(detail["new"]["compliance"], "NON_COMPLIANT");
        assert_eq!(detail["trigger"]["kind"], "config");
    }

    fn change(account: &str, old: Option<&str>, new: Compliance) -> HealthEvent {
        HealthEvent {
            account_id: account.to_owned(),
            rule_region: "us-east-1".to_owned(),
            regions: vec!["us-east-1".to_owned()],
            failing_regions: vec![],
            config_rule_name: None,
            old: old.map(|c| State {
                compliance: c.to_owned(),
                annotation: None,
            }),
            new: State {
                compliance: new.as_str().to_owned(),
                annotation: None,
            },
            root_cause: None,
            trigger: Trigger::Config {
                message_type: "ScheduledNotification".to_owned(),
            },
            detected_at: Timestamp::from_epoch_millis(0),
            exception_ended: false,
        }
    }

    #[test]
    fn an_accepted_failure_is_no_news_and_its_end_is() {
        let accepted = "accepted until 2027-01-15 (platform-team): SCP rework | fails";
        let delta = |old: Option<&str>, new: Option<&str>| Change {
            resource_id: "111111111111".to_owned(),
            old_compliance: Some("COMPLIANT".to_owned()),
            old_annotation: old.map(str::to_owned),
            new_compliance: Compliance::NonCompliant,
            new_annotation: new.map(str::to_owned),
        };
        assert!(!announces(&delta(None, Some(accepted))));
        let ended = delta(Some(accepted), Some("organization.scp-denies-delivery: ..."));
        assert!(announces(&ended));
        let context = Context {
            rule_region: "us-east-1",
            config_rule_name: None,
            trigger: &Trigger::Config {
                message_type: "ScheduledNotification".to_owned(),
            },
            detected_at: Timestamp::from_epoch_millis(0),
        };
        assert!(health_event(&ended, &[], &context).exception_ended);
        assert!(!health_event(&delta(None, Some("fails")), &[], &context).exception_ended);
    }

    #[test]
    fn accounts_newly_broken_by_one_cause_are_one_event_and_the_rest_their_own() {
        use crate::snapshot::OrgAccount;
        use crate::verdict::{AccountVerdict, clusters};
        let scp = |id: &str| {
            AccountVerdict::new(
                OrgAccount::unnamed(id),
                vec![judgement(
                    "us-east-1",
                    vec![
                        Finding::new(CheckId::ScpDeniesDelivery, "denied").with("denied_by", "p-1 NoWrites"),
                    ],
                )],
            )
        };
        let accounts: Vec<AccountVerdict> = (1..=250).map(|n| scp(&format!("{n:012}"))).collect();
        let mut accounts = accounts;
        accounts.push(AccountVerdict::new(
            OrgAccount::unnamed("999999999999"),
            vec![judgement(
                "us-east-1",
                vec![Finding::new(CheckId::KeyDisabled, "key").with("key", "k")],
            )],
        ));
        let refs: Vec<&AccountVerdict> = accounts.iter().collect();
        let causes = clusters(&refs);
        let mut events: Vec<HealthEvent> = (1..=250)
            .map(|n| change(&format!("{n:012}"), Some("COMPLIANT"), Compliance::NonCompliant))
            .collect();
        // Already failing before: a change of annotation, not news of this cause.
        events[0].old = Some(State {
            compliance: "NON_COMPLIANT".to_owned(),
            annotation: None,
        });
        events.push(change("999999999999", None, Compliance::NonCompliant));
        events.push(change(
            "888888888888",
            Some("NON_COMPLIANT"),
            Compliance::Compliant,
        ));
        let outgoing = group_by_root_cause(events, &causes);
        let kinds: Vec<(&str, usize)> = outgoing
            .iter()
            .map(|o| (o.detail_type(), o.accounts().len()))
            .collect();
        assert_eq!(
            kinds,
            [
                (ROOT_CAUSE_DETAIL_TYPE, 100),
                (ROOT_CAUSE_DETAIL_TYPE, 100),
                (ROOT_CAUSE_DETAIL_TYPE, 49),
                (DETAIL_TYPE, 1),
                (DETAIL_TYPE, 1),
                (DETAIL_TYPE, 1),
            ]
        );
        let detail = outgoing[2].detail();
        assert_eq!(
            (detail["part"].as_u64(), detail["parts"].as_u64()),
            (Some(3), Some(3))
        );
        assert_eq!(detail["breaks_accounts"], 250);
        assert_eq!(detail["cause"], "denied by p-1 NoWrites");
        assert!(outgoing[0].detail().to_string().len() < 256 * 1024);
        let alone: Vec<&str> = outgoing[3..].iter().flat_map(Outgoing::accounts).collect();
        assert_eq!(
            alone,
            ["000000000001", "888888888888", "999999999999"],
            "a cause of one account stays per account"
        );
    }
}
