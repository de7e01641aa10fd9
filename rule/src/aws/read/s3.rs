//! S3 reads for the channel's bucket: existence, policy, Object Lock default retention.

use super::sdk_error::{status_of, unreadable};
use aws_sdk_s3::Client;
use aws_sdk_s3::operation::head_bucket::HeadBucketError;
use delivery_guard_core::snapshot::probes::{BucketExistence, DefaultEncryption, ObjectLockRetention};
use delivery_guard_core::snapshot::{FailureKind, Observed, Unreadable};

/// What HeadBucket said of a bucket and one candidate owner.
#[derive(Clone, Debug)]
pub struct Sighting {
    /// The bucket exists, is gone, or may not be listed.
    pub existence: Observed<BucketExistence>,
    /// The candidate owns it (true), another account does (false), or it is not known (None: a
    /// 403 with and without the owner condition, or no answer).
    pub owned: Option<bool>,
}

/// S3 reads of the delivery bucket.
#[derive(Clone, Debug)]
pub struct S3Reader {
    client: Client,
}

impl S3Reader {
    /// Reads with this client.
    pub fn new(client: Client) -> Self {
        Self { client }
    }

    /// Whether the bucket exists and whether `owner` owns it: HeadBucket with ExpectedBucketOwner,
    /// which S3 refuses with 403 when another account owns the bucket (S3 User Guide, "Verifying
    /// bucket ownership with bucket owner condition"), then, after a 403, HeadBucket without it, to
    /// tell "another owner" (200) from "may not list it" (403 again).
    pub async fn sighting(&self, bucket: &str, owner: &str) -> Sighting {
        match self.head(bucket, Some(owner)).await {
            Observed::Read(BucketExistence::Forbidden { .. }) => {
                let plain = self.head(bucket, None).await;
                let owned = matches!(plain, Observed::Read(BucketExistence::Exists { .. })).then_some(false);
                Sighting {
                    existence: plain,
                    owned,
                }
            }
            existence => Sighting {
                owned: matches!(existence, Observed::Read(BucketExistence::Exists { .. })).then_some(true),
                existence,
            },
        }
    }

    /// 404 is gone; 403 may not be listed (no error code comes with either).
    async fn head(&self, bucket: &str, expected_owner: Option<&str>) -> Observed<BucketExistence> {
        let request = self
            .client
            .head_bucket()
            .bucket(bucket)
            .set_expected_bucket_owner(expected_owner.map(str::to_owned));
        match request.send().await {
            Ok(out) => Observed::Read(BucketExistence::Exists {
                region: out.bucket_region().map(str::to_owned),
            }),
            Err(err) => {
                let region = err
                    .raw_response()
                    .and_then(|r| r.headers().get("x-amz-bucket-region"))
                    .map(str::to_owned);
                match (err.as_service_error(), status_of(&err)) {
                    (Some(HeadBucketError::NotFound(_)), _) | (_, Some(404)) => {
                        Observed::Read(BucketExistence::Missing)
                    }
                    (_, Some(403)) => Observed::Read(BucketExistence::Forbidden { region }),
                    _ => Observed::Unreadable(unreadable("HeadBucket", &err)),
                }
            }
        }
    }

    /// None when the bucket has no policy.
    pub async fn policy(&self, bucket: &str) -> Observed<Option<String>> {
        match self.client.get_bucket_policy().bucket(bucket).send().await {
            Ok(out) => Observed::Read(out.policy().map(str::to_owned)),
            Err(err) => {
                let why = unreadable("GetBucketPolicy", &err);
                match (why.code.as_deref(), status_of(&err)) {
                    (Some("NoSuchBucketPolicy"), _) => Observed::Read(None),
                    (_, Some(405)) => Observed::Unreadable(Unreadable {
                        kind: FailureKind::AccessDenied,
                        message: "the bucket is in another account, whose policy only its owner can read: \
                                  set the LogArchiveReadRoleArn parameter"
                            .to_owned(),
                        ..why
                    }),
                    _ => Observed::Unreadable(why),
                }
            }
        }
    }

    /// `GetObject` of a small text document (the accepted exceptions): its text, or why not.
    pub async fn small_text_object(&self, bucket: &str, key: &str) -> Result<String, Unreadable> {
        const MAX_BYTES: i64 = 1 << 20;
        let out = self
            .client
            .get_object()
            .bucket(bucket)
            .key(key)
            .send()
            .await
            .map_err(|err| unreadable("GetObject", &err))?;
        if out.content_length().is_some_and(|n| n > MAX_BYTES) {
            return Err(super::sdk_error::incomplete(
                "GetObject",
                "the object is over 1 MiB",
            ));
        }
        let bytes = out
            .body
            .collect()
            .await
            .map_err(|e| {
                super::sdk_error::incomplete("GetObject", &format!("the body could not be read: {e}"))
            })?
            .into_bytes();
        String::from_utf8(bytes.to_vec())
            .map_err(|_| super::sdk_error::incomplete("GetObject", "the object is not UTF-8 text"))
    }

    /// `GetObjectLockConfiguration`: the default retention, if any.
    pub async fn object_lock_retention(&self, bucket: &str) -> Observed<Option<ObjectLockRetention>> {
        match self
            .client
            .get_object_lock_configuration()
            .bucket(bucket)
            .send()
            .await
        {
            Ok(out) => Observed::Read(
                out.object_lock_configuration()
                    .and_then(|c| c.rule())
                    .and_then(|r| r.default_retention())
                    .map(|d| ObjectLockRetention {
                        mode: d.mode().map(|m| m.as_str().to_owned()).unwrap_or_default(),
                        days: d.days(),
                        years: d.years(),
                    }),
            ),
            Err(err) => {
                let why = unreadable("GetObjectLockConfiguration", &err);
                match why.code.as_deref() {
                    Some("ObjectLockConfigurationNotFoundError") => Observed::Read(None),
                    _ => Observed::Unreadable(why),
                }
            }
        }
    }

    /// None when the bucket has no default encryption configuration.
    pub async fn default_encryption(&self, bucket: &str) -> Observed<Option<DefaultEncryption>> {
        match self.client.get_bucket_encryption().bucket(bucket).send().await {
            Ok(out) => Observed::Read(
                out.server_side_encryption_configuration()
                    .and_then(|c| c.rules().first())
                    .and_then(|r| r.apply_server_side_encryption_by_default())
                    .map(|d| DefaultEncryption {
                        algorithm: d.sse_algorithm().as_str().to_owned(),
                        kms_key_id: d.kms_master_key_id().map(str::to_owned),
                    }),
            ),
            Err(err) => {
                let why = unreadable("GetBucketEncryption", &err);
                match why.code.as_deref() {
                    Some("ServerSideEncryptionConfigurationNotFoundError") => Observed::Read(None),
                    _ => Observed::Unreadable(why),
                }
            }
        }
    }
}
