//! Security Hub's three calls, BatchImportFindings, GetFindings and BatchUpdateFindings, sent
//! through the SDK's own request pipeline (the service's endpoint rules, SigV4, standard retries,
//! timeouts, clock-skew correction) with the ASFF JSON the core renders as the body.
//!
//! Why not the generated client: its operations (de)serialize every ASFF resource type there is,
//! and those two operations were 1.3 MB of the 4.9 MB package (docs/benchmarks.md). The core already
//! renders each finding as ASFF JSON (the CLI's `--format asff`), and of the answers `publish` reads
//! a handful of fields. The SDK crate stays for its endpoint resolver only.

use aws_config::SdkConfig;
use aws_config::retry::RetryConfig;
use aws_runtime::auth::sigv4::SigV4AuthScheme;
use aws_runtime::auth::{SigV4OperationSigningConfig, SigningOptions};
use aws_runtime::retries::classifiers::AwsErrorCodeClassifier;
use aws_runtime::service_clock_skew::{ServiceClockSkewClassifier, ServiceClockSkewInterceptor};
use aws_sdk_config::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_securityhub::config::endpoint::{DefaultResolver, Params, ResolveEndpoint as _};
use aws_smithy_runtime::client::orchestrator::AuthSchemeAndEndpointOrchestrationV2;
use aws_smithy_runtime::client::orchestrator::operation::Operation;
use aws_smithy_runtime::client::retries::RetryPartition;
use aws_smithy_runtime::client::retries::classifiers::{HttpStatusCodeClassifier, TransientErrorClassifier};
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::auth::static_resolver::StaticAuthSchemeOptionResolver;
use aws_smithy_runtime_api::client::auth::{
    AuthSchemeOptionResolverParams, static_resolver::StaticAuthSchemeOptionResolverParams,
};
use aws_smithy_runtime_api::client::endpoint::EndpointResolverParams;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::BeforeSerializationInterceptorContextRef;
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse, OrchestratorError};
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponentsBuilder;
use aws_smithy_runtime_api::client::runtime_plugin::{SharedRuntimePlugin, StaticRuntimePlugin};
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::config_bag::{ConfigBag, Layer};
use aws_smithy_types::error::ErrorMetadata;
use aws_types::SigningName;
use aws_types::region::{Region, SigningRegion};
use aws_types::service_config::ServiceConfigKey;
use delivery_guard_core::outbound::asff::AsffFinding;
use delivery_guard_core::snapshot::{FailureKind, Unreadable};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Security Hub in one Region, acting as one account: the three calls `publish` makes.
#[derive(Clone, Debug)]
pub struct SecurityHubClient {
    import: Operation<JsonBody, ImportOutcome, ServiceError>,
    find: Operation<JsonBody, FindingsPage, ServiceError>,
    update: Operation<JsonBody, UpdateOutcome, ServiceError>,
}

/// What a call failed with, in the SDK's terms (so `unreadable` classifies it as for any client).
pub type CallError = SdkError<ServiceError, HttpResponse>;

impl SecurityHubClient {
    /// Security Hub in `region` with the configuration's credentials, HTTP client, retries and
    /// timeouts; `retry_partition` names whose retry budget its calls spend. Fails only when the
    /// endpoint rules' inputs cannot be built (a Region they refuse).
    pub fn new(
        sdk: &SdkConfig,
        region: &str,
        retry_partition: Option<RetryPartition>,
    ) -> Result<Self, Unreadable> {
        let params = endpoint_params(sdk, region).map_err(|err| Unreadable {
            call: "SecurityHub endpoint".to_owned(),
            kind: FailureKind::Rejected,
            code: None,
            message: err.to_string(),
        })?;
        let service = service_plugin(sdk, region, params, retry_partition);
        Ok(Self {
            import: operation(sdk, &service, "BatchImportFindings", "POST", "/findings/import"),
            find: operation(sdk, &service, "GetFindings", "POST", "/findings"),
            update: operation(
                sdk,
                &service,
                "BatchUpdateFindings",
                "PATCH",
                "/findings/batchupdate",
            ),
        })
    }

    /// BatchImportFindings (at most 100 findings).
    pub async fn batch_import_findings(&self, findings: &[AsffFinding]) -> Result<ImportOutcome, CallError> {
        let body = serde_json::to_vec(&ImportRequest { findings }).map_err(SdkError::construction_failure)?;
        self.import.invoke(JsonBody(body)).await
    }

