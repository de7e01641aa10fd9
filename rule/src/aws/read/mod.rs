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
mod pages;
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
pub use pages::Pages;
pub use s3::S3Reader;
pub use sdk_error::{incomplete, unreadable};
pub use sts::{assume_role, caller_account};

use delivery_guard_core::checks::Writer;
use delivery_guard_core::snapshot::probes::{
    BucketExistence, BucketProbe, DefaultEncryption, KeyProbe, KeySource, Probes, RoleProbe,
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
    let writer = recorders.read().and_then(|r| r.first()).and_then(Writer::of);
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

/// The five probes (bucket, key, role, SCPs, Organization ID) run at once; the bucket's default
/// key and the RCPs of the bucket's and key's owners follow, since they need the bucket's reads.
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
        Some(probe_bucket(&readers.s3, log_archive, name, account_id).await)
    };
    let channel_key = async {
        match channel.s3_kms_key_arn.clone() {
            Some(arn) => Some(probe_key(readers, log_archive, arn, KeySource::Channel).await),
            None => None,
        }
    };
    let role = probe_role(&readers.iam, writer, account_id);
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
    let key = match channel_key {
        Some(key) => Some(key),
        None => default_key(readers, log_archive, bucket.as_ref(), account_id).await,
    };
    let rcp_levels = match &delegated.organization {
        Some(organizations) => owners_rcps(organizations, bucket.as_ref(), key.as_ref()).await,
        None => BTreeMap::new(),
    };
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

/// The bucket, read as its owner: the log archive's reader when the log archive owns it, else
/// the judged account when it does. The owner is established with ExpectedBucketOwner, never
/// assumed from the parameters: naming a log-archive reader does not make every bucket its.
async fn probe_bucket(
    s3: &S3Reader,
    log_archive: Option<&LogArchiveReaders>,
    name: &str,
    account_id: &str,
) -> BucketProbe {
    let mut tried = Vec::new();
    if let Some(archive) = log_archive {
        let reads = archive.bucket(name).await;
        match (reads.owned, &reads.existence) {
            (Some(true), _) => return bucket_probe(name, Ok(&archive.account), &archive.role_arn, reads),
            (_, Observed::Read(BucketExistence::Missing)) => {
                return bucket_probe(
                    name,
                    Err("it does not exist".to_owned()),
                    &archive.role_arn,
                    reads,
                );
            }
            _ => tried.push(format!(
                "the log archive {} {}",
                archive.account,
                owner_answer(&reads)
            )),
        }
        let own = BucketReads::read(s3, name, account_id).await;
        if own.owned == Some(true) {
            return bucket_probe(name, Ok(account_id), "rule", own);
        }
        tried.push(format!("this account {} {}", account_id, owner_answer(&own)));
        return bucket_probe(name, Err(tried.join("; ")), &archive.role_arn, reads);
    }
    let own = BucketReads::read(s3, name, account_id).await;
    if own.owned == Some(true) {
        return bucket_probe(name, Ok(account_id), "rule", own);
    }
    tried.push(format!("this account {} {}", account_id, owner_answer(&own)));
    bucket_probe(name, Err(tried.join("; ")), "rule", own)
}

/// What HeadBucket with ExpectedBucketOwner said of one candidate, for "unverified: bucket owner".
fn owner_answer(reads: &BucketReads) -> String {
    match (reads.owned, &reads.existence) {
        (Some(false), _) => "does not own it (ExpectedBucketOwner answered 403, HeadBucket 200)".to_owned(),
        (_, Observed::Unreadable(why)) => format!("could not tell (HeadBucket {})", why.kind.describe()),
        _ => "could not tell (HeadBucket answered 403 with and without ExpectedBucketOwner)".to_owned(),
    }
}

