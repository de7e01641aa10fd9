//! The AWS Config custom-rule invocation event.
//!
//! `invokingEvent` and `ruleParameters` arrive as JSON *strings* and are parsed a second time;
//! `ruleParameters` and `eventLeftScope` may be absent. `aws_lambda_events::ConfigEvent` requires
//! `eventLeftScope`, so the project parses the event itself.

use crate::aws_names::is_account_id;
use crate::timestamp::Timestamp;
use serde::Deserialize;
use serde_json::{Map, Value};

/// A Config custom-rule invocation, parsed and checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Invocation {
    /// The account the evaluation is about.
    pub account_id: String,
    /// The token `PutEvaluations` must carry.
    pub result_token: String,
    /// The account left the rule's scope: NOT_APPLICABLE.
    pub event_left_scope: bool,
    /// The invoking rule's name, for delta reporting.
    pub config_rule_name: Option<String>,
    /// The invoking rule's ARN.
    pub config_rule_arn: Option<String>,
    /// Why Config invoked the rule.
    pub message_type: MessageType,
    /// The trigger time: the OrderingTimestamp of the evaluations.
    pub notification_creation_time: Timestamp,
    /// The rule parameters object, not yet validated (see `parameters`).
    pub rule_parameters: Map<String, Value>,
}

/// Why Config invoked the rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageType {
    /// A periodic run.
    ScheduledNotification,
    /// A configuration item changed.
    ConfigurationItemChangeNotification,
    /// A configuration item changed and was too large to send.
    OversizedConfigurationItemChangeNotification,
    /// A snapshot delivery completed.
    ConfigurationSnapshotDeliveryCompleted,
}

impl MessageType {
    const ALL: [Self; 4] = [
        Self::ScheduledNotification,
        Self::ConfigurationItemChangeNotification,
        Self::OversizedConfigurationItemChangeNotification,
        Self::ConfigurationSnapshotDeliveryCompleted,
    ];

    /// The name Config sends.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::ScheduledNotification => "ScheduledNotification",
            Self::ConfigurationItemChangeNotification => "ConfigurationItemChangeNotification",
            Self::OversizedConfigurationItemChangeNotification => {
                "OversizedConfigurationItemChangeNotification"
            }
            Self::ConfigurationSnapshotDeliveryCompleted => "ConfigurationSnapshotDeliveryCompleted",
        }
    }

    fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == raw)
    }
}

/// Why an event could not be used. Carries what *could* be read, so the caller can still
/// report "cannot verify" against the right account and token.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("malformed Config invocation event: {reason}")]
pub struct EventError {
    /// What is wrong with the event.
    pub reason: String,
    /// The account, when the event still names one.
    pub account_id: Option<String>,
    /// The result token, when the event still names one.
    pub result_token: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawEvent {
    invoking_event: String,
    #[serde(default)]
    rule_parameters: Option<String>,
    result_token: String,
    #[serde(default)]
    event_left_scope: Option<bool>,
    account_id: String,
    #[serde(default)]
    config_rule_name: Option<String>,
    #[serde(default)]
    config_rule_arn: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawInvokingEvent {
    message_type: String,
    notification_creation_time: String,
    #[serde(default)]
    aws_account_id: Option<String>,
}

/// Parses Config's event: both JSON strings in it are parsed again and checked.
pub fn parse_invocation(event: &Value) -> Result<Invocation, EventError> {
    let fail = |reason: String| EventError {
        reason,
        account_id: string_field(event, "accountId"),
        result_token: string_field(event, "resultToken"),
    };
    if !event.is_object() {
        return Err(fail(format!("expected a JSON object, got {}", kind_of(event))));
    }
    let raw = RawEvent::deserialize(event).map_err(|err| fail(err.to_string()))?;
    if !is_account_id(&raw.account_id) {
        return Err(fail(format!(
            "accountId '{}' is not a 12-digit account ID",
            raw.account_id
        )));
    }
    if raw.result_token.is_empty() {
        return Err(fail("resultToken is empty".to_owned()));
    }
    let invoking: RawInvokingEvent = serde_json::from_str(&raw.invoking_event)
        .map_err(|err| fail(format!("invokingEvent is not the expected JSON: {err}")))?;
    let message_type = MessageType::parse(&invoking.message_type).ok_or_else(|| {
        fail(format!(
            "invokingEvent.messageType '{}' is not one this rule handles",
            invoking.message_type
        ))
    })?;
    let notification_creation_time = Timestamp::parse_rfc3339(&invoking.notification_creation_time)
        .map_err(|err| fail(format!("invokingEvent.notificationCreationTime: {err}")))?;
    if let Some(other) = invoking
        .aws_account_id
        .as_deref()
        .filter(|id| *id != raw.account_id)
    {
        return Err(fail(format!(
            "invokingEvent.awsAccountId {other} differs from accountId {}",
            raw.account_id
        )));
    }
    let rule_parameters = match raw.rule_parameters.as_deref().map(str::trim) {
        None | Some("") => Map::new(),
        Some(text) => match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(map)) => map,
            Ok(other) => {
                return Err(fail(format!(
                    "ruleParameters must be a JSON object, got {}",
                    kind_of(&other)
                )));
            }
            Err(err) => return Err(fail(format!("ruleParameters is not JSON: {err}"))),
        },
    };
    Ok(Invocation {
        account_id: raw.account_id,
        result_token: raw.result_token,
        event_left_scope: raw.event_left_scope.unwrap_or(false),
        config_rule_name: raw.config_rule_name,
        config_rule_arn: raw.config_rule_arn,
        message_type,
        notification_creation_time,
        rule_parameters,
    })
}

