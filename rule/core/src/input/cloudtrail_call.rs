//! The rule's second input: an EventBridge "AWS API Call via CloudTrail" event of a call that can
//! break a delivery pipeline, and which account-regions it can break. Pure.

use crate::aws_names::{is_account_id, is_region_name};
use crate::parameters::RuleParameters;
use crate::timestamp::Timestamp;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The `detail-type` of EventBridge's CloudTrail events.
pub const DETAIL_TYPE: &str = "AWS API Call via CloudTrail";

/// The calls that can break a pipeline (CloudTrail event names), by the service that logs them: one
/// list with the Terraform modules' EventBridge patterns (`rule`'s event path, `alerts`' tamper
/// rules), kept where both read it. `make test` checks every name against botocore's models.
const BREAKING_CALLS_JSON: &str =
    include_str!("../../../../terraform/modules/permissions/breaking-calls.json");

/// [`BREAKING_CALLS_JSON`], read once. A list that does not parse breaks no verdict (the scheduled
/// run still judges every account-region); the unit tests make sure it parses.
pub fn breaking_calls() -> &'static BTreeMap<String, Vec<String>> {
    static CALLS: OnceLock<BTreeMap<String, Vec<String>>> = OnceLock::new();
    CALLS.get_or_init(|| serde_json::from_str(BREAKING_CALLS_JSON).unwrap_or_default())
}

/// A CloudTrail call that can break a pipeline, as the event path reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TamperEvent {
    /// The account the call was made in (EventBridge keeps it when the event is forwarded).
    pub account_id: String,
    /// The Region the call was made in.
    pub region: String,
    /// The service, `config.amazonaws.com`.
    pub event_source: String,
    /// The API operation, `StopConfigurationRecorder`.
    pub event_name: String,
    /// When the call was made.
    pub event_time: Timestamp,
    /// CloudTrail's errorCode: the call failed and changed nothing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    /// The bucket the call names, for S3 calls.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bucket: Option<String>,
    /// The key the call names, for KMS calls.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_id: Option<String>,
}

/// Which pipelines a call can break.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "scope", rename_all = "snake_case")]
pub enum Scope {
    /// The account-region the call was made in (its recorder, channel, own bucket or key).
    /// One account-region.
    AccountRegion {
        /// The account.
        account_id: String,
        /// The Region.
        region: String,
    },
    /// Every region of the account (IAM is global: the recorder role serves them all).
    /// Every Region of one account (IAM is global).
    Account {
        /// The account.
        account_id: String,
    },
    /// Every account (an SCP, or the log archive's bucket or key that all deliver to): a full run.
    Organization,
    /// Nothing to check, and why.
    /// Nothing to check, and why.
    Ignored {
        /// Why nothing is checked.
        reason: String,
    },
}

/// EventBridge events carry `detail-type`; Config invocations never do.
pub fn is_eventbridge_event(payload: &Value) -> bool {
    payload.get("detail-type").is_some()
}

/// A CloudTrail call event that cannot be used; the message says what is missing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct CallEventError(String);

/// Reads EventBridge's CloudTrail event; an error says what is missing.
pub fn parse_tamper_event(payload: &Value) -> Result<TamperEvent, CallEventError> {
    read_tamper_event(payload).map_err(CallEventError)
}

