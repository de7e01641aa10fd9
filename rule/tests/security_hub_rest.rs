//! Security Hub's calls through the SDK's request pipeline (aws::write::security_hub::rest), against
//! a replaying HTTP client: the endpoint, the SigV4 scope, the bodies, pagination, retries, and
//! what a refusal, a denial or a malformed answer becomes.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use aws_config::retry::RetryConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::Credentials;
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_smithy_http_client::test_util::{ReplayEvent, StaticReplayClient};
use aws_smithy_runtime_api::http::{Request, Response, StatusCode};
use aws_smithy_types::body::SdkBody;
use delivery_guard::aws::clients::{Retries, securityhub_client, timeouts};
use delivery_guard::aws::write::security_hub::publish;
use delivery_guard_core::checks::{CheckId, Finding};
use delivery_guard_core::snapshot::FailureKind;
use delivery_guard_core::timestamp::Timestamp;
use delivery_guard_core::verdict::RegionVerdict;
use serde_json::{Value, json};
use std::time::Duration;

const ACCOUNT: &str = "111122223333";
const REGION: &str = "eu-west-1";

fn answer(status: u16, body: Value) -> Response {
    Response::new(
        StatusCode::try_from(status).unwrap(),
        SdkBody::from(body.to_string()),
    )
}

fn replay(answers: Vec<Response>) -> StaticReplayClient {
    StaticReplayClient::new(
        answers
            .into_iter()
            .map(|response| ReplayEvent::new(Request::new(SdkBody::empty()), response))
            .collect(),
    )
}

fn sdk(http: &StaticReplayClient) -> SdkConfig {
    SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(REGION))
        .credentials_provider(SharedCredentialsProvider::new(Credentials::new(
            "AKIDEXAMPLE",
            "secret",
            None,
            None,
            "test",
        )))
        .http_client(http.clone())
        .retry_config(RetryConfig::standard().with_initial_backoff(Duration::from_millis(1)))
        .timeout_config(timeouts())
        .build()
}

fn key_disabled() -> RegionVerdict {
    RegionVerdict::new(
        ACCOUNT,
        REGION,
        Timestamp::now(),
        vec![Finding::new(CheckId::KeyDisabled, "key disabled")],
    )
}

fn body_of(request: &Request) -> Value {
    serde_json::from_slice(request.body().bytes().unwrap()).unwrap()
}

const KEY_FINDING: &str = "config-delivery-guard/111122223333/eu-west-1/key.disabled";

