//! SDK configuration shared by the Lambda and the CLI: explicit timeouts and standard retry,
//! so a slow or throttling endpoint costs a bounded time and never hangs an invocation.

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_config::config::retry::RetryPartition;
use aws_smithy_http_client::tls;
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnectorSettings, SharedHttpClient, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_runtime_api::shared::IntoShared;
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

/// The one HTTPS client every SDK client and credential provider shares: rustls on ring, the
/// system's root certificates, one connector (and so one connection pool) per timeout setting.
pub(crate) fn https_client() -> SharedHttpClient {
    ValidatedAtFirstUse(
        aws_smithy_http_client::Builder::new()
            .tls_provider(tls::Provider::Rustls(tls::rustls_provider::CryptoMode::Ring))
            .build_https(),
    )
    .into_shared()
}

/// The hyper client's connectors, without its check at client construction.
///
/// The SDK validates the HTTP client of every client it builds, and the hyper client does that by
/// building a TLS connector and throwing it away: every client parsed the system's root
/// certificates again and built a rustls configuration, about 1 ms each. A sweep builds several
/// clients per account-region, and the Lambda five at init; that was most of the sweep's CPU and
/// of the cold start (docs/benchmarks.md). The connector itself is built once, at the first
/// request, and cached by the hyper client for every client that shares it.
#[derive(Debug)]
struct ValidatedAtFirstUse(SharedHttpClient);

impl HttpClient for ValidatedAtFirstUse {
    fn http_connector(
        &self,
        settings: &HttpConnectorSettings,
        components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        self.0.http_connector(settings, components)
    }

    fn connector_metadata(
        &self,
    ) -> Option<aws_smithy_runtime_api::client::connector_metadata::ConnectorMetadata> {
        self.0.connector_metadata()
    }
}

/// Loads credentials, region and `AWS_ENDPOINT_URL` the standard way.
pub async fn load(region: Option<String>) -> SdkConfig {
    let mut loader = defaults();
    if let Some(region) = region {
        loader = loader.region(Region::new(region));
    }
    loader.load().await
}

/// The Lambda's configuration: as `load`, with the credentials Lambda puts in the environment read
/// from there. The default chain would find them first too, but builds its other providers
/// (profile, web identity, ECS, IMDS) at every cold start first: 0.1 to 0.2 ms of CPU
/// (docs/benchmarks.md). Passing the Region as well bought nothing measurable.
pub async fn load_in_lambda() -> SdkConfig {
    let mut loader = defaults();
    if std::env::var_os("AWS_ACCESS_KEY_ID").is_some() {
        loader = loader
            .credentials_provider(aws_config::environment::EnvironmentVariableCredentialsProvider::new());
    }
    loader.load().await
}

fn defaults() -> aws_config::ConfigLoader {
    aws_config::defaults(BehaviorVersion::latest())
        .http_client(https_client())
        .retry_config(retry())
        .timeout_config(timeouts())
}

/// Whose retries a client spends. The SDK keeps one retry token bucket per partition for the whole
/// process, by default one per service: in a sweep, one throttled member could spend every other
/// member's retries. `Member` gives each account its own bucket per service.
#[derive(Debug, Clone, Copy)]
pub enum Retries<'a> {
    /// The SDK's default: one bucket per service, for the account the process runs as.
    Shared,
    /// A bucket of its own for one member account, so one throttled member cannot drain the others'.
    Member(&'a str),
}

impl Retries<'_> {
    fn partition(self, service: &str) -> Option<RetryPartition> {
        match self {
            Self::Shared => None,
            Self::Member(account) => Some(RetryPartition::new(format!("{service}/{account}"))),
        }
    }
}

/// Config in one Region.
pub fn config_client(sdk: &SdkConfig, region: &str, retries: Retries<'_>) -> aws_sdk_config::Client {
    let mut conf = aws_sdk_config::config::Builder::from(sdk).region(Region::new(region.to_owned()));
    conf.set_retry_partition(retries.partition("config"));
    let conf = conf.build();
    aws_sdk_config::Client::from_conf(conf)
}

/// The probes' S3, KMS, IAM and Organizations clients in one Region.
pub fn probe_readers(sdk: &SdkConfig, region: &str, retries: Retries<'_>) -> crate::aws::read::ProbeReaders {
    regional_probe_readers(sdk, region, retries, global_probe_readers(sdk, retries))
}