/// Reads EventBridge's CloudTrail event; an error says what is missing.
fn read_tamper_event(payload: &Value) -> Result<TamperEvent, String> {
    let text = |value: Option<&Value>, what: &str| -> Result<String, String> {
        value
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| format!("the event has no {what}"))
    };
    let detail_type = text(payload.get("detail-type"), "detail-type")?;
    if detail_type != DETAIL_TYPE {
        return Err(format!("detail-type '{detail_type}' is not '{DETAIL_TYPE}'"));
    }
    let detail = payload
        .get("detail")
        .filter(|d| d.is_object())
        .ok_or("the event has no detail object")?;
    let account_id = text(payload.get("account"), "account")?;
    if !is_account_id(&account_id) {
        return Err(format!("account '{account_id}' is not a 12-digit account ID"));
    }
    let region = text(
        detail.get("awsRegion").or_else(|| payload.get("region")),
        "region",
    )?;
    if !is_region_name(&region) {
        return Err(format!("region '{region}' is not an AWS region name"));
    }
    let time = text(
        detail.get("eventTime").or_else(|| payload.get("time")),
        "eventTime",
    )?;
    let event_time = Timestamp::parse_rfc3339(&time).map_err(|e| format!("eventTime '{time}': {e}"))?;
    let request = detail.get("requestParameters");
    let field = |name: &str| {
        request
            .and_then(|r| r.get(name))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    Ok(TamperEvent {
        account_id,
        region,
        event_source: text(detail.get("eventSource"), "detail.eventSource")?,
        event_name: text(detail.get("eventName"), "detail.eventName")?,
        event_time,
        error_code: detail.get("errorCode").and_then(Value::as_str).map(str::to_owned),
        bucket: field("bucketName"),
        key_id: field("keyId"),
    })
}

/// Which account-regions the call can break, given the rule's parameters.
pub fn scope_of(event: &TamperEvent, params: &RuleParameters) -> Scope {
    let ignored = |reason: String| Scope::Ignored { reason };
    if let Some(code) = &event.error_code {
        return ignored(format!(
            "{} failed ({code}) and changed nothing",
            event.event_name
        ));
    }
    let breaking = breaking_calls()
        .get(&event.event_source)
        .is_some_and(|names| names.contains(&event.event_name));
    if !breaking {
        return ignored(format!(
            "{} {} cannot break a delivery pipeline",
            event.event_source, event.event_name
        ));
    }
    let here = Scope::AccountRegion {
        account_id: event.account_id.clone(),
        region: event.region.clone(),
    };
    match event.event_source.as_str() {
        "s3.amazonaws.com" => match (&event.bucket, &params.expected_bucket) {
            (Some(bucket), Some(expected)) if bucket == expected => Scope::Organization,
            _ => here,
        },
        "kms.amazonaws.com" => match (&event.key_id, &params.expected_kms_key_arn) {
            (Some(key), Some(expected)) if same_key(key, expected) => Scope::Organization,
            _ => here,
        },
        "iam.amazonaws.com" => Scope::Account {
            account_id: event.account_id.clone(),
        },
        "organizations.amazonaws.com" => Scope::Organization,
        _ => here,
    }
}

