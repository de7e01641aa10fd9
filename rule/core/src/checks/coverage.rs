//! Which checks passed: evaluated on evidence that was read, and not failing. Only these may
//! resolve a Security Hub finding or count toward "healthy again"; a check whose evidence could
//! not be read, or that the evidence never reached (no channel, no key probe), passed nothing.
//!
//! Conservative by construction: a group of checks passes only when every read the group could
//! depend on came back, so a missing read never turns into a pass.

use super::access::conditions_on_source_org;
use super::{CheckId, CheckSet, Finding, Writer};
use crate::snapshot::probes::{BucketExistence, BucketProbe, DefaultEncryption, Probes};
use crate::snapshot::{Observed, Snapshot};

/// The checks that were evaluated on read evidence and did not fail.
pub fn passed_checks(snapshot: &Snapshot, findings: &[Finding]) -> CheckSet {
    let failed: CheckSet = findings.iter().map(|f| f.check).collect();
    let blocked_by_probe = failed.contains(CheckId::ProbeUnverified);
    let mut decided = CheckSet::new();
    // A snapshot exists: the event and parameters parsed, the account was entered, its regions
    // listed, and the deadline had not passed.
    decided.extend([
        CheckId::MalformedEvent,
        CheckId::InvalidParameters,
        CheckId::AuditRoleUnassumable,
        CheckId::RegionsUnreadable,
        CheckId::DeadlineReached,
    ]);
    if super::event_path::decided(snapshot) {
        decided.insert(CheckId::EventPathBlind);
    }
    let Some(primary) = Primary::read(snapshot) else {
        return decided.difference(&failed);
    };
    decided.insert(CheckId::EvidenceUnreadable);
    // Statuses missing for a recorder or channel leave its status checks undecided.
    if !failed.contains(CheckId::EvidenceIncomplete) {
        decided.insert(CheckId::EvidenceIncomplete);
        decided.extend([CheckId::RecorderMissing, CheckId::RecorderServiceLinkedOnly]);
        if primary.has_recorder {
            decided.extend([CheckId::RecorderNotRecording, CheckId::RecorderLastStatusFailure]);
        }
        decided.insert(CheckId::ChannelMissing);
        if primary.has_channel {
            decided.extend([
                CheckId::SnapshotDeliveryFailure,
                CheckId::HistoryDeliveryFailure,
                CheckId::StreamDeliveryFailure,
                CheckId::DeliveryStale,
                CheckId::DeliveryNeverSucceeded,
                CheckId::ChannelUnexpectedBucket,
                CheckId::ChannelUnexpectedKeyPrefix,
                CheckId::ChannelUnexpectedKmsKey,
            ]);
        }
    }
    let probes = &snapshot.probes;
    let bucket = probes.bucket.as_ref();
    if let Some(bucket) = bucket {
        decided.extend(bucket_checks(bucket));
    }
    let key_known = match &probes.key {
        Some(key) if key.metadata.read().is_some() => {
            decided.extend([
                CheckId::KeyMissing,
                CheckId::KeyDisabled,
                CheckId::KeyPendingDeletion,
            ]);
            if bucket.is_some_and(|b| bucket_region(b).is_some()) {
                decided.insert(CheckId::KeyOtherRegion);
            }
            true
        }
        Some(_) => false,
        None if primary.has_channel && no_key_at_all(snapshot, bucket) => {
            decided.extend(KEY_CHECKS);
            true
        }
        None => false,
    };
    if primary.has_channel && primary.has_recorder && key_known && !blocked_by_probe {
        decided.extend(access_checks(snapshot, primary.writer.as_ref()));
    }
    if bucket.is_some() && key_known && !blocked_by_probe {
        decided.insert(CheckId::ProbeUnverified);
    }
    decided.difference(&failed)
}

const KEY_CHECKS: [CheckId; 5] = [
    CheckId::KeyMissing,
    CheckId::KeyDisabled,
    CheckId::KeyPendingDeletion,
    CheckId::KeyOtherRegion,
    CheckId::KeyPolicyDeniesDelivery,
];

/// The five Config reads, when every one of them came back.
struct Primary {
    has_recorder: bool,
    has_channel: bool,
    writer: Option<Writer>,
}

impl Primary {
    fn read(snapshot: &Snapshot) -> Option<Self> {
        snapshot.recorder_summaries.read()?;
        let recorders = snapshot.recorders.read()?;
        snapshot.recorder_statuses.read()?;
        let channels = snapshot.delivery_channels.read()?;
        snapshot.delivery_channel_statuses.read()?;
        Some(Self {
            has_recorder: !recorders.is_empty(),
            has_channel: !channels.is_empty(),
            writer: recorders.first().map(Writer::of),
        })
    }
}

