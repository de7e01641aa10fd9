//! Reading: an account-region's pipeline into a `Snapshot`. The Config reads run at once;
//! the root-cause probes, which need the channel and recorder they return, then run at once too.

mod account;
mod cloudtrail;
mod compliance;
mod config;
mod iam;
mod kms;
mod log_archive;
mod organizations;
mod s3;
mod sdk_error;
mod sts;

pub use account::AccountReader;
pub use cloudtrail::TrailReader;
pub use compliance::{rule_parameters, stored_results};
pub use config::ConfigReader;
pub use iam::IamReader;
pub use kms::KmsReader;
pub use log_archive::{BucketReads, KeyReads, LogArchiveReaders};
pub use organizations::OrganizationsReader;
pub use s3::S3Reader;
pub use sdk_error::unreadable;
pub use sts::{assume_role, caller_account};

use delivery_guard_core::checks::Writer;
use delivery_guard_core::snapshot::probes::{
    BucketProbe, DefaultEncryption, KeyProbe, KeySource, Probes, RoleProbe,
};
use delivery_guard_core::snapshot::{DeliveryChannel, Observed, Snapshot};
use delivery_guard_core::timestamp::Timestamp;
use std::collections::{BTreeMap, BTreeSet};

/// Clients for the probes, in the account being judged.
#[derive(Clone, Debug)]
pub struct ProbeReaders {
    /// S3: the bucket.
    pub s3: S3Reader,
    /// KMS: the key.
    pub kms: KmsReader,
    /// IAM: the recorder role.
    pub iam: IamReader,
    /// Organizations: the account's path and its SCPs.
    pub organizations: OrganizationsReader,
}

/// Readers that act through roles named in the rule parameters.
#[derive(Clone, Debug, Default)]
pub struct DelegatedReaders {
    /// The bucket and key as the log-archive reader role.
    pub log_archive: Option<LogArchiveReaders>,
    /// Organizations as the management or delegated-admin account, for the SCP walk.
    pub organization: Option<OrganizationsReader>,
}

/// Reads one account-region's pipeline into a snapshot; what fails to be read is recorded as such.
pub async fn collect(
    config: &ConfigReader,
    probes: Option<&ProbeReaders>,
    delegated: &DelegatedReaders,
    account_id: &str,
    region: &str,
) -> Snapshot {
    let (recorder_summaries, recorders, recorder_statuses, delivery_channels, delivery_channel_statuses) = tokio::join!(
        config.recorder_summaries(),
        config.recorders(),
        config.recorder_statuses(),
        config.delivery_channels(),
        config.delivery_channel_statuses(),
    );
    let channel = delivery_channels.read().and_then(|c| c.first()).cloned();
    let writer = recorders.read().and_then(|r| r.first()).map(Writer::of);
    let probes = match (probes, channel) {
        (Some(readers), Some(channel)) => {
            probe(readers, delegated, &channel, writer.as_ref(), account_id).await
        }
        _ => Probes::default(),
    };
    // Stamped when the reads are done: nothing they returned can be newer than this.
    let observed_at = Timestamp::now();
    Snapshot {
        account_id: account_id.to_owned(),
        region: region.to_owned(),
        observed_at,
        recorder_summaries,
        recorders,
        recorder_statuses,
        delivery_channels,
        delivery_channel_statuses,
        probes,
    }
}

