//! The report path against the local emulator: 250 evaluations in one PutEvaluations run.
//!
//! Needs the emulator and its credentials in the environment (AWS_ENDPOINT_URL, AWS_REGION,
//! AWS_ACCESS_KEY_ID...), so it is ignored in a plain `cargo test`; tests/e2e/test_report.py starts
//! the emulator, makes it fail one evaluation, runs this with `--ignored`, and checks what Config
//! received.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use delivery_guard::aws::clients;
use delivery_guard::aws::write::config::put_evaluations;
use delivery_guard_core::outbound::evaluation::Evaluation;
use delivery_guard_core::timestamp::Timestamp;
use delivery_guard_core::verdict::{Compliance, Verdict};

#[tokio::test]
#[ignore = "needs the local emulator: run through tests/e2e/test_report.py"]
async fn two_hundred_fifty_evaluations_reach_the_emulator() {
    assert!(
        std::env::var("AWS_ENDPOINT_URL").is_ok(),
        "AWS_ENDPOINT_URL must point at the emulator"
    );
    let sdk = clients::load(None).await;
    let region = sdk.region().expect("AWS_REGION").to_string();
    let client = clients::config_client(&sdk, &region, clients::Retries::Shared);
    let evaluations: Vec<Evaluation> = (0..250_u64)
        .map(|i| {
            Evaluation::for_account(
                &format!("{}", 100_000_000_000 + i),
                Verdict {
                    compliance: Compliance::Compliant,
                    annotation: Some(format!("evaluation {i}")),
                },
                Timestamp::from_epoch_millis(1_767_225_600_000),
            )
        })
        .collect();
    let summary = put_evaluations(&client, "report-e2e", &evaluations, false)
        .await
        .unwrap();
    assert_eq!((summary.evaluations, summary.calls, summary.retried), (250, 4, 1));
}
