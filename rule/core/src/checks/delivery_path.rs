//! The requests Config makes to deliver, and who makes them: the model the access checks evaluate.

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

/// One request Config makes, named for messages.
pub struct DeliveryRequest {
    pub what: String,
    pub request: Request,
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

/// Whose delivery is modelled: the judged account, its Region and, when known, its Organization.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    pub account: &'a str,
    pub region: &'a str,
    pub organization: Option<&'a str>,
}

/// The context keys Config sets when it writes as the service principal on behalf of `source`.
pub fn as_config_service(request: Request, source: &Source<'_>) -> Request {
    let (account, region) = (source.account, source.region);
    let request = request
        .with("aws:SourceAccount", account)
        .with("aws:SourceArn", &format!("arn:aws:config:{region}:{account}:*"));
    match source.organization {
        Some(organization) => request.with("aws:SourceOrgID", organization),
        None => request,
    }
}

fn with_source(request: Request, writer: &Writer, source: &Source<'_>) -> Request {
    let request = request.with("aws:SecureTransport", "true");
    // aws:PrincipalIsAWSService comes with the principal (Request::new).
    match writer {
        Writer::Service => as_config_service(request, source),
        Writer::Role { .. } => request,
    }
}

pub fn s3_requests(
    writer: &Writer,
    channel: &DeliveryChannel,
    bucket: &str,
    owner: &str,
    source: &Source<'_>,
) -> Vec<DeliveryRequest> {
    let account = source.account;
    let key = format!(
        "{}ConfigWritabilityCheckFile",
        config_key_prefix(channel, account)
    );
    let put = Request::new(
        writer.principal(),
        "s3:PutObject",
        &format!("arn:aws:s3:::{bucket}/{key}"),
        owner,
    )
    .with("s3:x-amz-acl", "bucket-owner-full-control");
    let acl = Request::new(
        writer.principal(),
        "s3:GetBucketAcl",
        &format!("arn:aws:s3:::{bucket}"),
        owner,
    );
    vec![
        DeliveryRequest {
            what: format!(
                "s3:PutObject on s3://{bucket}/{}",
                config_key_prefix(channel, account)
            ),
            request: with_source(put, writer, source),
        },
        DeliveryRequest {
            what: format!("s3:GetBucketAcl on {bucket}"),
            request: with_source(acl, writer, source),
        },
    ]
}

pub fn kms_requests(
    writer: &Writer,
    key_arn: &str,
    key_source: &str,
    source: &Source<'_>,
) -> Vec<DeliveryRequest> {
    let region = source.region;
    let key_account = key_arn.split(':').nth(4).unwrap_or_default();
    ["kms:GenerateDataKey", "kms:Decrypt"]
        .into_iter()
        .map(|action| DeliveryRequest {
            what: format!("{action} on {key_source}"),
            request: with_source(
                Request::new(writer.principal(), action, key_arn, key_account),
                writer,
                source,
            )
            .with("kms:ViaService", &format!("s3.{region}.amazonaws.com")),
        })
        .collect()
}
