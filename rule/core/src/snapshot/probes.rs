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
    /// The channel's bucket.
    #[serde(default)]
    pub bucket: Option<BucketProbe>,
    /// The channel's KMS key, or the bucket's default key.
    #[serde(default)]
    pub key: Option<KeyProbe>,
    /// The customer-managed recorder role.
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
    /// The Organization's management account (DescribeOrganization's `MasterAccountId`): SCPs do
    /// not restrict its principals, RCPs not its resources.
    #[serde(default)]
    pub management_account: Option<String>,
    /// The CloudTrail trails that apply to the Region; read by the watchdog and `scan` only.
    #[serde(default)]
    pub event_path: Option<crate::snapshot::trails::EventPathEvidence>,
}

/// The channel's bucket, as the probes read it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BucketProbe {
    /// Its name.
    pub name: String,
    /// The account that owns the bucket, when established (HeadBucket with ExpectedBucketOwner).
    pub owner_account: Option<String>,
    /// Why the owner is not established, when it is not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_unknown: Option<String>,
    /// Whose credentials read it: "rule" or the log-archive reader role's ARN.
    pub read_as: String,
    /// `HeadBucket`.
    pub existence: Observed<BucketExistence>,
    /// None: the bucket has no policy.
    pub policy: Observed<Option<String>>,
    /// None: no Object Lock default retention.
    pub object_lock_retention: Observed<Option<ObjectLockRetention>>,
    /// None: no default encryption configuration.
    pub default_encryption: Observed<Option<DefaultEncryption>>,
}

/// The bucket's default encryption.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DefaultEncryption {
    /// `AES256`, `aws:kms` or `aws:kms:dsse`.
    pub algorithm: String,
    /// The key, when SSE-KMS names one (absent: the AWS-managed `aws/s3` key).
    pub kms_key_id: Option<String>,
}

/// What `HeadBucket` said.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BucketExistence {
    /// 200.
    Exists {
        /// The bucket's Region.
        region: Option<String>,
    },
    /// HeadBucket 404.
    Missing,
    /// HeadBucket 403: it exists, and we may not list it.
    Forbidden {
        /// The bucket's Region.
        region: Option<String>,
    },
}

/// Object Lock default retention.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectLockRetention {
    /// GOVERNANCE or COMPLIANCE.
    pub mode: String,
    /// Days of retention.
    pub days: Option<i32>,
    /// Years of retention.
    pub years: Option<i32>,
}

/// The KMS key, as the probes read it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyProbe {
    /// Its ARN.
    pub arn: String,
    /// Where the key comes from: the channel's `s3KmsKeyArn`, or the bucket's default encryption.
    pub source: KeySource,
    /// `DescribeKey`.
    pub metadata: Observed<KeyMetadata>,
    /// `GetKeyPolicy`.
    pub policy: Observed<String>,
}

/// Where the key came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeySource {
    /// The channel names it.
    Channel,
    /// The bucket's default encryption names it.
    BucketDefaultEncryption,
}

impl KeySource {
    /// How findings say it.
    pub const fn describe(self) -> &'static str {
        match self {
            Self::Channel => "the channel's KMS key",
            Self::BucketDefaultEncryption => "the bucket's default encryption key",
        }
    }
}

/// What `DescribeKey` said.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyMetadata {
    /// The key's ARN (a key ID or alias resolves to it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    /// `KeyState`.
    pub key_state: String,
    /// `DeletionDate`.
    pub deletion_date: Option<Timestamp>,
    /// `KeyManager`: AWS or CUSTOMER.
    pub key_manager: Option<String>,
}

/// The recorder role, as the probes read it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoleProbe {
    /// Its ARN.
    pub arn: String,
    /// Inline and attached managed policies.
    pub policies: Observed<Vec<PolicyDocument>>,
    /// None: no permissions boundary.
    pub boundary: Observed<Option<PolicyDocument>>,
}

/// One policy document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyDocument {
    /// Its name or ID.
    pub name: String,
    /// The JSON text.
    pub document: String,
}

/// The policies attached at one level of the Organization (root, OU, account).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyLevel {
    /// `r-...`, `ou-...` or the account ID.
    pub target: String,
    /// Every policy at this level.
    pub policies: Vec<PolicyDocument>,
}