/// Long on purpose: the five probes (bucket, key, role, SCPs, Organization ID) are async blocks
/// joined at the end so that they run at once; split into functions they would need the same
/// borrowed readers passed five times.
async fn probe(
    readers: &ProbeReaders,
    delegated: &DelegatedReaders,
    channel: &DeliveryChannel,
    writer: Option<&Writer>,
    account_id: &str,
) -> Probes {
    let log_archive = delegated.log_archive.as_ref();
    let bucket = async {
        let name = channel.s3_bucket_name.as_deref()?;
        let reads = match log_archive {
            Some(archive) => archive.bucket(name).await,
            None => {
                let s3 = &readers.s3;
                let (existence, policy, object_lock_retention, default_encryption) = tokio::join!(
                    s3.existence(name),
                    s3.policy(name),
                    s3.object_lock_retention(name),
                    s3.default_encryption(name)
                );
                BucketReads {
                    existence,
                    policy,
                    object_lock_retention,
                    default_encryption,
                }
            }
        };
        let read_as = log_archive.map_or_else(|| "rule".to_owned(), |archive| archive.role_arn.clone());
        let BucketReads {
            existence,
            policy,
            object_lock_retention,
            default_encryption,
        } = reads;
        // A policy our own credentials could read belongs to a bucket in our account.
        let owner_account = match (log_archive, &policy) {
            (Some(archive), _) => Some(archive.account.clone()),
            (None, Observed::Read(_)) => Some(account_id.to_owned()),
            (None, Observed::Unreadable(_)) => None,
        };
        Some(BucketProbe {
            name: name.to_owned(),
            owner_account,
            read_as,
            existence,
            policy,
            object_lock_retention,
            default_encryption,
        })
    };
    let key_probe = |arn: String, source: KeySource| async move {
        let key_account = arn.split(':').nth(4).unwrap_or_default();
        let KeyReads { metadata, policy } = match log_archive {
            Some(archive) if archive.account == key_account => archive.key(&arn).await,
            _ => {
                let (metadata, policy) = tokio::join!(readers.kms.metadata(&arn), readers.kms.policy(&arn));
                KeyReads { metadata, policy }
            }
        };
        KeyProbe {
            arn,
            source,
            metadata,
            policy,
        }
    };
    let channel_key = async {
        match channel.s3_kms_key_arn.clone() {
            Some(arn) => Some(key_probe(arn, KeySource::Channel).await),
            None => None,
        }
    };
    let role = async {
        let Some(Writer::Role { arn, name, account }) = writer else {
            return None;
        };
        if account != account_id {
            return None;
        }
        let (policies, boundary) = tokio::join!(readers.iam.role_policies(name), readers.iam.boundary(name));
        Some(RoleProbe {
            arn: arn.clone(),
            policies,
            boundary,
        })
    };
    // SCPs restrict only the customer-managed role, never the service principal.
    let scps = async {
        match writer {
            Some(Writer::Role { .. }) => {
                let organizations = delegated.organization.as_ref().unwrap_or(&readers.organizations);
                Some(organizations.scp_levels(account_id).await)
            }
            _ => None,
        }
    };
    // Config acting as the service principal (also a customer role's fallback for another
    // account's bucket) sends the account's Organization as aws:SourceOrgID.
    let organization = readers.organizations.organization();
    let (bucket, channel_key, recorder_role, scp_levels, (organization_id, management_account)) =
        tokio::join!(bucket, channel_key, role, scps, organization);
    // Without a channel key, S3 encrypts with the bucket's default key, if it names one.
    let key = match (
        channel_key,
        bucket
            .as_ref()
            .and_then(|b| b.default_encryption.read().cloned().flatten()),
    ) {
        (Some(key), _) => Some(key),
        (
            None,
            Some(DefaultEncryption {
                kms_key_id: Some(arn),
                ..
            }),
        ) if arn.starts_with("arn:") => Some(key_probe(arn, KeySource::BucketDefaultEncryption).await),
        _ => None,
    };
    // RCPs restrict the service principal too: read them for the accounts owning the bucket and key.
    let mut rcp_levels = BTreeMap::new();
    if let Some(organizations) = &delegated.organization {
        let owners: BTreeSet<String> = bucket
            .as_ref()
            .and_then(|b| b.owner_account.clone())
            .into_iter()
            .chain(
                key.as_ref()
                    .and_then(|k| k.arn.split(':').nth(4).map(str::to_owned)),
            )
            .collect();
        // At most two owners, usually one log-archive account.
        for owner in owners {
            let observed = organizations.rcp_levels(&owner).await;
            rcp_levels.insert(owner, observed);
        }
    }
    Probes {
        bucket,
        key,
        recorder_role,
        scp_levels,
        rcp_levels,
        organization_id: Some(organization_id),
        management_account,
        // Read by the sweep, beside the snapshot.
        event_path: None,
    }
}
