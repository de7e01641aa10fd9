//! The stable check IDs, their severity and remediation. IDs never change meaning once released:
//! users suppress, alert and report on them.

use crate::finding::Severity;
use serde::{Serialize, Serializer};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CheckId {
    MalformedEvent,
    InvalidParameters,
    EvidenceUnreadable,
    EvidenceIncomplete,
    RecorderMissing,
    RecorderServiceLinkedOnly,
    RecorderNotRecording,
    RecorderLastStatusFailure,
    ChannelMissing,
    SnapshotDeliveryFailure,
    HistoryDeliveryFailure,
    StreamDeliveryFailure,
    DeliveryStale,
    DeliveryNeverSucceeded,
    ChannelUnexpectedBucket,
    ChannelUnexpectedKeyPrefix,
    ChannelUnexpectedKmsKey,
    BucketMissing,
    BucketObjectLockRetention,
    BucketPolicyDeniesDelivery,
    RoleDeniesDelivery,
    KeyMissing,
    KeyDisabled,
    KeyPendingDeletion,
    KeyOtherRegion,
    KeyPolicyDeniesDelivery,
    ScpDeniesDelivery,
    RcpDeniesDelivery,
    ProbeUnverified,
    AuditRoleUnassumable,
    RegionsUnreadable,
    DeadlineReached,
}

impl CheckId {
    pub const ALL: [Self; 32] = [
        Self::MalformedEvent,
        Self::InvalidParameters,
        Self::EvidenceUnreadable,
        Self::EvidenceIncomplete,
        Self::RecorderMissing,
        Self::RecorderServiceLinkedOnly,
        Self::RecorderNotRecording,
        Self::RecorderLastStatusFailure,
        Self::ChannelMissing,
        Self::SnapshotDeliveryFailure,
        Self::HistoryDeliveryFailure,
        Self::StreamDeliveryFailure,
        Self::DeliveryStale,
        Self::DeliveryNeverSucceeded,
        Self::ChannelUnexpectedBucket,
        Self::ChannelUnexpectedKeyPrefix,
        Self::ChannelUnexpectedKmsKey,
        Self::BucketMissing,
        Self::BucketObjectLockRetention,
        Self::BucketPolicyDeniesDelivery,
        Self::RoleDeniesDelivery,
        Self::KeyMissing,
        Self::KeyDisabled,
        Self::KeyPendingDeletion,
        Self::KeyOtherRegion,
        Self::KeyPolicyDeniesDelivery,
        Self::ScpDeniesDelivery,
        Self::RcpDeniesDelivery,
        Self::ProbeUnverified,
        Self::AuditRoleUnassumable,
        Self::RegionsUnreadable,
        Self::DeadlineReached,
    ];