fn bucket_checks(bucket: &BucketProbe) -> Vec<CheckId> {
    match &bucket.existence {
        Observed::Read(BucketExistence::Missing) => vec![],
        Observed::Read(_) => {
            let mut checks = vec![CheckId::BucketMissing];
            if bucket.object_lock_retention.read().is_some() {
                checks.push(CheckId::BucketObjectLockRetention);
            }
            checks
        }
        Observed::Unreadable(_) => vec![],
    }
}

fn bucket_region(bucket: &BucketProbe) -> Option<&str> {
    match &bucket.existence {
        Observed::Read(BucketExistence::Exists { region } | BucketExistence::Forbidden { region }) => {
            region.as_deref()
        }
        _ => None,
    }
}

/// Proven keyless: the channel names no key and the bucket's default encryption, read, names no
/// KMS key the probes would have followed.
fn no_key_at_all(snapshot: &Snapshot, bucket: Option<&BucketProbe>) -> bool {
    let channel_key = snapshot
        .delivery_channels
        .read()
        .and_then(|c| c.first())
        .and_then(|c| c.s3_kms_key_arn.as_ref());
    let default_key = bucket.map(|b| match b.default_encryption.read() {
        Some(None) => false,
        Some(Some(DefaultEncryption { kms_key_id, .. })) => kms_key_id.is_some(),
        None => true,
    });
    channel_key.is_none() && default_key == Some(false)
}

