//! The log archive's bucket and key, read through LogArchiveReadRoleArn. They are the same for every
//! account-region that delivers there, so one set of readers (a sweep's, per region) reads each once:
//! S3 and KMS bill every request, and a 17,000 account-region sweep would otherwise read the same
//! policy 17,000 times. A read that failed is not kept: the next account-region tries again.

use super::{KmsReader, S3Reader};
use delivery_guard_core::snapshot::Observed;
use delivery_guard_core::snapshot::probes::{
    BucketExistence, DefaultEncryption, KeyMetadata, ObjectLockRetention,
};
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::Mutex;

/// The bucket's reads, once per sweep and Region.
#[derive(Clone, Debug)]
pub struct BucketReads {
    /// `HeadBucket`.
    pub existence: Observed<BucketExistence>,
    /// Whether the reading account owns it (HeadBucket with ExpectedBucketOwner).
    pub owned: Option<bool>,
    /// `GetBucketPolicy`; None when there is no policy.
    pub policy: Observed<Option<String>>,
    /// `GetObjectLockConfiguration`.
    pub object_lock_retention: Observed<Option<ObjectLockRetention>>,
    /// `GetBucketEncryption`.
    pub default_encryption: Observed<Option<DefaultEncryption>>,
}

impl BucketReads {
    /// Every read of the bucket, at once, as the account the reader acts in.
    pub async fn read(s3: &S3Reader, name: &str, account: &str) -> Self {
        let (sighting, policy, object_lock_retention, default_encryption) = tokio::join!(
            s3.sighting(name, account),
            s3.policy(name),
            s3.object_lock_retention(name),
            s3.default_encryption(name)
        );
        Self {
            existence: sighting.existence,
            owned: sighting.owned,
            policy,
            object_lock_retention,
            default_encryption,
        }
    }

    fn complete(&self) -> bool {
        self.existence.read().is_some()
            && self.policy.read().is_some()
            && self.object_lock_retention.read().is_some()
            && self.default_encryption.read().is_some()
    }
}

/// The key's reads, once per sweep and Region.
#[derive(Clone, Debug)]
pub struct KeyReads {
    /// `DescribeKey`.
    pub metadata: Observed<KeyMetadata>,
    /// `GetKeyPolicy`.
    pub policy: Observed<String>,
}

type Slots<T> = Mutex<HashMap<String, Arc<Mutex<Option<T>>>>>;

#[derive(Debug, Default)]
struct Memo {
    buckets: Slots<BucketReads>,
    keys: Slots<KeyReads>,
}

/// Clients acting as the read-only role in the log-archive (bucket and key) account.
#[derive(Clone, Debug)]
pub struct LogArchiveReaders {
    /// The reader role assumed.
    pub role_arn: String,
    /// The log-archive account.
    pub account: String,
    s3: S3Reader,
    kms: KmsReader,
    memo: Arc<Memo>,
}

impl LogArchiveReaders {
    /// Readers acting as the role; nothing is read yet.
    pub fn new(role_arn: String, account: String, s3: S3Reader, kms: KmsReader) -> Self {
        Self {
            role_arn,
            account,
            s3,
            kms,
            memo: Arc::default(),
        }
    }

    /// The bucket's reads, read once and kept (failed reads are not kept).
    pub async fn bucket(&self, name: &str) -> BucketReads {
        let slot = slot(&self.memo.buckets, name).await;
        let mut held = slot.lock().await;
        if let Some(reads) = held.as_ref() {
            return reads.clone();
        }
        let reads = BucketReads::read(&self.s3, name, &self.account).await;
        if reads.complete() {
            *held = Some(reads.clone());
        }
        reads
    }

    /// DescribeKey of a key ID or alias in the log-archive account (a bucket's default key).
    pub async fn resolve_key(&self, key_id: &str) -> Observed<KeyMetadata> {
        self.kms.metadata(key_id).await
    }

    /// The key's reads, read once and kept (failed reads are not kept).
    pub async fn key(&self, arn: &str) -> KeyReads {
        let slot = slot(&self.memo.keys, arn).await;
        let mut held = slot.lock().await;
        if let Some(reads) = held.as_ref() {
            return reads.clone();
        }
        let (metadata, policy) = tokio::join!(self.kms.metadata(arn), self.kms.policy(arn));
        let reads = KeyReads { metadata, policy };
        if reads.metadata.read().is_some() && reads.policy.read().is_some() {
            *held = Some(reads.clone());
        }
        reads
    }
}

async fn slot<T>(slots: &Slots<T>, name: &str) -> Arc<Mutex<Option<T>>> {
    let mut slots = slots.lock().await;
    Arc::clone(slots.entry(name.to_owned()).or_default())
}
