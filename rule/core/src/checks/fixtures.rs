//! Snapshots for the checks' tests: a healthy pipeline to break one piece at a time.

use crate::snapshot::*;
use crate::timestamp::Timestamp;

pub const NOW: Timestamp = Timestamp::from_epoch_millis(1_767_225_600_000); // 2026-01-01T00:00:00Z

pub fn hours_ago(hours: i64) -> Timestamp {
    Timestamp::from_epoch_millis(NOW.epoch_millis() - hours * 3_600_000)
}

pub fn healthy_delivery() -> DeliveryInfo {
    DeliveryInfo {
        last_status: Some("Success".into()),
        last_error_code: None,
        last_error_message: None,
        last_attempt_time: Some(hours_ago(1)),
        last_successful_time: Some(hours_ago(1)),
        next_delivery_time: Some(hours_ago(-23)),
    }
}

pub fn healthy() -> Snapshot {
    Snapshot {
        account_id: "111111111111".into(),
        region: "us-east-1".into(),
        observed_at: NOW,
        recorder_summaries: Observed::Read(vec![RecorderSummary {
            name: "default".into(),
            arn: Some("arn:aws:config:us-east-1:111111111111:configuration-recorder/default/abc".into()),
            recording_scope: Some("PAID".into()),
            service_principal: None,
        }]),
        recorders: Observed::Read(vec![Recorder {
            name: "default".into(),
            role_arn: Some(
                "arn:aws:iam::111111111111:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig".into(),
            ),
            recording_scope: Some("PAID".into()),
        }]),
        recorder_statuses: Observed::Read(vec![RecorderStatus {
            name: "default".into(),
            recording: true,
            last_status: Some("SUCCESS".into()),
            last_error_code: None,
            last_error_message: None,
            last_stop_time: None,
        }]),
        delivery_channels: Observed::Read(vec![DeliveryChannel {
            name: "default".into(),
            s3_bucket_name: Some("central-config-logs".into()),
            s3_key_prefix: Some("o-abc123".into()),
            s3_kms_key_arn: Some("arn:aws:kms:us-east-1:222222222222:key/k-1".into()),
            sns_topic_arn: None,
            delivery_frequency: Some("TwentyFour_Hours".into()),
        }]),
        delivery_channel_statuses: Observed::Read(vec![DeliveryChannelStatus {
            name: "default".into(),
            snapshot: Some(healthy_delivery()),
            history: Some(healthy_delivery()),
            stream: Some(StreamInfo { last_status: Some("Not_Applicable".into()), ..StreamInfo::default() }),
        }]),
        probes: crate::snapshot::probes::Probes::default(),
    }
}

pub const BUCKET_POLICY: &str = r#"{"Version":"2012-10-17","Statement":[
 {"Sid":"AWSConfigBucketPermissionsCheck","Effect":"Allow","Principal":{"Service":"config.amazonaws.com"},
  "Action":"s3:GetBucketAcl","Resource":"arn:aws:s3:::central-config-logs",
  "Condition":{"StringEquals":{"AWS:SourceAccount":"111111111111"}}},
 {"Sid":"AWSConfigBucketDelivery","Effect":"Allow","Principal":{"Service":"config.amazonaws.com"},
  "Action":"s3:PutObject","Resource":"arn:aws:s3:::central-config-logs/o-abc123/AWSLogs/111111111111/Config/*",
  "Condition":{"StringEquals":{"s3:x-amz-acl":"bucket-owner-full-control","AWS:SourceAccount":"111111111111"}}},
 {"Sid":"DenyInsecureTransport","Effect":"Deny","Principal":"*","Action":"s3:*",
  "Resource":["arn:aws:s3:::central-config-logs","arn:aws:s3:::central-config-logs/*"],
  "Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}"#;

pub const KEY_POLICY: &str = r#"{"Version":"2012-10-17","Statement":[
 {"Sid":"EnableRootAccess","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:root"},"Action":"kms:*","Resource":"*"},
 {"Sid":"AWSConfigKMSPolicy","Effect":"Allow","Principal":{"Service":"config.amazonaws.com"},
  "Action":["kms:Decrypt","kms:GenerateDataKey"],"Resource":"*",
  "Condition":{"StringEquals":{"AWS:SourceAccount":"111111111111"}}}]}"#;

/// The healthy pipeline with its probes: the documented bucket and key policies, key enabled.
pub fn probed() -> Snapshot {
    use crate::snapshot::probes::*;
    let mut snapshot = healthy();
    snapshot.probes = Probes {
        bucket: Some(BucketProbe {
            name: "central-config-logs".into(),
            owner_account: Some("222222222222".into()),
            owner_unknown: None,
            read_as: "arn:aws:iam::222222222222:role/reader".into(),
            existence: Observed::Read(BucketExistence::Exists {
                region: Some("us-east-1".into()),
            }),
            policy: Observed::Read(Some(BUCKET_POLICY.into())),
            object_lock_retention: Observed::Read(None),
            default_encryption: Observed::Read(Some(DefaultEncryption {
                algorithm: "aws:kms".into(),
                kms_key_id: Some("arn:aws:kms:us-east-1:222222222222:key/k-1".into()),
            })),
        }),
        key: Some(KeyProbe {
            arn: "arn:aws:kms:us-east-1:222222222222:key/k-1".into(),
            source: KeySource::Channel,
            metadata: Observed::Read(KeyMetadata {
                arn: None,
                key_state: "Enabled".into(),
                deletion_date: None,
                key_manager: Some("CUSTOMER".into()),
            }),
            policy: Observed::Read(KEY_POLICY.into()),
        }),
        recorder_role: None,
        scp_levels: None,
        rcp_levels: Default::default(),
        organization_id: None,
        management_account: None,
        event_path: None,
    };
    snapshot
}
