//! Health-change events: one custom EventBridge event per verdict change, a cheap feed for alerting
//! and SIEMs. Pure: builds the entries; `eventbridge` sends them.

use crate::checks::Severity;
use crate::outbound::delta::Change;
use crate::timestamp::Timestamp;
use crate::verdict::RegionVerdict;
use serde::Serialize;
use serde_json::{Value, json};

/// Custom sources may not start with `aws.`.
pub const SOURCE: &str = "config-delivery-guard";
/// The event's `detail-type`.
pub const DETAIL_TYPE: &str = "Delivery Pipeline Health Change";

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
    }
}

/// The PutEvents entry (without the bus, which the sender sets).
pub fn entry_detail(event: &HealthEvent) -> Value {
    json!(event)
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
        let detail = entry_detail(&event);
        assert_eq!(detail["old"]["compliance"], "COMPLIANT");
        assert_eq!(detail["new"]["compliance"], "NON_COMPLIANT");
        assert_eq!(detail["trigger"]["kind"], "config");
    }
}