    pub const fn id(self) -> &'static str {
        match self {
            Self::MalformedEvent => "rule.malformed-event",
            Self::InvalidParameters => "rule.invalid-parameters",
            Self::EvidenceUnreadable => "evidence.unreadable",
            Self::EvidenceIncomplete => "evidence.incomplete",
            Self::RecorderMissing => "recorder.missing",
            Self::RecorderServiceLinkedOnly => "recorder.service-linked-only",
            Self::RecorderNotRecording => "recorder.not-recording",
            Self::RecorderLastStatusFailure => "recorder.last-status-failure",
            Self::ChannelMissing => "channel.missing",
            Self::SnapshotDeliveryFailure => "channel.snapshot-delivery-failure",
            Self::HistoryDeliveryFailure => "channel.history-delivery-failure",
            Self::StreamDeliveryFailure => "channel.stream-delivery-failure",
            Self::DeliveryStale => "channel.delivery-stale",
            Self::DeliveryNeverSucceeded => "channel.never-delivered",
            Self::ChannelUnexpectedBucket => "channel.unexpected-bucket",
            Self::ChannelUnexpectedKeyPrefix => "channel.unexpected-key-prefix",
            Self::ChannelUnexpectedKmsKey => "channel.unexpected-kms-key",
            Self::BucketMissing => "bucket.missing",
            Self::BucketObjectLockRetention => "bucket.object-lock-retention",
            Self::BucketPolicyDeniesDelivery => "bucket.policy-denies-delivery",
            Self::RoleDeniesDelivery => "role.denies-delivery",
            Self::KeyMissing => "key.missing",
            Self::KeyDisabled => "key.disabled",
            Self::KeyPendingDeletion => "key.pending-deletion",
            Self::KeyOtherRegion => "key.other-region",
            Self::KeyPolicyDeniesDelivery => "key.policy-denies-delivery",
            Self::ScpDeniesDelivery => "organization.scp-denies-delivery",
            Self::RcpDeniesDelivery => "organization.rcp-denies-delivery",
            Self::ProbeUnverified => "probe.unverified",
            Self::AuditRoleUnassumable => "audit.role-unassumable",
            Self::RegionsUnreadable => "audit.regions-unreadable",
            Self::DeadlineReached => "audit.deadline-reached",
        }
    }

    /// A short name for reports (SARIF rule descriptions, Security Hub titles).
    pub const fn title(self) -> &'static str {
        match self {
            Self::MalformedEvent => "The invocation event is malformed",
            Self::InvalidParameters => "The rule parameters are invalid",
            Self::EvidenceUnreadable => "Delivery evidence could not be read",
            Self::EvidenceIncomplete => "Config returned incomplete delivery evidence",
            Self::RecorderMissing => "No configuration recorder",
            Self::RecorderServiceLinkedOnly => "Only service-linked recorders, which deliver nothing",
            Self::RecorderNotRecording => "The configuration recorder is not recording",
            Self::RecorderLastStatusFailure => "The recorder last failed",
            Self::ChannelMissing => "No delivery channel",
            Self::SnapshotDeliveryFailure => "Snapshot delivery to S3 fails",
            Self::HistoryDeliveryFailure => "History delivery to S3 fails",
            Self::StreamDeliveryFailure => "Delivery to the SNS topic fails",
            Self::DeliveryStale => "No successful delivery for too long",
            Self::DeliveryNeverSucceeded => "No delivery has ever succeeded",
            Self::ChannelUnexpectedBucket => "The channel delivers to another bucket",
            Self::ChannelUnexpectedKeyPrefix => "The channel uses another key prefix",
            Self::ChannelUnexpectedKmsKey => "The channel encrypts with another KMS key",
            Self::BucketMissing => "The delivery bucket does not exist",
            Self::BucketObjectLockRetention => "The bucket has Object Lock default retention",
            Self::BucketPolicyDeniesDelivery => "The bucket policy denies Config delivery",
            Self::RoleDeniesDelivery => "The recorder role may not deliver",
            Self::KeyMissing => "The delivery KMS key does not exist",
            Self::KeyDisabled => "The delivery KMS key is disabled",
            Self::KeyPendingDeletion => "The delivery KMS key is pending deletion",
            Self::KeyOtherRegion => "The delivery KMS key is in another region",
            Self::KeyPolicyDeniesDelivery => "The key policy denies Config delivery",
            Self::ScpDeniesDelivery => "An SCP denies the recorder role delivery",
            Self::RcpDeniesDelivery => "An RCP denies Config delivery",
            Self::ProbeUnverified => "A root-cause probe could not be read",
            Self::AuditRoleUnassumable => "The audit role cannot be assumed",
            Self::RegionsUnreadable => "The account's enabled regions could not be listed",
            Self::DeadlineReached => "Not judged before the deadline",
        }
    }

    pub const fn severity(self) -> Severity {
        match self {
            Self::RecorderMissing
            | Self::RecorderServiceLinkedOnly
            | Self::RecorderNotRecording
            | Self::RecorderLastStatusFailure
            | Self::ChannelMissing
            | Self::SnapshotDeliveryFailure
            | Self::HistoryDeliveryFailure
            | Self::DeliveryStale
            | Self::BucketMissing
            | Self::BucketObjectLockRetention
            | Self::BucketPolicyDeniesDelivery
            | Self::RoleDeniesDelivery
            | Self::KeyMissing
            | Self::KeyDisabled
            | Self::KeyPendingDeletion
            | Self::KeyOtherRegion
            | Self::KeyPolicyDeniesDelivery
            | Self::ScpDeniesDelivery
            | Self::RcpDeniesDelivery => Severity::Critical,
            Self::MalformedEvent
            | Self::InvalidParameters
            | Self::EvidenceUnreadable
            | Self::EvidenceIncomplete
            | Self::AuditRoleUnassumable
            | Self::RegionsUnreadable
            | Self::DeadlineReached => Severity::High,
            Self::StreamDeliveryFailure
            | Self::DeliveryNeverSucceeded
            | Self::ChannelUnexpectedBucket
            | Self::ChannelUnexpectedKeyPrefix
            | Self::ChannelUnexpectedKmsKey => Severity::Medium,
            Self::ProbeUnverified => Severity::Info,
        }
    }

    /// Delivery fails or stopped now, as Config itself reports it.
    pub const fn is_delivery_failure(self) -> bool {
        matches!(
            self,
            Self::SnapshotDeliveryFailure
                | Self::HistoryDeliveryFailure
                | Self::StreamDeliveryFailure
                | Self::DeliveryStale
                | Self::DeliveryNeverSucceeded
        )
    }

    pub const fn remediation(self) -> &'static str {
        match self {
            Self::MalformedEvent => {
                "The invocation event is not a Config custom-rule event; check what invokes the function."
            }
            Self::InvalidParameters => {
                "Fix the rule's input parameters (see the README's parameter table) and re-evaluate the rule."
            }
            Self::EvidenceUnreadable => {
                "Grant the rule's role the read permission named in the evidence; transient errors clear on the next evaluation."
            }
            Self::EvidenceIncomplete => {
                "Config returned partial data; re-evaluate the rule, and check the recorder and channel with the AWS CLI."
            }
            Self::RecorderMissing => {
                "Create a customer-managed configuration recorder and a delivery channel (terraform module config-recorder)."
            }
            Self::RecorderServiceLinkedOnly => {
                "Service-linked (INTERNAL) recorders deliver nothing to S3: add a customer-managed recorder and delivery channel."
            }
            Self::RecorderNotRecording => {
                "Start the recorder: aws configservice start-configuration-recorder --configuration-recorder-name <name>."
            }
            Self::RecorderLastStatusFailure => {
                "Fix the recorder's role permissions named by the error code, then restart the recorder."
            }
            Self::ChannelMissing => {
                "Create a delivery channel to the central log bucket (aws configservice put-delivery-channel)."
            }
            Self::SnapshotDeliveryFailure | Self::HistoryDeliveryFailure => {
                "Fix what the error code names: bucket existence and policy for config.amazonaws.com, recorder role s3:PutObject, KMS key state and policy."
            }
            Self::StreamDeliveryFailure => {
                "Allow config.amazonaws.com (or the recorder role) sns:Publish on the channel's topic, and its KMS key if encrypted."
            }
            Self::DeliveryStale => {
                "Config stopped delivering: check the recorder is recording, the bucket, its policy and the KMS key; then deliver a snapshot."
            }
            Self::DeliveryNeverSucceeded => {
                "Deliver a snapshot (aws configservice deliver-config-snapshot) and check the delivery status it reports."
            }
            Self::ChannelUnexpectedBucket
            | Self::ChannelUnexpectedKeyPrefix
            | Self::ChannelUnexpectedKmsKey => {
                "Point the delivery channel at the required central bucket, prefix and KMS key (put-delivery-channel)."
            }
            Self::BucketMissing => {
                "Recreate the bucket (terraform module log-archive) or point the channel at the central bucket."
            }
            Self::BucketObjectLockRetention => {
                "Remove the bucket's Object Lock default retention (Config cannot deliver to it); lock a replica instead."
            }
            Self::BucketPolicyDeniesDelivery => {
                "Add the statement in the evidence (suggested_statement) to the bucket policy, or remove the Deny it names."
            }
            Self::RoleDeniesDelivery => {
                "Grant the recorder role s3:PutObject and s3:GetBucketAcl on the bucket (and kms:GenerateDataKey, kms:Decrypt on the key), or use the service-linked role."
            }
            Self::KeyMissing => {
                "Point the channel at an existing customer-managed key in the bucket's region."
            }
            Self::KeyDisabled => "Enable the key: aws kms enable-key --key-id <key>.",
            Self::KeyPendingDeletion => {
                "Cancel the deletion before the date in the evidence: aws kms cancel-key-deletion --key-id <key>, then enable it."
            }
            Self::KeyOtherRegion => {
                "Use a KMS key in the bucket's region; Config cannot encrypt with a key in another region."
            }
            Self::KeyPolicyDeniesDelivery => {
                "Add the statement in the evidence (suggested_statement) to the key policy, or remove the Deny it names."
            }
            Self::ScpDeniesDelivery | Self::RcpDeniesDelivery => {
                "Exempt the writer from the policy named in the evidence, or use the service-linked role (SCPs do not apply to it)."
            }
            Self::AuditRoleUnassumable => {
                "Deploy the audit role in the account (terraform module audit-role) trusting the rule's Lambda role, with the external ID the rule passes."
            }
            Self::RegionsUnreadable => {
                "Grant the audit role account:ListRegions, or name the regions in the Regions parameter."
            }
            Self::DeadlineReached => {
                "The sweep ran out of time: raise MaxConcurrency or the Lambda timeout, or split the Organization with the Shard parameter."
            }
            Self::ProbeUnverified => {
                "Give the rule the read permission, or name a reader role (LogArchiveReadRoleArn for another account's bucket or key, OrganizationReadRoleArn for SCPs and RCPs); StrictProbes makes this fail."
            }
        }
    }
}

impl Serialize for CheckId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.id())
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
                    "audit"
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