    /// BatchUpdateFindings of one workflow status and note for `ids` (at most 100) of this product.
    pub async fn batch_update_findings(
        &self,
        product_arn: &str,
        ids: &[&str],
        status: &str,
        note: &delivery_guard_core::outbound::asff::AsffNote,
    ) -> Result<UpdateOutcome, CallError> {
        let identifiers: Vec<serde_json::Value> = ids
            .iter()
            .map(|id| serde_json::json!({ "Id": id, "ProductArn": product_arn }))
            .collect();
        let body = serde_json::json!({
            "FindingIdentifiers": identifiers,
            "Workflow": { "Status": status },
            "Note": { "Text": note.text, "UpdatedBy": note.updated_by },
        });
        let body = serde_json::to_vec(&body).map_err(SdkError::construction_failure)?;
        self.update.invoke(JsonBody(body)).await
    }

    /// One page of GetFindings for `filters` (ASFF's `AwsSecurityFindingFilters` as JSON).
    pub async fn get_findings(
        &self,
        filters: &serde_json::Value,
        max_results: u32,
        next_token: Option<&str>,
    ) -> Result<FindingsPage, CallError> {
        let mut body = serde_json::json!({ "Filters": filters, "MaxResults": max_results });
        if let (Some(token), Some(fields)) = (next_token, body.as_object_mut()) {
            fields.insert("NextToken".to_owned(), token.into());
        }
        let body = serde_json::to_vec(&body).map_err(SdkError::construction_failure)?;
        self.find.invoke(JsonBody(body)).await
    }
}

/// BatchImportFindings' request: the findings, serialized as the core renders them.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct ImportRequest<'a> {
    findings: &'a [AsffFinding],
}

/// BatchImportFindings' answer: the findings Security Hub refused.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ImportOutcome {
    /// How many were refused. Required, as in Security Hub's model: an answer without it is
    /// malformed, never "all imported".
    pub failed_count: i64,
    /// Each refused finding and why.
    #[serde(default)]
    pub failed_findings: Vec<FailedFinding>,
}

/// A finding BatchImportFindings refused.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct FailedFinding {
    /// The finding's ID.
    pub id: Option<String>,
    /// Security Hub's error code.
    pub error_code: Option<String>,
    /// Security Hub's message.
    pub error_message: Option<String>,
}

/// BatchUpdateFindings' answer: the findings it could not update.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateOutcome {
    /// Each finding not updated and why. Required, as in Security Hub's model.
    pub unprocessed_findings: Vec<UnprocessedFinding>,
}

/// A finding BatchUpdateFindings did not update.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UnprocessedFinding {
    /// Security Hub's error code.
    pub error_code: Option<String>,
    /// Security Hub's message.
    pub error_message: Option<String>,
}

/// One page of GetFindings, with the fields `publish` reads of each finding.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct FindingsPage {
    /// The page's findings. Required, as in Security Hub's model: a page without them is
    /// malformed, never "nothing open".
    pub findings: Vec<FoundFinding>,
    /// Where the next page starts; none on the last.
    pub next_token: Option<String>,
}

/// A finding as GetFindings returns it: only the fields `publish` reads.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct FoundFinding {
    /// The finding's ID.
    pub id: Option<String>,
    /// When it was first raised.
    pub created_at: Option<String>,
    /// ACTIVE or ARCHIVED.
    pub record_state: Option<String>,
    /// Its workflow (NEW, NOTIFIED, SUPPRESSED, RESOLVED).
    pub workflow: Option<FoundWorkflow>,
    /// Its note, when one was written.
    pub note: Option<FoundNote>,
}

/// `Workflow` as GetFindings returns it.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct FoundWorkflow {
    /// The status.
    pub status: Option<String>,
}

/// `Note` as GetFindings returns it.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct FoundNote {
    /// Who wrote it.
    pub updated_by: Option<String>,
}

/// The error a call answered with: the service's code and message.
#[derive(Debug)]
pub struct ServiceError {
    meta: ErrorMetadata,
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}",
            self.meta.code().unwrap_or("unknown error"),
            self.meta.message().unwrap_or("")
        )
    }
}

impl std::error::Error for ServiceError {}

