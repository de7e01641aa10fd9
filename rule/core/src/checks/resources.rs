//! The bucket and the KMS key themselves: they exist, the key is usable and in the bucket's region,
//! and the bucket has no Object Lock default retention.

use super::outcome::Record;
use super::{CheckId, NotEvaluated};
use crate::checks::Finding;
use crate::snapshot::probes::{BucketExistence, BucketProbe, DefaultEncryption, KeyMetadata, KeyProbe};
use crate::snapshot::{FailureKind, Observed, Snapshot, Unreadable};

const BUCKET_CHECKS: [CheckId; 2] = [CheckId::BucketMissing, CheckId::BucketObjectLockRetention];
const KEY_STATE_CHECKS: [CheckId; 4] = [
    CheckId::KeyMissing,
    CheckId::KeyDisabled,
    CheckId::KeyPendingDeletion,
    CheckId::KeyOtherRegion,
];

/// The KMS key S3 encrypts Config's objects with, as far as the snapshot tells.
pub(super) enum KeyOnPath<'a> {
    /// The channel's key, or the bucket's default key, probed.
    Probed(&'a KeyProbe),
    /// Proven absent: the channel names none and the bucket's default encryption, read, names no
    /// KMS key.
    Absent,
    /// Not known, and why.
    Unknown(NotEvaluated),
}

/// Why there is no bucket probe: the channel could not be read, there is none, or probes are off.
pub(super) fn no_probe(snapshot: &Snapshot) -> NotEvaluated {
    match &snapshot.delivery_channels {
        Observed::Unreadable(why) => NotEvaluated::Unread(format!("{} {}", why.call, why.kind.describe())),
        Observed::Read(channels) if channels.is_empty() => NotEvaluated::Moot(CheckId::ChannelMissing),
        Observed::Read(_) => NotEvaluated::NotApplicable("root-cause probes are off"),
    }
}

pub(super) fn key_on_path(snapshot: &Snapshot) -> KeyOnPath<'_> {
    if let Some(key) = &snapshot.probes.key {
        return KeyOnPath::Probed(key);
    }
    let channel_key = snapshot
        .delivery_channels
        .read()
        .and_then(|c| c.first())
        .and_then(|c| c.s3_kms_key_arn.as_ref());
    let Some(bucket) = snapshot.probes.bucket.as_ref().filter(|_| channel_key.is_none()) else {
        return KeyOnPath::Unknown(no_probe(snapshot));
    };
    if matches!(bucket.existence, Observed::Read(BucketExistence::Missing)) {
        return KeyOnPath::Unknown(NotEvaluated::Moot(CheckId::BucketMissing));
    }
    match &bucket.default_encryption {
        Observed::Unreadable(why) => KeyOnPath::Unknown(NotEvaluated::Unread(format!(
            "bucket default encryption ({} {})",
            why.call,
            why.kind.describe()
        ))),
        Observed::Read(Some(DefaultEncryption {
            kms_key_id: Some(id), ..
        })) => KeyOnPath::Unknown(NotEvaluated::Unread(format!(
            "the bucket's default key {id} was not probed"
        ))),
        Observed::Read(_) => KeyOnPath::Absent,
    }
}

