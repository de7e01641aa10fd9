//! The adapters and the handler against the real SDK clients with mocked responses
//! (aws-smithy-mocks): AccessDenied, throttling, 500s, malformed bodies, FailedEvaluations,
//! ValidationException, and the 100-per-call limit.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use aws_sdk_config::Client;
use aws_sdk_config::operation::describe_configuration_recorder_status::DescribeConfigurationRecorderStatusOutput;
use aws_sdk_config::operation::describe_configuration_recorders::DescribeConfigurationRecordersOutput;
use aws_sdk_config::operation::describe_delivery_channel_status::DescribeDeliveryChannelStatusOutput;
use aws_sdk_config::operation::describe_delivery_channels::DescribeDeliveryChannelsOutput;
use aws_sdk_config::operation::list_configuration_recorders::ListConfigurationRecordersOutput;
use aws_sdk_config::operation::put_evaluations::PutEvaluationsOutput;
use aws_sdk_config::types::{
    ConfigExportDeliveryInfo, ConfigurationRecorder, ConfigurationRecorderStatus,
    ConfigurationRecorderSummary, DeliveryChannel, DeliveryChannelStatus, DeliveryStatus,
    Evaluation as SdkEvaluation, RecorderStatus, RecordingScope,
};
use aws_smithy_mocks::{Rule, RuleMode, mock, mock_client};
use aws_smithy_runtime_api::http::{Response, StatusCode};
use aws_smithy_types::DateTime;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::retry::RetryConfig;
use delivery_guard::aws::read::{ConfigReader, collect};
use delivery_guard::aws::write::config::{ReportError, put_evaluations};
use delivery_guard::lambda::{HandlerError, ProbeClients, Rule as GuardRule, handle};
use delivery_guard_core::outbound::evaluation::Evaluation;
use delivery_guard_core::parameters::RuleParameters;
use delivery_guard_core::snapshot::{FailureKind, Observed};
use delivery_guard_core::timestamp::Timestamp;
use delivery_guard_core::verdict::{Compliance, Verdict, judge_snapshot};
use serde_json::json;
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

const ACCOUNT: &str = "111111111111";

fn minutes_ago(minutes: i64) -> DateTime {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64;
    DateTime::from_secs(now - minutes * 60)
}

fn json_error(status: u16, code: &str, message: &str) -> Response {
    let body = json!({"__type": code, "message": message}).to_string();
    Response::new(StatusCode::try_from(status).unwrap(), SdkBody::from(body))
}

fn list_recorders() -> Rule {
    mock!(Client::list_configuration_recorders).then_output(|| {
        ListConfigurationRecordersOutput::builder()
            .configuration_recorder_summaries(
                ConfigurationRecorderSummary::builder()
                    .arn("arn:aws:config:us-east-1:111111111111:configuration-recorder/default/x")
                    .name("default")
                    .recording_scope(RecordingScope::Paid)
                    .build()
                    .unwrap(),
            )
            .build()
            .unwrap()
    })
}

fn recorders() -> Rule {
    mock!(Client::describe_configuration_recorders).then_output(|| {
        DescribeConfigurationRecordersOutput::builder()
            .configuration_recorders(
                ConfigurationRecorder::builder()
                    .name("default")
                    .role_arn("arn:aws:iam::111111111111:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig")
                    .build(),
            )
            .build()
    })
}

fn recorder_status() -> Rule {
    mock!(Client::describe_configuration_recorder_status).then_output(|| {
        DescribeConfigurationRecorderStatusOutput::builder()
            .configuration_recorders_status(
                ConfigurationRecorderStatus::builder()
                    .name("default")
                    .recording(true)
                    .last_status(RecorderStatus::from("SUCCESS"))
                    .build(),
            )
            .build()
    })
}