impl ProvideErrorMetadata for ServiceError {
    fn meta(&self) -> &ErrorMetadata {
        &self.meta
    }
}

/// A request's JSON body (its length, not its content, in debug output).
struct JsonBody(Vec<u8>);

impl fmt::Debug for JsonBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "JsonBody({} bytes)", self.0.len())
    }
}

/// What the generated client's service plugin sets for every Security Hub call: endpoint rules,
/// SigV4 for `securityhub` in `region`, the credentials, the retry partition.
fn service_plugin(
    sdk: &SdkConfig,
    region: &str,
    params: Params,
    retry_partition: Option<RetryPartition>,
) -> SharedRuntimePlugin {
    let mut layer = Layer::new("SecurityHub");
    layer.store_put(SigningRegion::from(Region::new(region.to_owned())));
    layer.store_put(SigningName::from_static("securityhub"));
    layer.store_put(SigV4OperationSigningConfig {
        signing_options: SigningOptions::default(),
        ..SigV4OperationSigningConfig::default()
    });
    layer.store_put(AuthSchemeOptionResolverParams::new(
        StaticAuthSchemeOptionResolverParams::new(),
    ));
    layer.store_put(AuthSchemeAndEndpointOrchestrationV2);
    layer.store_put(EndpointResolverParams::new(params.clone()));
    if let Some(partition) = retry_partition {
        layer.store_put(partition);
    }
    let mut components = RuntimeComponentsBuilder::new("SecurityHub")
        .with_endpoint_resolver(Some(DefaultResolver::new().into_shared_resolver()))
        .with_auth_scheme(SigV4AuthScheme::new())
        .with_auth_scheme_option_resolver(Some(StaticAuthSchemeOptionResolver::new(vec![
            aws_runtime::auth::sigv4::SCHEME_ID,
        ])))
        .with_interceptor(EndpointParams(params))
        .with_interceptor(ServiceClockSkewInterceptor::new())
        .with_retry_classifier(HttpStatusCodeClassifier::default())
        .with_retry_classifier(TransientErrorClassifier::<ServiceError>::new())
        .with_retry_classifier(AwsErrorCodeClassifier::<ServiceError>::new())
        .with_retry_classifier(ServiceClockSkewClassifier::<ServiceError>::new());
    if let Some(credentials) = sdk.credentials_provider() {
        components = components.with_identity_resolver(aws_runtime::auth::sigv4::SCHEME_ID, credentials);
    }
    if let Some(cache) = sdk.identity_cache() {
        components = components.with_identity_cache(Some(cache));
    }
    SharedRuntimePlugin::new(
        StaticRuntimePlugin::new()
            .with_config(layer.freeze())
            .with_runtime_components(components),
    )
}

/// Puts the endpoint rules' inputs where the pipeline reads them, before each call, as the
/// generated client's per-operation interceptor does (the copy in the configuration is what
/// `Operation::build` checks for).
#[derive(Debug)]
struct EndpointParams(Params);

impl Intercept for EndpointParams {
    fn name(&self) -> &'static str {
        "SecurityHubEndpointParams"
    }

    fn read_before_execution(
        &self,
        _context: &BeforeSerializationInterceptorContextRef<'_>,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        cfg.interceptor_state()
            .store_put(EndpointResolverParams::new(self.0.clone()));
        Ok(())
    }
}

/// The endpoint rules' inputs, as the generated client reads them from the configuration: an
/// endpoint URL for Security Hub alone (`AWS_ENDPOINT_URL_SECURITYHUB`) wins over the global one.
fn endpoint_params(sdk: &SdkConfig, region: &str) -> Result<Params, BoxError> {
    let endpoint = if sdk.get_origin("endpoint_url").is_client_config() {
        sdk.endpoint_url().map(str::to_owned)
    } else {
        sdk.service_config()
            .and_then(|conf| {
                conf.load_config(
                    ServiceConfigKey::builder()
                        .service_id("SecurityHub")
                        .env("AWS_ENDPOINT_URL")
                        .profile("endpoint_url")
                        .build()
                        .ok()?,
                )
            })
            .or_else(|| sdk.endpoint_url().map(str::to_owned))
    };
    Ok(Params::builder()
        .region(region)
        .use_fips(sdk.use_fips().unwrap_or(false))
        .use_dual_stack(sdk.use_dual_stack().unwrap_or(false))
        .set_endpoint(endpoint)
        .build()?)
}