#[tokio::test]
async fn open_findings_are_read_page_by_page_then_the_core_asff_is_imported_signed_for_securityhub() {
    let http = replay(vec![
        answer(
            200,
            json!({"Findings": [
                {"Id": KEY_FINDING, "CreatedAt": "2026-01-01T00:00:00Z", "RecordState": "ACTIVE"},
                {"Id": "someone-else/111122223333/eu-west-1/x", "CreatedAt": "2026-01-02T00:00:00Z"}
            ], "NextToken": "page-2"}),
        ),
        answer(200, json!({"Findings": []})),
        answer(
            200,
            json!({"FailedCount": 0, "SuccessCount": 1, "FailedFindings": []}),
        ),
    ]);
    let client = securityhub_client(&sdk(&http), REGION, Retries::Member(ACCOUNT)).unwrap();
    let summary = publish(&client, &key_disabled(), "aws").await.unwrap();
    assert_eq!((summary.imported, summary.failed), (1, 0), "{summary:?}");

    let requests = http.actual_requests().collect::<Vec<_>>();
    assert_eq!(requests.len(), 3);
    let uris: Vec<&str> = requests.iter().map(|r| r.uri()).collect();
    assert_eq!(
        uris,
        [
            "https://securityhub.eu-west-1.amazonaws.com/findings",
            "https://securityhub.eu-west-1.amazonaws.com/findings",
            "https://securityhub.eu-west-1.amazonaws.com/findings/import"
        ]
    );
    for request in &requests {
        assert_eq!(request.method(), "POST");
        assert_eq!(request.headers().get("content-type"), Some("application/json"));
        let authorization = request.headers().get("authorization").unwrap();
        assert!(
            authorization.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
                && authorization.contains("/eu-west-1/securityhub/aws4_request"),
            "{authorization}"
        );
    }

    let first = body_of(requests[0]);
    assert_eq!(
        first["Filters"]["AwsAccountId"],
        json!([{"Value": ACCOUNT, "Comparison": "EQUALS"}])
    );
    assert_eq!(
        first["Filters"]["GeneratorId"],
        json!([{"Value": "config-delivery-guard/", "Comparison": "PREFIX"}])
    );
    assert_eq!(first["MaxResults"], 100);
    assert!(first.get("NextToken").is_none());
    assert_eq!(body_of(requests[1])["NextToken"], "page-2");

    let imported = body_of(requests[2]);
    let findings = imported["Findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0]["Id"], KEY_FINDING);
    assert_eq!(findings[0]["AwsAccountId"], ACCOUNT);
    assert_eq!(findings[0]["Compliance"]["Status"], "FAILED");
    assert_eq!(findings[0]["Resources"][0]["Type"], "AwsAccount");
    assert_eq!(
        findings[0]["CreatedAt"], "2026-01-01T00:00:00Z",
        "an update keeps the time the finding was first raised"
    );
}

#[tokio::test]
async fn throttling_is_retried_and_the_call_goes_through() {
    let http = replay(vec![
        answer(
            429,
            json!({"__type": "TooManyRequestsException", "message": "slow down"}),
        ),
        answer(200, json!({"Findings": []})),
        answer(200, json!({"FailedCount": 0, "FailedFindings": []})),
    ]);
    let client = securityhub_client(&sdk(&http), REGION, Retries::Member(ACCOUNT)).unwrap();
    let summary = publish(&client, &key_disabled(), "aws").await.unwrap();
    assert_eq!(summary.imported, 1);
    assert_eq!(http.actual_requests().count(), 3);
}

#[tokio::test]
async fn access_denied_is_an_unreadable_call_and_nothing_is_imported() {
    let http = replay(vec![answer(
        403,
        json!({"__type": "AccessDeniedException", "message": "not authorized to perform securityhub:GetFindings"}),
    )]);
    let client = securityhub_client(&sdk(&http), REGION, Retries::Member(ACCOUNT)).unwrap();
    let why = publish(&client, &key_disabled(), "aws").await.unwrap_err();
    assert_eq!(why.call, "GetFindings");
    assert_eq!(why.kind, FailureKind::AccessDenied);
    assert_eq!(why.code.as_deref(), Some("AccessDeniedException"));
    assert!(why.message.contains("securityhub:GetFindings"), "{why:?}");
    assert_eq!(http.actual_requests().count(), 1, "denied calls are not retried");
}

#[tokio::test]
async fn a_malformed_page_is_an_error_not_an_empty_list() {
    // Retried as the SDK retries a body it cannot read (a transient response error), then given up.
    let malformed = || {
        Response::new(
            StatusCode::try_from(200).unwrap(),
            SdkBody::from("<html>proxy</html>"),
        )
    };
    let http = StaticReplayClient::new(
        (0..3)
            .map(|_| ReplayEvent::new(Request::new(SdkBody::empty()), malformed()))
            .collect(),
    );
    let client = securityhub_client(&sdk(&http), REGION, Retries::Member(ACCOUNT)).unwrap();
    let why = publish(&client, &key_disabled(), "aws").await.unwrap_err();
    assert_eq!(
        (why.call.as_str(), why.kind),
        ("GetFindings", FailureKind::MalformedResponse),
        "{why:?}"
    );
    assert_eq!(http.actual_requests().count(), 3);
}

#[tokio::test]
async fn findings_security_hub_refuses_are_counted_failed_with_its_reason() {
    let http = replay(vec![
        answer(200, json!({"Findings": []})),
        answer(
            200,
            json!({"FailedCount": 1, "SuccessCount": 0, "FailedFindings": [
                {"Id": KEY_FINDING, "ErrorCode": "InvalidInput", "ErrorMessage": "Finding does not adhere to ASFF"}
            ]}),
        ),
    ]);
    let client = securityhub_client(&sdk(&http), REGION, Retries::Member(ACCOUNT)).unwrap();
    let summary = publish(&client, &key_disabled(), "aws").await.unwrap();
    assert_eq!((summary.imported, summary.failed), (0, 1));
    assert_eq!(
        summary.first_error.as_deref(),
        Some(
            "config-delivery-guard/111122223333/eu-west-1/key.disabled: InvalidInput Finding does not adhere to ASFF"
        )
    );
}

#[tokio::test]
async fn an_endpoint_url_override_is_where_the_calls_go() {
    let http = replay(vec![
        answer(200, json!({"Findings": []})),
        answer(200, json!({"FailedCount": 0})),
    ]);
    let config = sdk(&http)
        .to_builder()
        .endpoint_url("http://127.0.0.1:4566")
        .build();
    let client = securityhub_client(&config, REGION, Retries::Shared).unwrap();
    publish(&client, &key_disabled(), "aws").await.unwrap();
    let uris: Vec<String> = http.actual_requests().map(|r| r.uri().to_owned()).collect();
    assert_eq!(
        uris,
        [
            "http://127.0.0.1:4566/findings",
            "http://127.0.0.1:4566/findings/import"
        ]
    );
}

#[tokio::test]
async fn an_import_answer_without_its_failed_count_is_malformed_never_all_imported() {
    let http = replay(
        (0..4)
            .map(|call| match call {
                0 => answer(200, json!({"Findings": []})),
                _ => answer(200, json!({"FailedFindings": []})),
            })
            .collect(),
    );
    let client = securityhub_client(&sdk(&http), REGION, Retries::Member(ACCOUNT)).unwrap();
    let why = publish(&client, &key_disabled(), "aws").await.unwrap_err();
    assert_eq!(
        (why.call.as_str(), why.kind),
        ("BatchImportFindings", FailureKind::MalformedResponse),
        "{why:?}"
    );
}