/// CloudTrail logs the key as the caller named it: an ARN or a bare key ID.
fn same_key(logged: &str, expected_arn: &str) -> bool {
    logged == expected_arn || expected_arn.rsplit('/').next() == Some(logged)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_breaking_calls_list_parses_and_covers_each_service() {
        let calls = breaking_calls();
        let sources: Vec<&str> = calls.keys().map(String::as_str).collect();
        assert_eq!(
            sources,
            [
                "config.amazonaws.com",
                "iam.amazonaws.com",
                "kms.amazonaws.com",
                "organizations.amazonaws.com",
                "s3.amazonaws.com"
            ]
        );
        assert!(calls["s3.amazonaws.com"].contains(&"PutBucketPolicy".to_string()));
        assert!(calls["config.amazonaws.com"].contains(&"StopConfigurationRecorder".to_string()));
    }

    fn event(source: &str, name: &str, request: Value) -> Value {
        json!({
            "version": "0",
            "id": "6f87d04b-9f74-4f04-a780-7acf4b0a9b38",
            "detail-type": "AWS API Call via CloudTrail",
            "source": format!("aws.{}", source.trim_end_matches(".amazonaws.com")),
            "account": "111122223333",
            "time": "2026-11-26T10:00:05Z",
            "region": "eu-west-1",
            "resources": [],
            "detail": {
                "eventVersion": "1.08",
                "eventTime": "2026-11-26T10:00:00Z",
                "eventSource": source,
                "eventName": name,
                "awsRegion": "eu-west-1",
                "requestParameters": request,
                "recipientAccountId": "111122223333"
            }
        })
    }

    #[test]
    fn a_stopped_recorder_is_checked_where_it_stopped() {
        let parsed = parse_tamper_event(&event(
            "config.amazonaws.com",
            "StopConfigurationRecorder",
            json!({"configurationRecorderName": "default"}),
        ))
        .unwrap();
        assert_eq!(
            parsed.event_time,
            Timestamp::parse_rfc3339("2026-11-26T10:00:00Z").unwrap()
        );
        assert_eq!(
            scope_of(&parsed, &RuleParameters::default()),
            Scope::AccountRegion {
                account_id: "111122223333".to_owned(),
                region: "eu-west-1".to_owned()
            }
        );
    }

    #[test]
    fn the_log_archive_bucket_or_key_concerns_every_account() {
        let params = RuleParameters {
            expected_bucket: Some("central-config-logs".to_owned()),
            expected_kms_key_arn: Some("arn:aws:kms:eu-west-1:999999999999:key/1234abcd".to_owned()),
            ..RuleParameters::default()
        };
        let central = event(
            "s3.amazonaws.com",
            "PutBucketPolicy",
            json!({"bucketName": "central-config-logs"}),
        );
        assert_eq!(
            scope_of(&parse_tamper_event(&central).unwrap(), &params),
            Scope::Organization
        );
        let other = event(
            "s3.amazonaws.com",
            "DeleteBucket",
            json!({"bucketName": "someone-elses"}),
        );
        assert!(matches!(
            scope_of(&parse_tamper_event(&other).unwrap(), &params),
            Scope::AccountRegion { .. }
        ));
        let key = event("kms.amazonaws.com", "DisableKey", json!({"keyId": "1234abcd"}));
        assert_eq!(
            scope_of(&parse_tamper_event(&key).unwrap(), &params),
            Scope::Organization
        );
    }

    #[test]
    fn iam_changes_concern_the_whole_account_and_scps_everyone() {
        let role = event(
            "iam.amazonaws.com",
            "DetachRolePolicy",
            json!({"roleName": "config-recorder"}),
        );
        assert_eq!(
            scope_of(&parse_tamper_event(&role).unwrap(), &RuleParameters::default()),
            Scope::Account {
                account_id: "111122223333".to_owned()
            }
        );
        let scp = event(
            "organizations.amazonaws.com",
            "AttachPolicy",
            json!({"policyId": "p-1"}),
        );
        assert_eq!(
            scope_of(&parse_tamper_event(&scp).unwrap(), &RuleParameters::default()),
            Scope::Organization
        );
    }

    #[test]
    fn failed_and_harmless_calls_are_ignored() {
        let mut failed = event("config.amazonaws.com", "DeleteDeliveryChannel", json!({}));
        failed["detail"]["errorCode"] = json!("AccessDenied");
        let parsed = parse_tamper_event(&failed).unwrap();
        assert!(matches!(
            scope_of(&parsed, &RuleParameters::default()),
            Scope::Ignored { .. }
        ));
        let harmless = event("config.amazonaws.com", "DescribeDeliveryChannels", json!({}));
        let parsed = parse_tamper_event(&harmless).unwrap();
        assert!(matches!(
            scope_of(&parsed, &RuleParameters::default()),
            Scope::Ignored { .. }
        ));
    }

    #[test]
    fn malformed_events_say_what_is_missing() {
        assert!(
            parse_tamper_event(&json!({"detail-type": "Scheduled Event"}))
                .unwrap_err()
                .to_string()
                .contains("is not")
        );
        let mut bad = event("config.amazonaws.com", "StopConfigurationRecorder", json!({}));
        bad["account"] = json!("12");
        assert!(
            parse_tamper_event(&bad)
                .unwrap_err()
                .to_string()
                .contains("12-digit")
        );
        let mut no_detail = event("config.amazonaws.com", "StopConfigurationRecorder", json!({}));
        no_detail["detail"] = json!("x");
        assert!(
            parse_tamper_event(&no_detail)
                .unwrap_err()
                .to_string()
                .contains("detail")
        );
        assert!(is_eventbridge_event(&no_detail));
        assert!(!is_eventbridge_event(&json!({"invokingEvent": "{}"})));
    }
}