fn channels() -> Rule {
    mock!(Client::describe_delivery_channels).then_output(|| {
        DescribeDeliveryChannelsOutput::builder()
            .delivery_channels(
                DeliveryChannel::builder()
                    .name("default")
                    .s3_bucket_name("central-config-logs")
                    .build(),
            )
            .build()
    })
}

fn channel_status(status: &'static str, code: Option<&'static str>) -> Rule {
    mock!(Client::describe_delivery_channel_status).then_output(move || {
        let info = ConfigExportDeliveryInfo::builder()
            .last_status(DeliveryStatus::from(status))
            .set_last_error_code(code.map(str::to_owned))
            .last_attempt_time(minutes_ago(10))
            .last_successful_time(minutes_ago(10))
            .build();
        DescribeDeliveryChannelStatusOutput::builder()
            .delivery_channels_status(
                DeliveryChannelStatus::builder()
                    .name("default")
                    .config_snapshot_delivery_info(info.clone())
                    .config_history_delivery_info(info)
                    .build(),
            )
            .build()
    })
}

fn no_retries(conf: aws_sdk_config::config::Builder) -> aws_sdk_config::config::Builder {
    conf.retry_config(RetryConfig::disabled())
}

async fn snapshot_with(rules: &[&Rule]) -> delivery_guard_core::snapshot::Snapshot {
    let client = mock_client!(aws_sdk_config, RuleMode::MatchAny, rules, no_retries);
    collect(
        &ConfigReader::new(client),
        None,
        &Default::default(),
        ACCOUNT,
        "us-east-1",
    )
    .await
}

#[tokio::test]
async fn healthy_reads_make_a_compliant_judgement() {
    let snapshot = snapshot_with(&[
        &list_recorders(),
        &recorders(),
        &recorder_status(),
        &channels(),
        &channel_status("Success", None),
    ])
    .await;
    let judgement = judge_snapshot(&snapshot, &RuleParameters::default());
    assert_eq!(
        judgement.verdict.compliance,
        Compliance::Compliant,
        "{:?}",
        judgement.findings
    );
}

#[tokio::test]
async fn upper_case_statuses_from_the_sdk_are_understood() {
    // The SDK maps SUCCESS and FAILURE to DeliveryStatus::Unknown; the checks still read them.
    let healthy = snapshot_with(&[
        &list_recorders(),
        &recorders(),
        &recorder_status(),
        &channels(),
        &channel_status("SUCCESS", None),
    ])
    .await;
    assert_eq!(
        judge_snapshot(&healthy, &RuleParameters::default())
            .verdict
            .compliance,
        Compliance::Compliant
    );
    let failing = snapshot_with(&[
        &list_recorders(),
        &recorders(),
        &recorder_status(),
        &channels(),
        &channel_status("FAILURE", Some("NoSuchBucket")),
    ])
    .await;
    let judgement = judge_snapshot(&failing, &RuleParameters::default());
    assert_eq!(judgement.verdict.compliance, Compliance::NonCompliant);
    assert_eq!(
        judgement.findings[0].check.id(),
        "channel.snapshot-delivery-failure"
    );
}

#[tokio::test]
async fn access_denied_is_evidence_and_fails_closed() {
    let denied = mock!(Client::describe_delivery_channel_status).then_http_response(|| {
        json_error(
            400,
            "AccessDeniedException",
            "not authorized to perform: config:DescribeDeliveryChannelStatus",
        )
    });
    let snapshot = snapshot_with(&[
        &list_recorders(),
        &recorders(),
        &recorder_status(),
        &channels(),
        &denied,
    ])
    .await;
    let why = snapshot
        .delivery_channel_statuses
        .unreadable()
        .expect("unreadable");
    assert_eq!(why.call, "DescribeDeliveryChannelStatus");
    assert_eq!(why.kind, FailureKind::AccessDenied);
    assert_eq!(why.code.as_deref(), Some("AccessDeniedException"));
    assert!(
        why.message.contains("config:DescribeDeliveryChannelStatus"),
        "{}",
        why.message
    );
    let judgement = judge_snapshot(&snapshot, &RuleParameters::default());
    assert_eq!(judgement.verdict.compliance, Compliance::NonCompliant);
    assert_eq!(
        judgement.verdict.annotation.as_deref(),
        Some("cannot verify: DescribeDeliveryChannelStatus access denied AccessDeniedException")
    );
}

