//! The bucket and the KMS key themselves: they exist, the key is usable and in the bucket's region,
//! and the bucket has no Object Lock default retention.

use super::CheckId;
use crate::checks::Finding;
use crate::snapshot::probes::{BucketExistence, BucketProbe, KeyProbe};
use crate::snapshot::{Observed, Snapshot, Unreadable};

pub fn check(snapshot: &Snapshot) -> Vec<Finding> {
    let mut findings = Vec::new();
    if let Some(bucket) = &snapshot.probes.bucket {
        findings.extend(bucket_findings(bucket));
        // Without a key on the channel, S3 encrypts with the bucket's default key: unread, that
        // key was never probed.
        let channel_key = snapshot
            .delivery_channels
            .read()
            .and_then(|c| c.first())
            .and_then(|c| c.s3_kms_key_arn.as_ref());
        if let (None, Observed::Unreadable(why)) = (channel_key, &bucket.default_encryption)
            && !matches!(bucket.existence, Observed::Read(BucketExistence::Missing))
        {
            findings.push(unverified("bucket default encryption", why));
        }
    }
    if let Some(key) = &snapshot.probes.key {
        let bucket_region = snapshot.probes.bucket.as_ref().and_then(|b| match &b.existence {
            Observed::Read(BucketExistence::Exists { region } | BucketExistence::Forbidden { region }) => {
                region.clone()
            }
            _ => None,
        });
        findings.extend(key_findings(key, bucket_region.as_deref()));
    }
    findings
}

pub fn unverified(what: &str, why: &Unreadable) -> Finding {
    let code = why.code.as_deref().map(|c| format!(" {c}")).unwrap_or_default();
    Finding::new(
        CheckId::ProbeUnverified,
        format!("unverified: {what} ({} {}{code})", why.call, why.kind.describe()),
    )
    .with("probe", what)
    .with("call", &why.call)
    .with("message", &why.message)
}

fn bucket_findings(bucket: &BucketProbe) -> Vec<Finding> {
    let mut findings = Vec::new();
    match &bucket.existence {
        Observed::Read(BucketExistence::Missing) => {
            findings.push(
                Finding::new(
                    CheckId::BucketMissing,
                    format!("bucket {} does not exist", bucket.name),
                )
                .with("bucket", &bucket.name),
            );
            return findings;
        }
        Observed::Unreadable(why) => findings.push(unverified("bucket existence", why)),
        Observed::Read(_) => {}
    }
    match &bucket.object_lock_retention {
        Observed::Read(Some(retention)) => {
            let period = match (retention.days, retention.years) {
                (Some(days), _) => format!("{days} days"),
                (None, Some(years)) => format!("{years} years"),
                (None, None) => "a default period".to_owned(),
            };
            findings.push(
                Finding::new(
                    CheckId::BucketObjectLockRetention,
                    format!(
                        "bucket {} has Object Lock default retention ({} {period}), which Config cannot deliver to",
                        bucket.name, retention.mode
                    ),
                )
                .with("bucket", &bucket.name)
                .with("mode", &retention.mode)
                .with("period", period),
            );
        }
        Observed::Read(None) => {}
        Observed::Unreadable(why) => findings.push(unverified("bucket Object Lock configuration", why)),
    }
    findings
}

fn key_findings(key: &KeyProbe, bucket_region: Option<&str>) -> Vec<Finding> {
    let metadata = match &key.metadata {
        Observed::Read(metadata) => metadata,
        Observed::Unreadable(why) if why.code.as_deref() == Some("NotFoundException") => {
            return vec![
                Finding::new(CheckId::KeyMissing, format!("KMS key {} does not exist", key.arn))
                    .with("key", &key.arn),
            ];
        }
        Observed::Unreadable(why) => return vec![unverified("KMS key state", why)],
    };
    let mut findings = Vec::new();
    match metadata.key_state.as_str() {
        "Enabled" => {}
        "PendingDeletion" | "PendingReplicaDeletion" => {
            let when = metadata
                .deletion_date
                .map(|d| format!(" on {d}"))
                .unwrap_or_default();
            findings.push(
                Finding::new(
                    CheckId::KeyPendingDeletion,
                    format!("KMS key {} is scheduled for deletion{when}", key.arn),
                )
                .with("key", &key.arn)
                .with_opt("deletion_date", metadata.deletion_date.map(|d| d.to_string())),
            );
        }
        state => findings.push(
            Finding::new(
                CheckId::KeyDisabled,
                format!("KMS key {} is {state}, not Enabled", key.arn),
            )
            .with("key", &key.arn)
            .with("key_state", state),
        ),
    }
    let key_region = key.arn.split(':').nth(3).unwrap_or_default();
    if let Some(bucket_region) = bucket_region.filter(|r| !key_region.is_empty() && *r != key_region) {
        findings.push(
            Finding::new(
                CheckId::KeyOtherRegion,
                format!("KMS key is in {key_region} but the bucket is in {bucket_region}"),
            )
            .with("key", &key.arn)
            .with("bucket_region", bucket_region),
        );
    }
    findings
}
