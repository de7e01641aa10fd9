//! What the root-cause probes observed: the bucket, the KMS key, the recorder role and the SCPs on
//! the account's path. Plain data; every read is `Observed`, so an unreadable probe is evidence too.

use crate::snapshot::Observed;
use crate::timestamp::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Absent probes were not applicable (no channel bucket, no key, a service-linked recorder) or
/// not attempted (a snapshot saved before probes existed).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Probes {
    #[serde(default)]
    pub bucket: Option<BucketProbe>,
    #[serde(default)]
    pub key: Option<KeyProbe>,
    #[serde(default)]
    pub recorder_role: Option<RoleProbe>,
    /// SCPs attached at each level of the account's path, root first; only read for a
    /// customer-managed recorder role (SCPs never restrict the service principal).
    #[serde(default)]
    pub scp_levels: Option<Observed<Vec<PolicyLevel>>>,
    /// RCPs on the path of each account that owns the bucket or the key; read only through
    /// `OrganizationReadRoleArn` (RCPs restrict the service principal too).
    #[serde(default)]
    pub rcp_levels: BTreeMap<String, Observed<Vec<PolicyLevel>>>,
    /// The judged account's Organization (DescribeOrganization; `None` inside: not in one). Config
    /// sends it as `aws:SourceOrgID`, which bucket, key and RCP conditions may require.
    #[serde(default)]
    pub organization_id: Option<Observed<Option<String>>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BucketProbe {
    pub name: String,
    /// The account that owns the bucket, when known (our own, or the reader role's).
    pub owner_account: Option<String>,
    /// Whose credentials read it: "rule" or the log-archive reader role's ARN.
    pub read_as: String,
    pub existence: Observed<BucketExistence>,
    /// None: the bucket has no policy.
    pub policy: Observed<Option<String>>,
    /// None: no Object Lock default retention.
    pub object_lock_retention: Observed<Option<ObjectLockRetention>>,
    /// None: no default encryption configuration.
    pub default_encryption: Observed<Option<DefaultEncryption>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DefaultEncryption {
    /// `AES256`, `aws:kms` or `aws:kms:dsse`.
    pub algorithm: String,
    /// The key, when SSE-KMS names one (absent: the AWS-managed `aws/s3` key).
    pub kms_key_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BucketExistence {
    Exists {
        region: Option<String>,
    },
    /// HeadBucket 404.
    Missing,
    /// HeadBucket 403: it exists, and we may not list it.
    Forbidden {
        region: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectLockRetention {
    pub mode: String,
    pub days: Option<i32>,
    pub years: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyProbe {
    pub arn: String,
    /// Where the key comes from: the channel's `s3KmsKeyArn`, or the bucket's default encryption.
    pub source: KeySource,
    pub metadata: Observed<KeyMetadata>,
    pub policy: Observed<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeySource {
    Channel,
    BucketDefaultEncryption,
}

impl KeySource {
    pub const fn describe(self) -> &'static str {
        match self {
            Self::Channel => "the channel's KMS key",
            Self::BucketDefaultEncryption => "the bucket's default encryption key",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyMetadata {
    pub key_state: String,
    pub deletion_date: Option<Timestamp>,
    pub key_manager: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoleProbe {
    pub arn: String,
    /// Inline and attached managed policies.
    pub policies: Observed<Vec<PolicyDocument>>,
    /// None: no permissions boundary.
    pub boundary: Observed<Option<PolicyDocument>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyDocument {
    pub name: String,
    pub document: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyLevel {
    /// `r-...`, `ou-...` or the account ID.
    pub target: String,
    pub policies: Vec<PolicyDocument>,
}
