//! The check catalogue: one row per check, in one table. IDs never change meaning once released:
//! users suppress, alert and report on them. `docs/checks.md` is generated from this table and a
//! test fails when it is stale.

use crate::checks::Severity;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A check, by its place in [`CATALOGUE`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CheckId {
    /// The invocation event is malformed.
    MalformedEvent,
    /// The rule parameters are invalid.
    InvalidParameters,
    /// Delivery evidence could not be read.
    EvidenceUnreadable,
    /// Config returned incomplete delivery evidence.
    EvidenceIncomplete,
    /// No configuration recorder.
    RecorderMissing,
    /// Only service-linked recorders, which deliver nothing.
    RecorderServiceLinkedOnly,
    /// The configuration recorder is not recording.
    RecorderNotRecording,
    /// The recorder last failed.
    RecorderLastStatusFailure,
    /// No delivery channel.
    ChannelMissing,
    /// Snapshot delivery to S3 fails.
    SnapshotDeliveryFailure,
    /// History delivery to S3 fails.
    HistoryDeliveryFailure,
    /// Delivery to the SNS topic fails.
    StreamDeliveryFailure,
    /// No successful delivery for too long.
    DeliveryStale,
    /// No delivery has ever succeeded.
    DeliveryNeverSucceeded,
    /// The channel delivers to another bucket.
    ChannelUnexpectedBucket,
    /// The channel uses another key prefix.
    ChannelUnexpectedKeyPrefix,
    /// The channel encrypts with another KMS key.
    ChannelUnexpectedKmsKey,
    /// The delivery bucket does not exist.
    BucketMissing,
    /// The bucket has Object Lock default retention.
    BucketObjectLockRetention,
    /// The bucket policy denies Config delivery.
    BucketPolicyDeniesDelivery,
    /// The recorder role may not deliver.
    RoleDeniesDelivery,
    /// The delivery KMS key does not exist.
    KeyMissing,
    /// The delivery KMS key is disabled.
    KeyDisabled,
    /// The delivery KMS key is pending deletion.
    KeyPendingDeletion,
    /// The delivery KMS key is in another region.
    KeyOtherRegion,
    /// The key policy denies Config delivery.
    KeyPolicyDeniesDelivery,
    /// An SCP denies the recorder role delivery.
    ScpDeniesDelivery,
    /// An RCP denies Config delivery.
    RcpDeniesDelivery,
    /// A root-cause probe could not be read.
    ProbeUnverified,
    /// The audit role cannot be assumed.
    AuditRoleUnassumable,
    /// The account's enabled regions could not be listed.
    RegionsUnreadable,
    /// Not judged before the deadline.
    DeadlineReached,
    /// No trail feeds the event path.
    EventPathBlind,
}

/// What a failing check says about the pipeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Delivery fails or stopped now, as Config itself reports it.
    Symptom,
    /// Something the rule read that breaks, or will break, delivery: the root cause.
    Cause,
    /// Evidence could not be read or the invocation could not be judged: "cannot verify".
    Unverified,
}

/// One row of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Check {
    /// The check this row describes.
    pub id: CheckId,
    /// The stable ID users see, `<area>.<name>`.
    pub name: &'static str,
    /// How bad a failure of this check is.
    pub severity: Severity,
    /// Symptom, cause, or "cannot verify".
    pub kind: Kind,
    /// A short name for reports (SARIF rule descriptions, Security Hub titles).
    pub title: &'static str,
    /// When the check fails, for the docs.
    pub fails_when: &'static str,
    /// For root-cause probes: the API calls they make and the permissions those need.
    pub reads: &'static str,
    /// The evidence a pass rests on: what must have been read for the check to pass.
    pub passes_on: &'static str,
    /// What to do about it.
    pub remediation: &'static str,
}