/// One REST-JSON operation: POST `path` with a JSON body, a JSON answer of type `O`.
fn operation<O>(
    sdk: &SdkConfig,
    service: &SharedRuntimePlugin,
    name: &'static str,
    method: &'static str,
    path: &'static str,
) -> Operation<JsonBody, O, ServiceError>
where
    O: DeserializeOwned + fmt::Debug + Send + Sync + 'static,
{
    let mut builder = Operation::builder()
        .service_name("SecurityHub")
        .operation_name(name)
        .behavior_version(aws_config::BehaviorVersion::latest())
        .http_client(
            sdk.http_client()
                .unwrap_or_else(crate::aws::clients::https_client),
        )
        .standard_retry(&sdk.retry_config().cloned().unwrap_or_else(RetryConfig::standard))
        .timeout_config(
            sdk.timeout_config()
                .cloned()
                .unwrap_or_else(crate::aws::clients::timeouts),
        )
        .runtime_plugin(service.clone())
        .serializer(move |body: JsonBody| request(method, path, body))
        .deserializer(answer::<O>);
    if let Some(sleep) = sdk.sleep_impl() {
        builder = builder.sleep_impl(sleep);
    }
    if let Some(time) = sdk.time_source() {
        builder = builder.time_source(time);
    }
    builder.build()
}

/// `method` `path` with the JSON body; the endpoint and signature are added by the pipeline.
fn request(method: &str, path: &str, body: JsonBody) -> Result<HttpRequest, BoxError> {
    let length = body.0.len();
    let mut request = HttpRequest::new(SdkBody::from(body.0));
    request.set_method(method)?;
    request.set_uri(path)?;
    request.headers_mut().insert("content-type", "application/json");
    request.headers_mut().insert("content-length", length.to_string());
    Ok(request)
}

/// A 2xx answer's JSON as `O`; any other status as the service's error.
fn answer<O: DeserializeOwned>(response: &HttpResponse) -> Result<O, OrchestratorError<ServiceError>> {
    let body = response.body().bytes().unwrap_or_default();
    if !response.status().is_success() {
        let (code, message) = error_code_and_message(response.headers().get("x-amzn-errortype"), body);
        let mut meta = ErrorMetadata::builder();
        if let Some(code) = code {
            meta = meta.code(code);
        }
        if let Some(message) = message {
            meta = meta.message(message);
        }
        return Err(OrchestratorError::operation(ServiceError { meta: meta.build() }));
    }
    serde_json::from_slice(body).map_err(|err| OrchestratorError::response(Box::new(err)))
}

/// A REST-JSON error's code and message: the code from `x-amzn-errortype`, else the body's
/// `__type` or `code`, without its namespace (`aws.protocoltests#`) or suffix (`:http://...`).
pub fn error_code_and_message(header: Option<&str>, body: &[u8]) -> (Option<String>, Option<String>) {
    let body: serde_json::Value = serde_json::from_slice(body).unwrap_or_default();
    let field = |names: &[&str]| {
        names
            .iter()
            .find_map(|name| body.get(*name).and_then(serde_json::Value::as_str))
            .map(str::to_owned)
    };
    let code = header
        .map(str::to_owned)
        .or_else(|| field(&["__type", "code", "Code"]))
        .map(|code| {
            let code = code.split(':').next().unwrap_or_default();
            code.rsplit('#').next().unwrap_or_default().to_owned()
        })
        .filter(|code| !code.is_empty());
    (code, field(&["message", "Message", "errorMessage"]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_codes_lose_namespace_and_suffix() {
        let (code, message) = error_code_and_message(
            Some("AccessDeniedException:http://internal.amazon.com/coral/"),
            br#"{"message":"not allowed"}"#,
        );
        assert_eq!(code.as_deref(), Some("AccessDeniedException"));
        assert_eq!(message.as_deref(), Some("not allowed"));
        let (code, message) = error_code_and_message(
            None,
            br#"{"__type":"com.amazonaws.securityhub#InvalidAccessException","Message":"not subscribed"}"#,
        );
        assert_eq!(code.as_deref(), Some("InvalidAccessException"));
        assert_eq!(message.as_deref(), Some("not subscribed"));
        let (code, message) = error_code_and_message(None, b"<html>bad gateway</html>");
        assert_eq!((code, message), (None, None));
    }
}
