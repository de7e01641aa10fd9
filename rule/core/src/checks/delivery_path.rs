//! The requests Config makes to deliver, and who makes them: the model the access checks evaluate.

use super::request_context;
use crate::policy::{Principal, Request};
use crate::snapshot::{DeliveryChannel, Recorder};

pub const CONFIG_SERVICE: &str = "config.amazonaws.com";
const SERVICE_LINKED_ROLE: &str = ":role/aws-service-role/config.amazonaws.com/";

/// Who Config writes as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Writer {
    /// The service-linked role has no S3 or KMS permissions: Config writes as the service principal.
    Service,
    /// A customer-managed recorder role writes first (Config falls back to the service principal
    /// for a bucket in another account).
    Role {
        /// The role's ARN.
        arn: String,
        /// The role's name.
        name: String,
        /// The role's account.
        account: String,
    },
}

impl Writer {
    /// The writer the recorder's role makes: the service principal for the service-linked role;
    /// None for a recorder that names no role (Config requires one, so the answer is incomplete).
    pub fn of(recorder: &Recorder) -> Option<Self> {
        let arn = recorder.role_arn.as_deref().filter(|arn| !arn.is_empty())?;
        if arn.contains(SERVICE_LINKED_ROLE) {
            return Some(Self::Service);
        }
        let account = arn.split(':').nth(4).unwrap_or_default().to_owned();
        let name = arn.rsplit('/').next().unwrap_or(arn).to_owned();
        Some(Self::Role {
            arn: arn.to_owned(),
            name,
            account,
        })
    }

    /// The principal the policy evaluator decides for.
    pub fn principal(&self) -> Principal {
        match self {
            Self::Service => Principal::Service(CONFIG_SERVICE.to_owned()),
            Self::Role { arn, account, .. } => Principal::Aws {
                arn: arn.clone(),
                account: account.clone(),
            },
        }
    }

    /// How findings name the writer.
    pub fn describe(&self) -> String {
        match self {
            Self::Service => CONFIG_SERVICE.to_owned(),
            Self::Role { name, .. } => format!("recorder role {name}"),
        }
    }
}

/// One request Config makes, named for messages, built from the request-context table: the keys
/// documented present are in `request`; the undocumented ones are in `unknown`, each with the
/// values it may take besides being absent.
#[derive(Debug, Clone)]
pub struct DeliveryRequest {
    pub what: String,
    pub request: Request,
    pub unknown: Vec<(&'static str, Vec<String>)>,
    /// The write of the table it is (to build the same write as the service principal).
    pub write: &'static request_context::Write,
}

/// `[prefix/]AWSLogs/<account>/Config/`: where every object Config writes lives.
pub fn config_key_prefix(channel: &DeliveryChannel, account: &str) -> String {
    match channel
        .s3_key_prefix
        .as_deref()
        .map(|p| p.trim_matches('/'))
        .filter(|p| !p.is_empty())
    {
        Some(prefix) => format!("{prefix}/AWSLogs/{account}/Config/"),
        None => format!("AWSLogs/{account}/Config/"),
    }
}

/// Whose delivery is modelled: the judged account, its Region, its Organization when known, and
/// the channel's key.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    pub account: &'a str,
    pub region: &'a str,
    pub organization: Option<&'a str>,
    pub channel_key: Option<&'a str>,
}

/// The request `write` makes on `resource` (owned by `owner`), as `writer` makes it.
pub fn delivery_request(
    write: &'static request_context::Write,
    writer: &Writer,
    resource: &str,
    owner: &str,
    source: &Source<'_>,
    what: String,
) -> DeliveryRequest {
    let role = match writer {
        Writer::Role { arn, account, .. } => Some((arn.as_str(), account.as_str())),
        Writer::Service => None,
    };
    let pipeline = request_context::Pipeline {
        account: source.account,
        region: source.region,
        organization: source.organization,
        role,
        channel_key: source.channel_key,
    };
    let context = request_context::context(write, &pipeline, role.is_none());
    let mut request = Request::new(writer.principal(), write.action, resource, owner);
    for (key, value) in &context.present {
        request = request.with(key, value);
    }
    DeliveryRequest {
        what,
        request,
        unknown: context.unknown,
        write,
    }
}

/// The same write made by Config's service principal (its documented retry for a role).
pub fn as_config_service(request: &DeliveryRequest, source: &Source<'_>) -> DeliveryRequest {
    delivery_request(
        request.write,
        &Writer::Service,
        &request.request.resource,
        &request.request.resource_account,
        source,
        request.what.clone(),
    )
}

/// The S3 requests that decide delivery (PutObject of the writability check file, GetBucketAcl).
pub fn s3_requests(
    writer: &Writer,
    channel: &DeliveryChannel,
    bucket: &str,
    owner: &str,
    source: &Source<'_>,
) -> Vec<DeliveryRequest> {
    let prefix = config_key_prefix(channel, source.account);
    let object = format!("arn:aws:s3:::{bucket}/{prefix}ConfigWritabilityCheckFile");
    let bucket_arn = format!("arn:aws:s3:::{bucket}");
    let writes = &request_context::WRITES;
    writes
        .iter()
        .enumerate()
        .filter(|(_, w)| w.breaks_delivery && w.action.starts_with("s3:"))
        // Snapshot and history PutObject write to the same folder: one request decides both.
        .filter(|(at, w)| writes.iter().position(|other| other.action == w.action) == Some(*at))
        .map(|(_, write)| {
            let (resource, what) = if write.action == "s3:PutObject" {
                (object.clone(), format!("s3:PutObject on s3://{bucket}/{prefix}"))
            } else {
                (bucket_arn.clone(), format!("{} on {bucket}", write.action))
            };
            delivery_request(write, writer, &resource, owner, source, what)
        })
        .collect()
}

/// The KMS requests S3 (or Config) makes with the key.
pub fn kms_requests(
    writer: &Writer,
    key_arn: &str,
    key_source: &str,
    source: &Source<'_>,
) -> Vec<DeliveryRequest> {
    let key_account = key_arn.split(':').nth(4).unwrap_or_default();
    request_context::WRITES
        .iter()
        .filter(|w| w.breaks_delivery && w.action.starts_with("kms:"))
        .map(|write| {
            let what = format!("{} on {key_source}", write.action);
            delivery_request(write, writer, key_arn, key_account, source, what)
        })
        .collect()
}