/// Every check, in [`CheckId`] order (a compile-time assertion below keeps it so).
pub const CATALOGUE: [Check; 33] = [
    Check {
        id: CheckId::MalformedEvent,
        name: "rule.malformed-event",
        severity: Severity::High,
        kind: Kind::Unverified,
        title: "The invocation event is malformed",
        fails_when: "the invocation event cannot be parsed but still names the account and result token",
        reads: "",
        passes_on: "the invocation event, parsed",
        remediation: "The invocation event is not a Config custom-rule event; check what invokes the function.",
    },
    Check {
        id: CheckId::InvalidParameters,
        name: "rule.invalid-parameters",
        severity: Severity::High,
        kind: Kind::Unverified,
        title: "The rule parameters are invalid",
        fails_when: "a rule parameter is invalid (the annotation names it)",
        reads: "",
        passes_on: "the rule parameters, parsed",
        remediation: "Fix the rule's input parameters (docs/parameters.md) and re-evaluate the rule.",
    },
    Check {
        id: CheckId::EvidenceUnreadable,
        name: "evidence.unreadable",
        severity: Severity::High,
        kind: Kind::Unverified,
        title: "Delivery evidence could not be read",
        fails_when: "a read failed (AccessDenied, throttling past retries, 5xx, timeout, malformed response): \"cannot verify\"",
        reads: "",
        passes_on: "the five Config reads, each answered",
        remediation: "Grant the rule's role the read permission named in the evidence; transient errors clear on the next evaluation.",
    },
    Check {
        id: CheckId::EvidenceIncomplete,
        name: "evidence.incomplete",
        severity: Severity::High,
        kind: Kind::Unverified,
        title: "Config returned incomplete delivery evidence",
        fails_when: "Config's answer parsed but is incomplete or inconsistent: no status for a recorder or channel, a delivery part or its `lastStatus` missing, a status it does not document, a time after the reading, a recorder without its `roleARN`",
        reads: "",
        passes_on: "the five Config reads, each answer complete (a status for every recorder and channel, every documented field)",
        remediation: "Config returned partial data; re-evaluate the rule, and check the recorder and channel with the AWS CLI.",
    },
    Check {
        id: CheckId::RecorderMissing,
        name: "recorder.missing",
        severity: Severity::Critical,
        kind: Kind::Cause,
        title: "No configuration recorder",
        fails_when: "there is no customer-managed configuration recorder",
        reads: "",
        passes_on: "DescribeConfigurationRecorders and ListConfigurationRecorders",
        remediation: "Create a customer-managed configuration recorder and a delivery channel (terraform module config-recorder).",
    },
    Check {
        id: CheckId::RecorderServiceLinkedOnly,
        name: "recorder.service-linked-only",
        severity: Severity::Critical,
        kind: Kind::Cause,
        title: "Only service-linked recorders, which deliver nothing",
        fails_when: "only service-linked (`INTERNAL`) recorders exist, such as Security Hub's: they deliver nothing to S3",
        reads: "",
        passes_on: "DescribeConfigurationRecorders and ListConfigurationRecorders",
        remediation: "Service-linked (INTERNAL) recorders deliver nothing to S3: add a customer-managed recorder and delivery channel.",
    },
    Check {
        id: CheckId::RecorderNotRecording,
        name: "recorder.not-recording",
        severity: Severity::Critical,
        kind: Kind::Cause,
        title: "The configuration recorder is not recording",
        fails_when: "the recorder is stopped (with the time it stopped)",
        reads: "",
        passes_on: "DescribeConfigurationRecorderStatus",
        remediation: "Start the recorder: aws configservice start-configuration-recorder --configuration-recorder-name <name>.",
    },
    Check {
        id: CheckId::RecorderLastStatusFailure,
        name: "recorder.last-status-failure",
        severity: Severity::Critical,
        kind: Kind::Cause,
        title: "The recorder last failed",
        fails_when: "the recorder's last status is Failure (with the error code)",
        reads: "",
        passes_on: "DescribeConfigurationRecorderStatus",
        remediation: "Fix the recorder's role permissions named by the error code, then restart the recorder.",
    },
    Check {
        id: CheckId::ChannelMissing,
        name: "channel.missing",
        severity: Severity::Critical,
        kind: Kind::Cause,
        title: "No delivery channel",
        fails_when: "there is no delivery channel",
        reads: "",
        passes_on: "DescribeDeliveryChannels",
        remediation: "Create a delivery channel to the central log bucket (aws configservice put-delivery-channel).",
    },
    Check {
        id: CheckId::SnapshotDeliveryFailure,
        name: "channel.snapshot-delivery-failure",
        severity: Severity::Critical,
        kind: Kind::Symptom,
        title: "Snapshot delivery to S3 fails",
        fails_when: "the last snapshot delivery failed (error code, message, the time of the last success)",
        reads: "",
        passes_on: "DescribeDeliveryChannelStatus: configSnapshotDeliveryInfo with its lastStatus",
        remediation: "Fix what the error code names: bucket existence and policy for config.amazonaws.com, recorder role s3:PutObject, KMS key state and policy.",
    },
    Check {
        id: CheckId::HistoryDeliveryFailure,
        name: "channel.history-delivery-failure",
        severity: Severity::Critical,
        kind: Kind::Symptom,
        title: "History delivery to S3 fails",
        fails_when: "the last history delivery failed (same evidence)",
        reads: "",
        passes_on: "DescribeDeliveryChannelStatus: configHistoryDeliveryInfo with its lastStatus",
        remediation: "Fix what the error code names: bucket existence and policy for config.amazonaws.com, recorder role s3:PutObject, KMS key state and policy.",
    },
    Check {
        id: CheckId::StreamDeliveryFailure,
        name: "channel.stream-delivery-failure",
        severity: Severity::Medium,
        kind: Kind::Symptom,
        title: "Delivery to the SNS topic fails",
        fails_when: "delivery to the channel's SNS topic fails (`Not_Applicable` only means \"no topic\" and passes)",
        reads: "",
        passes_on: "DescribeDeliveryChannelStatus: configStreamDeliveryInfo with its lastStatus (none needed without a topic)",
        remediation: "Allow config.amazonaws.com (or the recorder role) sns:Publish on the channel's topic, and its KMS key if encrypted.",
    },
    Check {
        id: CheckId::DeliveryStale,
        name: "channel.delivery-stale",
        severity: Severity::Critical,
        kind: Kind::Symptom,
        title: "No successful delivery for too long",
        fails_when: "no successful delivery for longer than `MaxDeliveryAgeHours`, or the next snapshot is a whole period overdue",
        reads: "",
        passes_on: "DescribeDeliveryChannelStatus, both parts complete and no time in the future, and the channel's deliveryFrequency",
        remediation: "Config stopped delivering: check the recorder is recording, the bucket, its policy and the KMS key; then deliver a snapshot.",
    },
    Check {
        id: CheckId::DeliveryNeverSucceeded,
        name: "channel.never-delivered",
        severity: Severity::Medium,
        kind: Kind::Symptom,
        title: "No delivery has ever succeeded",
        fails_when: "no snapshot or history delivery has ever succeeded",
        reads: "",
        passes_on: "DescribeDeliveryChannelStatus, both parts complete and no time in the future",
        remediation: "Deliver a snapshot (aws configservice deliver-config-snapshot) and check the delivery status it reports.",
    },
    Check {
        id: CheckId::ChannelUnexpectedBucket,
        name: "channel.unexpected-bucket",
        severity: Severity::Medium,
        kind: Kind::Cause,
        title: "The channel delivers to another bucket",
        fails_when: "the channel does not deliver to `ExpectedBucket`",
        reads: "",
        passes_on: "DescribeDeliveryChannels and the ExpectedBucket parameter",
        remediation: "Point the delivery channel at the required central bucket, prefix and KMS key (put-delivery-channel).",
    },
    Check {
        id: CheckId::ChannelUnexpectedKeyPrefix,
        name: "channel.unexpected-key-prefix",
        severity: Severity::Medium,
        kind: Kind::Cause,
        title: "The channel uses another key prefix",
        fails_when: "the channel does not use `ExpectedKeyPrefix`",
        reads: "",
        passes_on: "DescribeDeliveryChannels and the ExpectedKeyPrefix parameter",
        remediation: "Point the delivery channel at the required central bucket, prefix and KMS key (put-delivery-channel).",
    },
    Check {
        id: CheckId::ChannelUnexpectedKmsKey,
        name: "channel.unexpected-kms-key",
        severity: Severity::Medium,
        kind: Kind::Cause,
        title: "The channel encrypts with another KMS key",
        fails_when: "the channel does not encrypt with `ExpectedKmsKeyArn`",
        reads: "",
        passes_on: "DescribeDeliveryChannels and the ExpectedKmsKeyArn parameter",
        remediation: "Point the delivery channel at the required central bucket, prefix and KMS key (put-delivery-channel).",
    },
    Check {
        id: CheckId::BucketMissing,
        name: "bucket.missing",
        severity: Severity::Critical,
        kind: Kind::Cause,
        title: "The delivery bucket does not exist",
        fails_when: "the bucket is gone (404; a 403 decides nothing: `probe.unverified` says so)",
        reads: "HeadBucket (`s3:ListBucket`)",
        passes_on: "HeadBucket answering 200 (a 403 decides nothing: S3 gives it for a bucket that exists and for one it will not say about)",
        remediation: "Recreate the bucket (terraform module log-archive) or point the channel at the central bucket.",
    },
    Check {
        id: CheckId::BucketObjectLockRetention,
        name: "bucket.object-lock-retention",
        severity: Severity::Critical,
        kind: Kind::Cause,
        title: "The bucket has Object Lock default retention",
        fails_when: "the bucket has Object Lock default retention, which Config cannot deliver to",
        reads: "GetObjectLockConfiguration (`s3:GetBucketObjectLockConfiguration`)",
        passes_on: "GetObjectLockConfiguration",
        remediation: "Remove the bucket's Object Lock default retention (Config cannot deliver to it); lock a replica instead.",
    },
    Check {
        id: CheckId::BucketPolicyDeniesDelivery,
        name: "bucket.policy-denies-delivery",
        severity: Severity::Critical,
        kind: Kind::Cause,
        title: "The bucket policy denies Config delivery",
        fails_when: "the bucket policy does not allow the writer's `PutObject` or `GetBucketAcl`, or a Deny hits it; evidence names the Deny or carries the statement to add",
        reads: "GetBucketPolicy (`s3:GetBucketPolicy`)",
        passes_on: "GetBucketPolicy, the bucket's owner established, and every policy on the writer's path read",
        remediation: "Add the statement in the evidence (suggested_statement) to the bucket policy, or remove the Deny it names.",
    },
    Check {
        id: CheckId::RoleDeniesDelivery,
        name: "role.denies-delivery",
        severity: Severity::Critical,
        kind: Kind::Cause,
        title: "The recorder role may not deliver",
        fails_when: "the customer-managed recorder role's policies or permissions boundary do not allow a delivery request",
        reads: "GetRole, List/GetRolePolicy, ListAttachedRolePolicies, GetPolicy, GetPolicyVersion (`iam:*` of those names)",
        passes_on: "the recorder role's policies and boundary (IAM), or the service-linked role named by the recorder",
        remediation: "Grant the recorder role s3:PutObject and s3:GetBucketAcl on the bucket (and kms:GenerateDataKey, kms:Decrypt on the key), or use the service-linked role.",
    },
    Check {
        id: CheckId::KeyMissing,
        name: "key.missing",
        severity: Severity::Critical,
        kind: Kind::Cause,
        title: "The delivery KMS key does not exist",
        fails_when: "the channel's key (or the bucket's default SSE-KMS key) does not exist",
        reads: "DescribeKey (`kms:DescribeKey`); without a channel key, GetBucketEncryption (`s3:GetEncryptionConfiguration`)",
        passes_on: "DescribeKey, or no key on the path (the channel names none and GetBucketEncryption names no KMS key)",
        remediation: "Point the channel at an existing customer-managed key in the bucket's region.",
    },
    Check {
        id: CheckId::KeyDisabled,
        name: "key.disabled",
        severity: Severity::Critical,
        kind: Kind::Cause,
        title: "The delivery KMS key is disabled",
        fails_when: "the key is not Enabled",
        reads: "DescribeKey (`kms:DescribeKey`)",
        passes_on: "DescribeKey, or no key on the path",
        remediation: "Enable the key: aws kms enable-key --key-id <key>.",
    },
    Check {
        id: CheckId::KeyPendingDeletion,
        name: "key.pending-deletion",
        severity: Severity::Critical,
        kind: Kind::Cause,
        title: "The delivery KMS key is pending deletion",
        fails_when: "the key is scheduled for deletion (with the date)",
        reads: "DescribeKey (`kms:DescribeKey`)",
        passes_on: "DescribeKey, or no key on the path",
        remediation: "Cancel the deletion before the date in the evidence: aws kms cancel-key-deletion --key-id <key>, then enable it.",
    },
    Check {
        id: CheckId::KeyOtherRegion,
        name: "key.other-region",
        severity: Severity::Critical,
        kind: Kind::Cause,
        title: "The delivery KMS key is in another region",
        fails_when: "the key is in another Region than the bucket",
        reads: "DescribeKey (`kms:DescribeKey`)",
        passes_on: "DescribeKey and the bucket's Region (HeadBucket), or no key on the path",
        remediation: "Use a KMS key in the bucket's region; Config cannot encrypt with a key in another region.",
    },
    Check {
        id: CheckId::KeyPolicyDeniesDelivery,
        name: "key.policy-denies-delivery",
        severity: Severity::Critical,
        kind: Kind::Cause,
        title: "The key policy denies Config delivery",
        fails_when: "the key policy does not let the writer `GenerateDataKey` or `Decrypt` (nor delegate to its account for a role)",
        reads: "GetKeyPolicy (`kms:GetKeyPolicy`)",
        passes_on: "GetKeyPolicy and every policy on the writer's path read, or no key on the path",
        remediation: "Add the statement in the evidence (suggested_statement) to the key policy, or remove the Deny it names.",
    },
    Check {
        id: CheckId::ScpDeniesDelivery,
        name: "organization.scp-denies-delivery",
        severity: Severity::Critical,
        kind: Kind::Cause,
        title: "An SCP denies the recorder role delivery",
        fails_when: "an SCP on the account's path denies the recorder role, or a level allows nothing (customer-managed role only; SCPs never restrict the service principal)",
        reads: "ListParents, ListPoliciesForTarget, DescribePolicy (`organizations:*` of those names), through `OrganizationReadRoleArn`",
        passes_on: "the SCPs at every level of the account's path, or the service-linked role (SCPs do not restrict it)",
        remediation: "Exempt the writer from the policy named in the evidence, or use the service-linked role (SCPs do not apply to it).",
    },
    Check {
        id: CheckId::RcpDeniesDelivery,
        name: "organization.rcp-denies-delivery",
        severity: Severity::Critical,
        kind: Kind::Cause,
        title: "An RCP denies Config delivery",
        fails_when: "an RCP on the bucket's or key's account denies the writer, the service principal included",
        reads: "the same, for RCPs, through `OrganizationReadRoleArn`",
        passes_on: "the RCPs at every level of the bucket's and key's accounts (through OrganizationReadRoleArn), the owners established",
        remediation: "Exempt the writer from the policy named in the evidence, or use the service-linked role (SCPs do not apply to it).",
    },
    Check {
        id: CheckId::ProbeUnverified,
        name: "probe.unverified",
        severity: Severity::Info,
        kind: Kind::Unverified,
        title: "A root-cause probe could not be read",
        fails_when: "a probe could not be read or its policy parsed: said in the annotation; `COMPLIANT` stays `COMPLIANT` unless `StrictProbes` is `true`",
        reads: "",
        passes_on: "every root-cause probe that applies, read and parsed",
        remediation: "Give the rule the read permission, or name a reader role (LogArchiveReadRoleArn for another account's bucket or key, OrganizationReadRoleArn for SCPs and RCPs); StrictProbes makes this fail.",
    },
    Check {
        id: CheckId::AuditRoleUnassumable,
        name: "audit.role-unassumable",
        severity: Severity::High,
        kind: Kind::Unverified,
        title: "The audit role cannot be assumed",
        fails_when: "`organization`/`watchdog`: the member's audit role cannot be assumed (missing, trust policy, external ID): \"cannot verify\", never skipped",
        reads: "",
        passes_on: "the audit role assumed (organization, watchdog, scan), or the rule's own credentials (account mode)",
        remediation: "Deploy the audit role in the account (terraform module audit-role) trusting the rule's Lambda role, with the external ID the rule passes.",
    },
    Check {
        id: CheckId::RegionsUnreadable,
        name: "audit.regions-unreadable",
        severity: Severity::High,
        kind: Kind::Unverified,
        title: "The account's enabled regions could not be listed",
        fails_when: "`watchdog`: the member's enabled regions cannot be listed (`account:ListRegions`)",
        reads: "",
        passes_on: "account:ListRegions, or the Regions parameter",
        remediation: "Grant the audit role account:ListRegions, or name the regions in the Regions parameter.",
    },
    Check {
        id: CheckId::DeadlineReached,
        name: "audit.deadline-reached",
        severity: Severity::High,
        kind: Kind::Unverified,
        title: "Not judged before the deadline",
        fails_when: "`watchdog`/`scan`: the sweep's deadline passed before this account-region was read",
        reads: "",
        passes_on: "the account-region read before the sweep's deadline",
        remediation: "The sweep ran out of time: raise MaxConcurrency or the Lambda timeout, or split the Organization with the Shard parameter.",
    },
    Check {
        id: CheckId::EventPathBlind,
        name: "event-path.blind",
        severity: Severity::Info,
        kind: Kind::Cause,
        title: "No trail feeds the event path",
        fails_when: "`watchdog`/`scan`: no CloudTrail trail that applies to the account-region is logging the management write events of every service whose calls can break a pipeline, so \"AWS API Call via CloudTrail\" events never reach EventBridge and only the periodic evaluation sees a break; reported, never failing",
        reads: "DescribeTrails, GetTrailStatus, GetEventSelectors (`cloudtrail:*` of those names)",
        passes_on: "DescribeTrails, and GetTrailStatus and GetEventSelectors of every trail that applies",
        remediation: "Log management write events with a multi-Region organization trail (terraform module guardrails, organization_trail), without excluding kms.amazonaws.com or any service in breaking-calls.json.",
    },
];

