//! SDK configuration shared by the Lambda and the CLI: explicit timeouts and standard retry,
//! so a slow or throttling endpoint costs a bounded time and never hangs an invocation.

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use std::time::Duration;

/// Worst case per call: 4 attempts x 8 s, capped at 25 s; the five reads run concurrently,
/// so a 60 s Lambda timeout leaves room for the report.
pub fn timeouts() -> TimeoutConfig {
    TimeoutConfig::builder()
        .connect_timeout(Duration::from_secs(3))
        .read_timeout(Duration::from_secs(8))
        .operation_attempt_timeout(Duration::from_secs(8))
        .operation_timeout(Duration::from_secs(25))
        .build()
}

/// Standard mode (exponential backoff with jitter), not adaptive: adaptive's client-side rate
/// limiter learns its rate from the traffic it sees, and a process that makes six calls learns a
/// tiny one. In the fault matrix (tests/e2e/test_faults.py) two throttles under adaptive mode
/// delayed the next call past the 25 s operation timeout; standard mode retried them in seconds.
pub fn retry() -> RetryConfig {
    RetryConfig::standard().with_max_attempts(4)
}

/// Loads credentials, region and `AWS_ENDPOINT_URL` the standard way.
pub async fn load(region: Option<String>) -> SdkConfig {
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .retry_config(retry())
        .timeout_config(timeouts());
    if let Some(region) = region {
        loader = loader.region(Region::new(region));
    }
    loader.load().await
}

pub fn config_client(sdk: &SdkConfig, region: &str) -> aws_sdk_config::Client {
    let conf = aws_sdk_config::config::Builder::from(sdk)
        .region(Region::new(region.to_owned()))
        .build();
    aws_sdk_config::Client::from_conf(conf)
}