#[tokio::test]
async fn server_errors_malformed_bodies_and_throttling_are_classified() {
    let cases: [(Response, FailureKind); 4] = [
        (
            json_error(500, "InternalFailure", "boom"),
            FailureKind::ServerError,
        ),
        (
            Response::new(StatusCode::try_from(503).unwrap(), SdkBody::from("")),
            FailureKind::ServerError,
        ),
        (
            json_error(400, "ThrottlingException", "Rate exceeded"),
            FailureKind::Throttled,
        ),
        (
            Response::new(StatusCode::try_from(200).unwrap(), SdkBody::from("{not json")),
            FailureKind::MalformedResponse,
        ),
    ];
    for (response, expected) in cases {
        let response = Arc::new(Mutex::new(Some(response)));
        let rule = mock!(Client::describe_delivery_channels)
            .then_http_response(move || response.lock().unwrap().take().expect("used once"));
        let snapshot = snapshot_with(&[
            &list_recorders(),
            &recorders(),
            &recorder_status(),
            &rule,
            &channel_status("Success", None),
        ])
        .await;
        let why = snapshot.delivery_channels.unreadable().expect("unreadable");
        assert_eq!(why.kind, expected, "{why:?}");
        let judgement = judge_snapshot(&snapshot, &RuleParameters::default());
        assert_eq!(
            judgement.verdict.compliance,
            Compliance::NonCompliant,
            "never compliant on unread evidence"
        );
    }
}

#[tokio::test]
async fn transient_throttling_is_retried_to_the_same_verdict() {
    let throttled_then_ok = mock!(Client::describe_delivery_channel_status)
        .sequence()
        .http_response(|| json_error(400, "ThrottlingException", "Rate exceeded"))
        .times(2)
        .output(|| {
            let info = ConfigExportDeliveryInfo::builder()
                .last_status(DeliveryStatus::Success)
                .last_successful_time(minutes_ago(5))
                .build();
            DescribeDeliveryChannelStatusOutput::builder()
                .delivery_channels_status(
                    DeliveryChannelStatus::builder()
                        .name("default")
                        .config_snapshot_delivery_info(info.clone())
                        .config_history_delivery_info(info)
                        .build(),
                )
                .build()
        })
        .build();
    let rules = [
        &list_recorders(),
        &recorders(),
        &recorder_status(),
        &channels(),
        &throttled_then_ok,
    ];
    let client = mock_client!(aws_sdk_config, RuleMode::MatchAny, rules, |conf| conf
        .retry_config(RetryConfig::standard().with_max_attempts(4)));
    let snapshot = collect(
        &ConfigReader::new(client),
        None,
        &Default::default(),
        ACCOUNT,
        "us-east-1",
    )
    .await;
    assert!(matches!(snapshot.delivery_channel_statuses, Observed::Read(_)));
    assert_eq!(throttled_then_ok.num_calls(), 3);
    assert_eq!(
        judge_snapshot(&snapshot, &RuleParameters::default())
            .verdict
            .compliance,
        Compliance::Compliant
    );
}

fn evaluations(count: usize) -> Vec<Evaluation> {
    (0..count)
        .map(|i| {
            Evaluation::for_account(
                &format!("{:012}", 100_000_000_000_u64 + i as u64),
                Verdict {
                    compliance: Compliance::NonCompliant,
                    annotation: Some(format!("finding {i}")),
                },
                Timestamp::from_epoch_millis(1_767_225_600_000),
            )
        })
        .collect()
}