/// The probes' IAM and Organizations clients: global services, so one each per account serves
/// every Region (their endpoints sign in us-east-1).
pub fn global_probe_readers(sdk: &SdkConfig, retries: Retries<'_>) -> GlobalReaders {
    use crate::aws::read::{IamReader, OrganizationsReader};
    let mut iam = aws_sdk_iam::config::Builder::from(sdk);
    iam.set_retry_partition(retries.partition("iam"));
    let mut organizations = aws_sdk_organizations::config::Builder::from(sdk);
    organizations.set_retry_partition(retries.partition("organizations"));
    GlobalReaders {
        iam: IamReader::new(aws_sdk_iam::Client::from_conf(iam.build())),
        organizations: OrganizationsReader::new(aws_sdk_organizations::Client::from_conf(
            organizations.build(),
        )),
    }
}

/// The readers of the probes' global services, for one account.
#[derive(Clone, Debug)]
pub struct GlobalReaders {
    /// IAM: the recorder role.
    pub iam: crate::aws::read::IamReader,
    /// Organizations: the account's Organization and its SCPs.
    pub organizations: crate::aws::read::OrganizationsReader,
}

/// S3 as the function itself, in its Region: the accepted-exceptions document.
pub fn own_s3_reader(sdk: &SdkConfig, region: &str) -> crate::aws::read::S3Reader {
    let s3 = aws_sdk_s3::config::Builder::from(sdk).region(Region::new(region.to_owned()));
    crate::aws::read::S3Reader::new(aws_sdk_s3::Client::from_conf(s3.build()))
}

/// The probes' S3 and KMS clients in one Region, beside the account's global readers.
pub fn regional_probe_readers(
    sdk: &SdkConfig,
    region: &str,
    retries: Retries<'_>,
    global: GlobalReaders,
) -> crate::aws::read::ProbeReaders {
    use crate::aws::read::{KmsReader, S3Reader};
    let region = Region::new(region.to_owned());
    let mut s3 = aws_sdk_s3::config::Builder::from(sdk).region(region.clone());
    s3.set_retry_partition(retries.partition("s3"));
    let mut kms = aws_sdk_kms::config::Builder::from(sdk).region(region);
    kms.set_retry_partition(retries.partition("kms"));
    crate::aws::read::ProbeReaders {
        s3: S3Reader::new(aws_sdk_s3::Client::from_conf(s3.build())),
        kms: KmsReader::new(aws_sdk_kms::Client::from_conf(kms.build())),
        iam: global.iam,
        organizations: global.organizations,
    }
}

/// The SDK configuration with the credentials of `role_arn`, assumed on first use.
async fn assumed(sdk: &SdkConfig, role_arn: &str) -> SdkConfig {
    let provider = aws_config::sts::AssumeRoleProvider::builder(role_arn)
        .session_name("config-delivery-guard")
        .configure(sdk)
        .build()
        .await;
    sdk.to_builder()
        .credentials_provider(aws_credential_types::provider::SharedCredentialsProvider::new(
            provider,
        ))
        .build()
}

/// S3 and KMS clients acting as the read-only role in the log-archive account.
pub async fn log_archive_readers(
    sdk: &SdkConfig,
    region: &str,
    role_arn: &str,
) -> crate::aws::read::LogArchiveReaders {
    use crate::aws::read::{KmsReader, S3Reader};
    let assumed = assumed(sdk, role_arn).await;
    let region = Region::new(region.to_owned());
    let s3 = aws_sdk_s3::config::Builder::from(&assumed)
        .region(region.clone())
        .build();
    let kms = aws_sdk_kms::config::Builder::from(&assumed)
        .region(region)
        .build();
    crate::aws::read::LogArchiveReaders::new(
        role_arn.to_owned(),
        role_arn.split(':').nth(4).unwrap_or_default().to_owned(),
        S3Reader::new(aws_sdk_s3::Client::from_conf(s3)),
        KmsReader::new(aws_sdk_kms::Client::from_conf(kms)),
    )
}

/// Organizations client acting as the read-only role in the management or delegated-admin account.
pub async fn organization_reader(sdk: &SdkConfig, role_arn: &str) -> crate::aws::read::OrganizationsReader {
    let assumed = assumed(sdk, role_arn).await;
    crate::aws::read::OrganizationsReader::new(aws_sdk_organizations::Client::new(&assumed))
}

/// The readers that act through the roles the parameters name.
pub async fn delegated_readers(
    sdk: &SdkConfig,
    region: &str,
    params: &delivery_guard_core::parameters::RuleParameters,
) -> crate::aws::read::DelegatedReaders {
    let organization = match params.organization_read_role_arn.as_deref() {
        Some(arn) => Some(organization_reader(sdk, arn).await),
        None => None,
    };
    crate::aws::read::DelegatedReaders {
        log_archive: parameters_log_archive(sdk, region, params).await,
        organization,
    }
}