pub(super) fn check(snapshot: &Snapshot, out: &mut Record) {
    // The probes follow the channel: without it, which bucket and key they read is not known.
    if snapshot.delivery_channels.read().is_none_or(Vec::is_empty) {
        let why = no_probe(snapshot);
        out.skip_all(&BUCKET_CHECKS, &why);
        out.skip_all(&KEY_STATE_CHECKS, &why);
        return;
    }
    match &snapshot.probes.bucket {
        Some(bucket) => bucket_findings(bucket, out),
        None => out.skip_all(&BUCKET_CHECKS, &no_probe(snapshot)),
    }
    if let Some(bucket) = &snapshot.probes.bucket
        && !matches!(bucket.existence, Observed::Read(BucketExistence::Missing))
    {
        // Without a key on the channel, S3 encrypts with the bucket's default key: unread, that
        // key was never probed.
        let channel_key = snapshot
            .delivery_channels
            .read()
            .and_then(|c| c.first())
            .and_then(|c| c.s3_kms_key_arn.as_ref());
        match (&bucket.default_encryption, channel_key, &snapshot.probes.key) {
            (Observed::Unreadable(why), None, _) => out.fail(unverified("bucket default encryption", why)),
            (
                Observed::Read(Some(DefaultEncryption {
                    kms_key_id: Some(id), ..
                })),
                None,
                None,
            ) => {
                out.fail(
                    Finding::new(
                        CheckId::ProbeUnverified,
                        format!("unverified: the bucket's default KMS key {id} was not probed"),
                    )
                    .with("probe", "bucket default encryption key")
                    .with("key", id),
                );
            }
            _ => {}
        }
    }
    match key_on_path(snapshot) {
        KeyOnPath::Probed(key) => key_findings(key, bucket_region(snapshot), out),
        KeyOnPath::Absent => out.pass_all(&KEY_STATE_CHECKS),
        KeyOnPath::Unknown(why) => out.skip_all(&KEY_STATE_CHECKS, &why),
    }
}

/// `probe.unverified` passes when the probes ran and none of them said it could not read something.
pub(super) fn conclude(snapshot: &Snapshot, out: &mut Record) {
    match &snapshot.probes.bucket {
        Some(_) if snapshot.delivery_channels.read().is_some() => out.pass(CheckId::ProbeUnverified),
        _ => out.skip(CheckId::ProbeUnverified, no_probe(snapshot)),
    }
}