/// A PutEvaluations mock that records each call's evaluations and fails the first `fail_first`.
fn recording_put(fail_first: usize) -> (Rule, Arc<Mutex<Vec<Vec<String>>>>) {
    let calls: Arc<Mutex<Vec<Vec<String>>>> = Arc::default();
    let seen = calls.clone();
    let failed_so_far = Arc::new(Mutex::new(0_usize));
    let rule = mock!(Client::put_evaluations).then_compute_output(move |input| {
        let ids: Vec<String> = input
            .evaluations()
            .iter()
            .map(|e| e.compliance_resource_id().to_owned())
            .collect();
        seen.lock().unwrap().push(ids);
        let mut failed = failed_so_far.lock().unwrap();
        let fail_now = fail_first.saturating_sub(*failed).min(input.evaluations().len());
        *failed += fail_now;
        let failed: Vec<SdkEvaluation> = input.evaluations()[..fail_now].to_vec();
        PutEvaluationsOutput::builder()
            .set_failed_evaluations(Some(failed))
            .build()
    });
    (rule, calls)
}

#[tokio::test]
async fn two_hundred_fifty_evaluations_go_in_three_batches_and_failures_are_retried() {
    let (rule, calls) = recording_put(1);
    let client = mock_client!(aws_sdk_config, RuleMode::MatchAny, [&rule], no_retries);
    let summary = put_evaluations(&client, "token", &evaluations(250), false)
        .await
        .unwrap();
    let calls = calls.lock().unwrap();
    let sizes: Vec<usize> = calls.iter().map(Vec::len).collect();
    assert_eq!(sizes, [100, 1, 100, 50], "first batch, its retry, then the rest");
    assert_eq!(
        calls[1],
        vec![calls[0][0].clone()],
        "only the failed evaluation is resent"
    );
    assert_eq!((summary.evaluations, summary.calls, summary.retried), (250, 4, 1));
}

#[tokio::test]
async fn evaluations_that_keep_failing_are_an_error_not_a_drop() {
    let (rule, calls) = recording_put(usize::MAX);
    let client = mock_client!(aws_sdk_config, RuleMode::MatchAny, [&rule], no_retries);
    let err = put_evaluations(&client, "token", &evaluations(2), false)
        .await
        .unwrap_err();
    assert!(matches!(err, ReportError::StillFailing { count: 2, .. }), "{err}");
    assert_eq!(calls.lock().unwrap().len(), 3);
}

#[tokio::test]
async fn validation_exception_is_recognised_by_its_code() {
    let rule = mock!(Client::put_evaluations)
        .then_http_response(|| json_error(400, "ValidationException", "annotation too long"));
    let client = mock_client!(aws_sdk_config, RuleMode::MatchAny, [&rule], no_retries);
    let err = put_evaluations(&client, "token", &evaluations(1), false)
        .await
        .unwrap_err();
    assert_eq!(
        err,
        ReportError::Rejected {
            code: "ValidationException".into(),
            message: "annotation too long".into()
        }
    );
}

fn event(extra: serde_json::Value) -> serde_json::Value {
    let mut event = json!({
        "invokingEvent": json!({"awsAccountId": ACCOUNT, "notificationCreationTime": "2026-01-01T00:00:00.000Z",
                                "messageType": "ScheduledNotification"}).to_string(),
        "resultToken": "token-1",
        "accountId": ACCOUNT,
    });
    event
        .as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    event
}

fn guard(rules: &[&Rule]) -> GuardRule {
    let client = mock_client!(aws_sdk_config, RuleMode::MatchAny, rules, no_retries);
    GuardRule {
        config: client,
        probes: ProbeClients::Off,
        sdk: None,
        region: "us-east-1".into(),
        test_mode: true,
        config_rule_name: None,
        own_organization: tokio::sync::OnceCell::new(),
    }
}