fn bucket_probe(name: &str, owner: Result<&str, String>, read_as: &str, reads: BucketReads) -> BucketProbe {
    let BucketReads {
        existence,
        policy,
        object_lock_retention,
        default_encryption,
        ..
    } = reads;
    let (owner_account, owner_unknown) = match owner {
        Ok(owner) => (Some(owner.to_owned()), None),
        Err(why) => (None, Some(why)),
    };
    BucketProbe {
        name: name.to_owned(),
        owner_account,
        owner_unknown,
        read_as: read_as.to_owned(),
        existence,
        policy,
        object_lock_retention,
        default_encryption,
    }
}

/// A key's state and policy, read in its own account: the log archive's reader for a key there.
async fn probe_key(
    readers: &ProbeReaders,
    log_archive: Option<&LogArchiveReaders>,
    arn: String,
    source: KeySource,
) -> KeyProbe {
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
}

/// Without a channel key, S3 encrypts with the bucket's default key, if it names one. A key ID or
/// alias resolves in the bucket owner's account (DescribeKey there gives its ARN); with the owner
/// unknown it cannot be resolved, and the key's state says so.
async fn default_key(
    readers: &ProbeReaders,
    log_archive: Option<&LogArchiveReaders>,
    bucket: Option<&BucketProbe>,
    account_id: &str,
) -> Option<KeyProbe> {
    let bucket = bucket?;
    let id = match bucket.default_encryption.read() {
        Some(Some(DefaultEncryption {
            kms_key_id: Some(id), ..
        })) => id.clone(),
        _ => return None,
    };
    if id.starts_with("arn:") && id.contains(":key/") {
        return Some(probe_key(readers, log_archive, id, KeySource::BucketDefaultEncryption).await);
    }
    let resolved = match (bucket.owner_account.as_deref(), log_archive) {
        (Some(owner), Some(archive)) if owner == archive.account => archive.resolve_key(&id).await,
        (Some(owner), _) if owner == account_id => readers.kms.metadata(&id).await,
        _ => Observed::Unreadable(sdk_error::incomplete(
            "DescribeKey",
            &format!(
                "the bucket's default key {id} is not a key ARN, and the bucket's owner, in whose account it \
                 resolves, is not established"
            ),
        )),
    };
    match resolved.read().and_then(|m| m.arn.clone()) {
        Some(arn) => Some(probe_key(readers, log_archive, arn, KeySource::BucketDefaultEncryption).await),
        None => {
            let why = resolved
                .unreadable()
                .cloned()
                .unwrap_or_else(|| sdk_error::incomplete("DescribeKey", "KeyMetadata without its Arn"));
            Some(KeyProbe {
                arn: id,
                source: KeySource::BucketDefaultEncryption,
                metadata: Observed::Unreadable(why.clone()),
                policy: Observed::Unreadable(why),
            })
        }
    }
}

/// A customer-managed role of the judged account: its policies and boundary. A role in another
/// account is not read (the checks say so).
async fn probe_role(iam: &IamReader, writer: Option<&Writer>, account_id: &str) -> Option<RoleProbe> {
    let Some(Writer::Role { arn, name, account }) = writer else {
        return None;
    };
    if account != account_id {
        return None;
    }
    let (policies, boundary) = tokio::join!(iam.role_policies(name), iam.boundary(name));
    Some(RoleProbe {
        arn: arn.clone(),
        policies,
        boundary,
    })
}

/// RCPs restrict the service principal too: read them for the accounts owning the bucket and key
/// (at most two, usually one log-archive account).
async fn owners_rcps(
    organizations: &OrganizationsReader,
    bucket: Option<&BucketProbe>,
    key: Option<&KeyProbe>,
) -> BTreeMap<String, Observed<Vec<delivery_guard_core::snapshot::probes::PolicyLevel>>> {
    let owners: BTreeSet<String> = bucket
        .and_then(|b| b.owner_account.clone())
        .into_iter()
        .chain(key.and_then(|k| k.arn.split(':').nth(4).map(str::to_owned)))
        .filter(|owner| !owner.is_empty())
        .collect();
    let mut rcp_levels = BTreeMap::new();
    for owner in owners {
        let observed = organizations.rcp_levels(&owner).await;
        rcp_levels.insert(owner, observed);
    }
    rcp_levels
}