/// The log archive's readers in one Region, when the parameters name its reader role.
pub async fn parameters_log_archive(
    sdk: &SdkConfig,
    region: &str,
    params: &delivery_guard_core::parameters::RuleParameters,
) -> Option<crate::aws::read::LogArchiveReaders> {
    match params.log_archive_read_role_arn.as_deref() {
        Some(arn) => Some(log_archive_readers(sdk, region, arn).await),
        None => None,
    }
}

/// The SDK configuration acting with fixed credentials (an assumed audit role's).
///
/// Without an identity cache: fixed credentials need none, and the process-wide cache of the base
/// configuration keeps an entry for every client built from it, for as long as the process lives
/// (in a sweep, one per client per account-region: most of what 1,000 x 17 kept).
pub fn with_credentials(sdk: &SdkConfig, credentials: aws_credential_types::Credentials) -> SdkConfig {
    sdk.to_builder()
        .credentials_provider(aws_credential_types::provider::SharedCredentialsProvider::new(
            credentials,
        ))
        .identity_cache(aws_config::identity::IdentityCache::no_cache())
        .build()
}

/// Assumes the audit role in a member account now; the error names the call and the denial.
pub async fn audit_session(
    sdk: &SdkConfig,
    role_arn: &str,
    external_id: Option<&str>,
) -> Result<SdkConfig, delivery_guard_core::snapshot::Unreadable> {
    let sts = aws_sdk_sts::Client::new(sdk);
    let credentials = crate::aws::read::assume_role(&sts, role_arn, external_id).await?;
    Ok(with_credentials(sdk, credentials))
}

/// Organizations as the function itself: its own Organization, never a role the parameters name.
pub fn own_organization_reader(sdk: &SdkConfig) -> crate::aws::read::OrganizationsReader {
    crate::aws::read::OrganizationsReader::new(aws_sdk_organizations::Client::new(sdk))
}

/// Organizations as the read-only role the parameters name, or else as ourselves (the
/// delegated administrator or management account the organization modes run in).
pub async fn organization_reader_or_own(
    sdk: &SdkConfig,
    params: &delivery_guard_core::parameters::RuleParameters,
) -> crate::aws::read::OrganizationsReader {
    match params.organization_read_role_arn.as_deref() {
        Some(arn) => organization_reader(sdk, arn).await,
        None => own_organization_reader(sdk),
    }
}

/// The delegated readers of the organization modes: Organizations falls back to our own
/// credentials, since the rule runs in the management or a delegated-administrator account.
pub async fn organization_delegates(
    sdk: &SdkConfig,
    region: &str,
    params: &delivery_guard_core::parameters::RuleParameters,
) -> crate::aws::read::DelegatedReaders {
    let mut readers = delegated_readers(sdk, region, params).await;
    if readers.organization.is_none() {
        readers.organization = Some(organization_reader_or_own(sdk, params).await);
    }
    readers
}

/// `account:ListRegions` of the session's account.
pub fn account_reader(sdk: &SdkConfig, retries: Retries<'_>) -> crate::aws::read::AccountReader {
    let mut conf = aws_sdk_account::config::Builder::from(sdk);
    conf.set_retry_partition(retries.partition("account"));
    let conf = conf.build();
    crate::aws::read::AccountReader::new(aws_sdk_account::Client::from_conf(conf))
}

/// CloudTrail in one Region: the trails that feed the event path.
pub fn trail_reader(sdk: &SdkConfig, region: &str, retries: Retries<'_>) -> crate::aws::read::TrailReader {
    let mut conf = aws_sdk_cloudtrail::config::Builder::from(sdk).region(Region::new(region.to_owned()));
    conf.set_retry_partition(retries.partition("cloudtrail"));
    let conf = conf.build();
    crate::aws::read::TrailReader::new(aws_sdk_cloudtrail::Client::from_conf(conf))
}

/// Security Hub in one Region, for one account.
pub fn securityhub_client(
    sdk: &SdkConfig,
    region: &str,
    retries: Retries<'_>,
) -> Result<crate::aws::write::security_hub::SecurityHubClient, delivery_guard_core::snapshot::Unreadable> {
    crate::aws::write::security_hub::SecurityHubClient::new(sdk, region, retries.partition("securityhub"))
}

/// EventBridge in one Region.
pub fn eventbridge_client(sdk: &SdkConfig, region: &str) -> aws_sdk_eventbridge::Client {
    let conf = aws_sdk_eventbridge::config::Builder::from(sdk)
        .region(Region::new(region.to_owned()))
        .build();
    aws_sdk_eventbridge::Client::from_conf(conf)
}