#[tokio::test]
async fn the_handler_reports_what_it_judged() {
    let (put, calls) = recording_put(0);
    let rule = guard(&[
        &list_recorders(),
        &recorders(),
        &recorder_status(),
        &channels(),
        &channel_status("Failure", Some("NoSuchBucket")),
        &put,
    ]);
    let outcome = handle(&rule, &event(json!({}))).await.unwrap();
    assert_eq!(outcome.compliance, Compliance::NonCompliant);
    assert!(
        outcome
            .annotation
            .unwrap()
            .starts_with("snapshot delivery failing: NoSuchBucket")
    );
    assert_eq!(calls.lock().unwrap().as_slice(), [vec![ACCOUNT.to_owned()]]);
}

#[tokio::test]
async fn the_handler_fails_when_the_verdict_cannot_be_reported() {
    let put =
        mock!(Client::put_evaluations).then_http_response(|| json_error(500, "InternalFailure", "boom"));
    let rule = guard(&[
        &list_recorders(),
        &recorders(),
        &recorder_status(),
        &channels(),
        &channel_status("Success", None),
        &put,
    ]);
    let err = handle(&rule, &event(json!({}))).await.unwrap_err();
    assert!(matches!(err, HandlerError::Report { .. }), "{err}");
    assert!(err.to_string().contains("was not reported"), "{err}");
}

#[tokio::test]
async fn a_malformed_event_without_a_token_is_an_error_and_reports_nothing() {
    let (put, calls) = recording_put(0);
    let rule = guard(&[&put]);
    let err = handle(&rule, &json!({"accountId": ACCOUNT, "invokingEvent": "{}"}))
        .await
        .unwrap_err();
    assert!(matches!(err, HandlerError::Unreportable(_)), "{err}");
    assert!(
        err.to_string().contains("malformed Config invocation event"),
        "{err}"
    );
    assert!(calls.lock().unwrap().is_empty());
}

/// Why the sweep gives every member its own retry partition (`clients::Retries::Member`): the SDK
/// keeps one retry token bucket per partition for the whole process, so throttling that drains it
/// for one member's client leaves another client of the same partition without retries.
#[tokio::test]
async fn throttling_drains_the_retry_bucket_of_its_partition_only() {
    use aws_sdk_config::config::retry::RetryPartition;
    let always_throttled = mock!(Client::describe_delivery_channels)
        .then_http_response(|| json_error(400, "ThrottlingException", "Rate exceeded"));
    let throttled_once = || {
        mock!(Client::describe_delivery_channel_status)
            .sequence()
            .http_response(|| json_error(400, "ThrottlingException", "Rate exceeded"))
            .output(|| DescribeDeliveryChannelStatusOutput::builder().build())
            .build()
    };
    let client = |rule: &Rule, partition: &'static str| {
        mock_client!(aws_sdk_config, RuleMode::MatchAny, [rule], |conf| conf
            .retry_config(RetryConfig::standard().with_max_attempts(4))
            .retry_partition(RetryPartition::new(partition)))
    };
    // 500 tokens at 5 per throttling retry: 60 calls x 3 retries spend them all.
    let noisy = client(&always_throttled, "partition-test/noisy-member");
    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..60 {
        let noisy = noisy.clone();
        calls.spawn(async move { noisy.describe_delivery_channels().send().await.is_err() });
    }
    while let Some(failed) = calls.join_next().await {
        assert!(failed.unwrap());
    }
    let same_partition_rule = throttled_once();
    let same_partition = client(&same_partition_rule, "partition-test/noisy-member");
    assert!(
        same_partition
            .describe_delivery_channel_status()
            .send()
            .await
            .is_err(),
        "a drained bucket refuses the retry"
    );
    let own_partition_rule = throttled_once();
    let own_partition = client(&own_partition_rule, "partition-test/quiet-member");
    assert!(
        own_partition
            .describe_delivery_channel_status()
            .send()
            .await
            .is_ok(),
        "a member with its own bucket still retries"
    );
    assert_eq!(own_partition_rule.num_calls(), 2);
}