/// The bucket's Region, as HeadBucket said it (a 403 still carries it).
pub(super) fn bucket_region(snapshot: &Snapshot) -> Option<&str> {
    match &snapshot.probes.bucket.as_ref()?.existence {
        Observed::Read(BucketExistence::Exists { region } | BucketExistence::Forbidden { region }) => {
            region.as_deref()
        }
        _ => None,
    }
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

/// HeadBucket's 403 does not say whether the bucket exists: S3 answers 403 for a bucket the
/// caller may not list and, per the HeadBucket API reference, may for one that does not exist
/// ("If the bucket does not exist or you do not have permission to access it, the HEAD request
/// returns a generic 400 Bad Request, 403 Forbidden or 404 Not Found code").
fn existence_unknown(bucket: &BucketProbe) -> Unreadable {
    Unreadable {
        call: "HeadBucket".to_owned(),
        kind: FailureKind::AccessDenied,
        code: None,
        message: format!(
            "403 for {}: S3 does not say whether the bucket exists to a caller who may not list it",
            bucket.name
        ),
    }
}

fn bucket_findings(bucket: &BucketProbe, out: &mut Record) {
    match &bucket.existence {
        Observed::Read(BucketExistence::Missing) => {
            out.skip(
                CheckId::BucketObjectLockRetention,
                NotEvaluated::Moot(CheckId::BucketMissing),
            );
            out.fail(
                Finding::new(
                    CheckId::BucketMissing,
                    format!("bucket {} does not exist", bucket.name),
                )
                .with("bucket", &bucket.name),
            );
            return;
        }
        Observed::Read(BucketExistence::Forbidden { .. }) => {
            let why = existence_unknown(bucket);
            out.skip(
                CheckId::BucketMissing,
                NotEvaluated::Unread("bucket existence (HeadBucket 403)".into()),
            );
            out.fail(unverified("bucket existence", &why));
        }
        Observed::Unreadable(why) => {
            out.skip(
                CheckId::BucketMissing,
                NotEvaluated::Unread(format!("bucket existence ({} {})", why.call, why.kind.describe())),
            );
            out.fail(unverified("bucket existence", why));
        }
        Observed::Read(BucketExistence::Exists { .. }) => out.pass(CheckId::BucketMissing),
    }
    object_lock(bucket, out);
}

fn object_lock(bucket: &BucketProbe, out: &mut Record) {
    match &bucket.object_lock_retention {
        Observed::Read(Some(retention)) => {
            let period = match (retention.days, retention.years) {
                (Some(days), _) => format!("{days} days"),
                (None, Some(years)) => format!("{years} years"),
                (None, None) => "a default period".to_owned(),
            };
            out.fail(
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
        Observed::Read(None) => out.pass(CheckId::BucketObjectLockRetention),
        Observed::Unreadable(why) => {
            out.skip(
                CheckId::BucketObjectLockRetention,
                NotEvaluated::Unread(format!("{} {}", why.call, why.kind.describe())),
            );
            out.fail(unverified("bucket Object Lock configuration", why));
        }
    }
}

fn key_findings(key: &KeyProbe, bucket_region: Option<&str>, out: &mut Record) {
    let metadata = match &key.metadata {
        Observed::Read(metadata) => metadata,
        Observed::Unreadable(why) if why.code.as_deref() == Some("NotFoundException") => {
            let moot = NotEvaluated::Moot(CheckId::KeyMissing);
            out.skip_all(&KEY_STATE_CHECKS[1..], &moot);
            out.fail(
                Finding::new(CheckId::KeyMissing, format!("KMS key {} does not exist", key.arn))
                    .with("key", &key.arn),
            );
            return;
        }
        Observed::Unreadable(why) => {
            let unread =
                NotEvaluated::Unread(format!("KMS key state ({} {})", why.call, why.kind.describe()));
            out.skip_all(&KEY_STATE_CHECKS, &unread);
            out.fail(unverified("KMS key state", why));
            return;
        }
    };
    out.pass(CheckId::KeyMissing);
    key_state(key, metadata, out);
    key_region(key, bucket_region, out);
}

fn key_state(key: &KeyProbe, metadata: &KeyMetadata, out: &mut Record) {
    match metadata.key_state.as_str() {
        "Enabled" => out.pass_all(&[CheckId::KeyDisabled, CheckId::KeyPendingDeletion]),
        "PendingDeletion" | "PendingReplicaDeletion" => {
            let when = metadata
                .deletion_date
                .map(|d| format!(" on {d}"))
                .unwrap_or_default();
            out.skip(
                CheckId::KeyDisabled,
                NotEvaluated::Moot(CheckId::KeyPendingDeletion),
            );
            out.fail(
                Finding::new(
                    CheckId::KeyPendingDeletion,
                    format!("KMS key {} is scheduled for deletion{when}", key.arn),
                )
                .with("key", &key.arn)
                .with_opt("deletion_date", metadata.deletion_date.map(|d| d.to_string())),
            );
        }
        state => {
            out.pass(CheckId::KeyPendingDeletion);
            out.fail(
                Finding::new(
                    CheckId::KeyDisabled,
                    format!("KMS key {} is {state}, not Enabled", key.arn),
                )
                .with("key", &key.arn)
                .with("key_state", state),
            );
        }
    }
}

/// Config cannot encrypt with a key in another Region than the bucket.
fn key_region(key: &KeyProbe, bucket_region: Option<&str>, out: &mut Record) {
    let key_region = key.arn.split(':').nth(3).unwrap_or_default();
    match bucket_region {
        Some(bucket_region) if !key_region.is_empty() && bucket_region != key_region => out.fail(
            Finding::new(
                CheckId::KeyOtherRegion,
                format!("KMS key is in {key_region} but the bucket is in {bucket_region}"),
            )
            .with("key", &key.arn)
            .with("bucket_region", bucket_region),
        ),
        Some(_) if !key_region.is_empty() => out.pass(CheckId::KeyOtherRegion),
        _ => out.skip(
            CheckId::KeyOtherRegion,
            NotEvaluated::Unread("the bucket's or the key's Region".into()),
        ),
    }
}