// Row i describes variant i: `CheckId::row` may index without a bounds check failing at run time.
const _: () = {
    let mut i = 0;
    while i < CATALOGUE.len() {
        #[allow(clippy::indexing_slicing, reason = "compile time: i < len")]
        let row = &CATALOGUE[i];
        assert!(row.id as usize == i, "CATALOGUE is not in CheckId order");
        i += 1;
    }
};

impl CheckId {
    /// Every check, in catalogue order.
    pub const ALL: [Self; 33] = {
        let mut all = [Self::MalformedEvent; 33];
        let mut i = 0;
        while i < CATALOGUE.len() {
            #[allow(clippy::indexing_slicing, reason = "compile time: i < len")]
            {
                all[i] = CATALOGUE[i].id;
            }
            i += 1;
        }
        all
    };

    /// This check's row of the catalogue.
    #[allow(
        clippy::indexing_slicing,
        reason = "in bounds: the compile-time assertion above proves row i is variant i"
    )]
    pub const fn row(self) -> &'static Check {
        &CATALOGUE[self as usize]
    }

    /// The stable ID, `<area>.<name>`.
    pub const fn id(self) -> &'static str {
        self.row().name
    }

    /// A short name for reports (SARIF rule descriptions, Security Hub titles).
    pub const fn title(self) -> &'static str {
        self.row().title
    }

    /// How bad a failure of this check is.
    pub const fn severity(self) -> Severity {
        self.row().severity
    }

    /// Delivery fails or stopped now, as Config itself reports it.
    pub const fn is_delivery_failure(self) -> bool {
        matches!(self.row().kind, Kind::Symptom)
    }

    /// What to do about it.
    pub const fn remediation(self) -> &'static str {
        self.row().remediation
    }
}

impl Serialize for CheckId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.id())
    }
}

impl CheckId {
    /// The check of a stable ID, as reports write it (`recorder.missing`).
    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|check| check.id() == id)
    }
}

/// A saved report is read back by its stable IDs (`delivery-guard report`, `--baseline`).
impl<'de> Deserialize<'de> for CheckId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let id = String::deserialize(deserializer)?;
        Self::from_id(&id).ok_or_else(|| serde::de::Error::custom(format!("unknown check '{id}'")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_are_unique_and_namespaced() {
        let ids: HashSet<&str> = CheckId::ALL.iter().map(|c| c.id()).collect();
        assert_eq!(ids.len(), CheckId::ALL.len());
        for check in CheckId::ALL {
            let (area, name) = check.id().split_once('.').unwrap();
            assert!(
                [
                    "rule",
                    "evidence",
                    "recorder",
                    "channel",
                    "bucket",
                    "role",
                    "key",
                    "organization",
                    "probe",
                    "audit",
                    "event-path"
                ]
                .contains(&area),
                "{area}"
            );
            assert!(
                name.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
                "{name}"
            );
            assert!(!check.remediation().is_empty());
        }
    }
}