/// The access checks decide together from every policy on the path: they pass only when every
/// policy that applies to the writer was read.
fn access_checks(snapshot: &Snapshot, writer: Option<&Writer>) -> Vec<CheckId> {
    let probes: &Probes = &snapshot.probes;
    let Some(bucket) = &probes.bucket else {
        return vec![];
    };
    let bucket_policy_read = bucket.policy.read().is_some();
    let key_policy_read = probes.key.as_ref().is_none_or(|k| k.policy.read().is_some());
    // The Organization matters only to policies that condition on aws:SourceOrgID.
    let organization_read = probes
        .organization_id
        .as_ref()
        .is_some_and(|o| o.read().is_some())
        || !conditions_on_source_org(probes);
    if !(bucket_policy_read && key_policy_read && organization_read) {
        return vec![];
    }
    let mut checks = vec![CheckId::BucketPolicyDeniesDelivery];
    if probes.key.is_some() {
        checks.push(CheckId::KeyPolicyDeniesDelivery);
    }
    match writer {
        Some(Writer::Service) => checks.extend([CheckId::RoleDeniesDelivery, CheckId::ScpDeniesDelivery]),
        Some(Writer::Role { .. }) => {
            let role_read = probes
                .recorder_role
                .as_ref()
                .is_some_and(|r| r.policies.read().is_some() && r.boundary.read().is_some());
            let scps_read = probes.scp_levels.as_ref().is_some_and(|s| s.read().is_some());
            if role_read && scps_read {
                checks.extend([CheckId::RoleDeniesDelivery, CheckId::ScpDeniesDelivery]);
            }
        }
        None => return vec![],
    }
    // RCPs are read only through OrganizationReadRoleArn, for each account owning the bucket or key.
    let key_owner = probes.key.as_ref().and_then(|k| k.arn.split(':').nth(4));
    let rcps_read = bucket.owner_account.as_deref().is_some_and(|owner| {
        [Some(owner), key_owner]
            .into_iter()
            .flatten()
            .all(|o| probes.rcp_levels.get(o).is_some_and(|l| l.read().is_some()))
    });
    if rcps_read {
        checks.push(CheckId::RcpDeniesDelivery);
    }
    checks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::fixtures::{healthy, probed};
    use crate::checks::run_checks;
    use crate::parameters::RuleParameters;
    use crate::snapshot::trails::{BasicSelector, EventSelectors, Trail, TrailEvidence, TrailRecording};
    use crate::snapshot::{FailureKind, Unreadable};

    fn denied(call: &str) -> Unreadable {
        Unreadable {
            call: call.into(),
            kind: FailureKind::Throttled,
            code: Some("ThrottlingException".into()),
            message: "Rate exceeded".into(),
        }
    }

    fn passed(snapshot: &Snapshot) -> CheckSet {
        passed_checks(snapshot, &run_checks(snapshot, &RuleParameters::default()))
    }

    fn fully_probed() -> Snapshot {
        let mut snapshot = probed();
        snapshot.probes.organization_id = Some(Observed::Read(Some("o-abc123".into())));
        snapshot
            .probes
            .rcp_levels
            .insert("222222222222".into(), Observed::Read(vec![]));
        let organization_trail = TrailEvidence {
            trail: Trail {
                arn: "arn:aws:cloudtrail:us-east-1:999999999999:trail/org".into(),
                home_region: "us-east-1".into(),
                multi_region: true,
                organization: true,
            },
            recording: Observed::Read(TrailRecording {
                logging: true,
                selectors: EventSelectors::Basic(vec![BasicSelector {
                    include_management_events: true,
                    read_write_type: "All".into(),
                    excluded_sources: vec![],
                }]),
            }),
        };
        snapshot.probes.event_path = Some(Observed::Read(vec![organization_trail]));
        snapshot
    }

    #[test]
    fn every_check_passes_on_a_healthy_pipeline_read_in_full() {
        let snapshot = fully_probed();
        assert!(run_checks(&snapshot, &RuleParameters::default()).is_empty());
        assert_eq!(passed(&snapshot), CheckId::ALL.into_iter().collect());
    }

    #[test]
    fn a_failing_check_never_passes() {
        let mut snapshot = fully_probed();
        if let Some(key) = &mut snapshot.probes.key
            && let Observed::Read(metadata) = &mut key.metadata
        {
            metadata.key_state = "Disabled".into();
        }
        let passed = passed(&snapshot);
        assert!(!passed.contains(CheckId::KeyDisabled));
        assert!(passed.contains(CheckId::BucketMissing));
    }

    #[test]
    fn an_unreadable_status_passes_none_of_the_status_checks() {
        let mut snapshot = fully_probed();
        snapshot.delivery_channel_statuses = Observed::Unreadable(denied("DescribeDeliveryChannelStatus"));
        let passed = passed(&snapshot);
        for check in [
            CheckId::SnapshotDeliveryFailure,
            CheckId::DeliveryStale,
            CheckId::RecorderNotRecording,
            CheckId::EvidenceUnreadable,
            CheckId::KeyDisabled,
            CheckId::BucketPolicyDeniesDelivery,
        ] {
            assert!(!passed.contains(check), "{check:?} passed on unread evidence");
        }
    }

    #[test]
    fn an_unreadable_key_policy_passes_no_access_check_but_keeps_the_key_state() {
        let mut snapshot = fully_probed();
        if let Some(key) = &mut snapshot.probes.key {
            key.policy = Observed::Unreadable(denied("GetKeyPolicy"));
        }
        let passed = passed(&snapshot);
        assert!(!passed.contains(CheckId::KeyPolicyDeniesDelivery));
        assert!(!passed.contains(CheckId::BucketPolicyDeniesDelivery));
        assert!(!passed.contains(CheckId::ProbeUnverified));
        assert!(passed.contains(CheckId::KeyDisabled));
        assert!(passed.contains(CheckId::SnapshotDeliveryFailure));
    }

    #[test]
    fn without_probes_only_the_config_reads_pass() {
        let passed = passed(&healthy());
        assert!(passed.contains(CheckId::DeliveryStale));
        assert!(!passed.contains(CheckId::BucketMissing));
        assert!(!passed.contains(CheckId::KeyDisabled));
        assert!(!passed.contains(CheckId::ScpDeniesDelivery));
        assert!(!passed.contains(CheckId::ProbeUnverified));
    }

    #[test]
    fn rcps_pass_only_where_they_were_read() {
        let mut snapshot = fully_probed();
        snapshot.probes.rcp_levels.clear();
        let passed = passed(&snapshot);
        assert!(!passed.contains(CheckId::RcpDeniesDelivery));
        assert!(passed.contains(CheckId::BucketPolicyDeniesDelivery));
    }

    #[test]
    fn no_channel_decides_no_delivery_check() {
        let mut snapshot = fully_probed();
        snapshot.delivery_channels = Observed::Read(vec![]);
        snapshot.delivery_channel_statuses = Observed::Read(vec![]);
        snapshot.probes = Probes::default();
        let passed = passed(&snapshot);
        assert!(!passed.contains(CheckId::ChannelMissing));
        assert!(!passed.contains(CheckId::SnapshotDeliveryFailure));
        assert!(!passed.contains(CheckId::DeliveryStale));
        assert!(passed.contains(CheckId::RecorderNotRecording));
    }
}