fn string_field(event: &Value, name: &str) -> Option<String> {
    event
        .get(name)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn event_with(invoking: Value, extra: Value) -> Value {
        let mut event = json!({
            "invokingEvent": invoking.to_string(),
            "resultToken": "token-1",
            "accountId": "123456789012",
            "configRuleName": "delivery-pipeline",
            "configRuleArn": "arn:aws:config:us-east-2:123456789012:config-rule/config-rule-0123456",
            "executionRoleArn": "arn:aws:iam::123456789012:role/config-role",
            "version": "1.0"
        });
        if let (Some(target), Some(add)) = (event.as_object_mut(), extra.as_object()) {
            target.extend(add.clone());
        }
        event
    }

    fn scheduled() -> Value {
        json!({"awsAccountId": "123456789012", "notificationCreationTime": "2016-07-13T21:50:00.373Z",
               "messageType": "ScheduledNotification", "recordVersion": "1.0"})
    }

    #[test]
    fn parses_the_documented_periodic_sample() {
        let event = event_with(
            scheduled(),
            json!({"ruleParameters": "{\"ExpectedBucket\":\"central-logs\"}", "eventLeftScope": false}),
        );
        let inv = parse_invocation(&event).unwrap();
        assert_eq!(inv.account_id, "123456789012");
        assert_eq!(inv.message_type, MessageType::ScheduledNotification);
        assert_eq!(inv.notification_creation_time.epoch_millis(), 1_468_446_600_373);
        assert_eq!(
            inv.rule_parameters.get("ExpectedBucket"),
            Some(&json!("central-logs"))
        );
        assert!(!inv.event_left_scope);
    }

    #[test]
    fn absent_rule_parameters_and_scope_take_defaults() {
        let inv = parse_invocation(&event_with(scheduled(), json!({}))).unwrap();
        assert!(inv.rule_parameters.is_empty());
        assert!(!inv.event_left_scope);
    }

    #[test]
    fn event_left_scope_is_read() {
        let inv = parse_invocation(&event_with(scheduled(), json!({"eventLeftScope": true}))).unwrap();
        assert!(inv.event_left_scope);
    }

    #[test]
    fn every_handled_message_type_parses() {
        for message_type in MessageType::ALL {
            let invoking = json!({"messageType": message_type.as_str(),
                                  "notificationCreationTime": "2024-01-01T00:00:00.000Z",
                                  "configurationItem": {"resourceType": "AWS::Config::ResourceCompliance"}});
            let inv = parse_invocation(&event_with(invoking, json!({}))).unwrap();
            assert_eq!(inv.message_type, message_type);
        }
    }

    #[test]
    fn invoking_event_that_is_not_json_is_an_error_that_keeps_the_token() {
        let mut event = event_with(scheduled(), json!({}));
        event["invokingEvent"] = json!("{not json");
        let err = parse_invocation(&event).unwrap_err();
        assert!(err.reason.contains("invokingEvent"), "{err}");
        assert_eq!(err.result_token.as_deref(), Some("token-1"));
        assert_eq!(err.account_id.as_deref(), Some("123456789012"));
    }

    #[test]
    fn missing_fields_are_named() {
        let err = parse_invocation(&json!({"accountId": "123456789012"})).unwrap_err();
        assert!(err.reason.contains("invokingEvent"), "{err}");
        let err = parse_invocation(&json!([1, 2])).unwrap_err();
        assert!(err.reason.contains("an array"), "{err}");
    }

    #[test]
    fn unknown_message_type_and_bad_time_are_rejected() {
        let invoking =
            json!({"messageType": "SomethingElse", "notificationCreationTime": "2024-01-01T00:00:00Z"});
        let err = parse_invocation(&event_with(invoking, json!({}))).unwrap_err();
        assert!(err.reason.contains("SomethingElse"), "{err}");
        let invoking = json!({"messageType": "ScheduledNotification", "notificationCreationTime": "soon"});
        let err = parse_invocation(&event_with(invoking, json!({}))).unwrap_err();
        assert!(err.reason.contains("notificationCreationTime"), "{err}");
    }

    #[test]
    fn rule_parameters_must_be_an_object() {
        let err = parse_invocation(&event_with(scheduled(), json!({"ruleParameters": "[1]"}))).unwrap_err();
        assert!(
            err.reason.contains("ruleParameters must be a JSON object"),
            "{err}"
        );
        let err = parse_invocation(&event_with(scheduled(), json!({"ruleParameters": "{"}))).unwrap_err();
        assert!(err.reason.contains("ruleParameters is not JSON"), "{err}");
    }

    #[test]
    fn account_id_must_be_twelve_digits_and_match_the_invoking_event() {
        let mut event = event_with(scheduled(), json!({}));
        event["accountId"] = json!("12345");
        assert!(parse_invocation(&event).unwrap_err().reason.contains("12-digit"));
        let mut invoking = scheduled();
        invoking["awsAccountId"] = json!("999999999999");
        let err = parse_invocation(&event_with(invoking, json!({}))).unwrap_err();
        assert!(err.reason.contains("999999999999"), "{err}");
    }
}
