//! Absence is not a pass, for every check and every fault class. Each row names a check, a healthy
//! pipeline in which it passes, a break that makes it fail, and the reads it rests on. With any of
//! those reads faulted (a transport error, an unparseable answer, an answer that parsed but is
//! incomplete) the check must not pass, so it can resolve no Security Hub finding, call no region
//! fixed and announce no recovery, whatever the fault leaves of the verdict.

use super::fixtures::{BUCKET_POLICY, KEY_POLICY, healthy, hours_ago, probed};
use super::{CheckId, Finding, Outcome};
use crate::outbound::asff::{Destination, import_plan};
use crate::outbound::delta::StoredResult;
use crate::outbound::evaluation::{ACCOUNT_RESOURCE_TYPE, Evaluation};
use crate::outbound::recovery::{Held, hold_unconfirmed_recoveries};
use crate::parameters::RuleParameters;
use crate::report::changes::compare;
use crate::snapshot::probes::*;
use crate::snapshot::trails::{BasicSelector, EventSelectors, Trail, TrailEvidence, TrailRecording};
use crate::snapshot::*;
use crate::timestamp::Timestamp;
use crate::verdict::{AccountVerdict, Compliance, RegionVerdict, clusters, judge_snapshot, unjudged};
use std::collections::BTreeMap;

const MEMBER: &str = "111111111111";
const ARCHIVE: &str = "222222222222";

/// The classes a read can fail in.
#[derive(Clone, Copy, Debug)]
enum Fault {
    /// No answer: AccessDenied, throttled past retries, a timeout, no connection, a 5xx.
    Transport(FailureKind),
    /// An answer the SDK could not parse.
    Unparseable,
    /// An answer that parsed but lacks what it must hold (found by the adapter).
    Incomplete,
}

const FAULTS: [Fault; 7] = [
    Fault::Transport(FailureKind::AccessDenied),
    Fault::Transport(FailureKind::Throttled),
    Fault::Transport(FailureKind::Timeout),
    Fault::Transport(FailureKind::Network),
    Fault::Transport(FailureKind::ServerError),
    Fault::Unparseable,
    Fault::Incomplete,
];

fn unreadable(call: &str, fault: Fault) -> Unreadable {
    let kind = match fault {
        Fault::Transport(kind) => kind,
        Fault::Unparseable => FailureKind::MalformedResponse,
        Fault::Incomplete => FailureKind::Incomplete,
    };
    Unreadable {
        call: call.to_owned(),
        kind,
        code: None,
        message: format!("injected {kind:?}"),
    }
}

fn fail<T>(observed: &mut Observed<T>, call: &str, fault: Fault) {
    *observed = Observed::Unreadable(unreadable(call, fault));
}

/// One read of the snapshot, and its answers Config or a probe can give that parse but are
/// incomplete (checked in the core rather than by the adapter).
#[derive(Clone, Copy, Debug)]
enum Read {
    RecorderSummaries,
    Recorders,
    RecorderStatuses,
    Channels,
    ChannelStatuses,
    BucketExistence,
    BucketPolicy,
    ObjectLock,
    DefaultEncryption,
    KeyMetadata,
    KeyPolicy,
    RolePolicies,
    RoleBoundary,
    Scps,
    Rcps,
    Organization,
    Trails,
    TrailRecording,
    /// DescribeDeliveryChannelStatus without configSnapshotDeliveryInfo.
    NoSnapshotInfo,
    /// ... without configHistoryDeliveryInfo.
    NoHistoryInfo,
    /// ... with a snapshot part without lastStatus.
    NoSnapshotStatus,
    /// ... with a history part without lastStatus.
    NoHistoryStatus,
    /// ... with a lastSuccessfulTime after the reading.
    SuccessInTheFuture,
    /// ... with no entry for the channel.
    NoChannelStatus,
    /// DescribeConfigurationRecorderStatus with no entry for the recorder.
    NoRecorderStatus,
    /// DescribeConfigurationRecorders with a recorder that names no roleARN.
    NoRoleArn,
    /// The bucket's owner not established (ExpectedBucketOwner answered 403 for every candidate).
    BucketOwner,
}

/// The reads every delivery-status check rests on, and the answers Config gives incomplete.
const STATUS_READS: [Read; 8] = [
    Read::Channels,
    Read::ChannelStatuses,
    Read::NoSnapshotInfo,
    Read::NoHistoryInfo,
    Read::NoSnapshotStatus,
    Read::NoHistoryStatus,
    Read::SuccessInTheFuture,
    Read::NoChannelStatus,
];

const SNAPSHOT_READS: [Read; 5] = [
    Read::Channels,
    Read::ChannelStatuses,
    Read::NoSnapshotInfo,
    Read::NoSnapshotStatus,
    Read::NoChannelStatus,
];
const HISTORY_READS: [Read; 5] = [
    Read::Channels,
    Read::ChannelStatuses,
    Read::NoHistoryInfo,
    Read::NoHistoryStatus,
    Read::NoChannelStatus,
];

fn status_mut(snapshot: &mut Snapshot) -> Option<&mut DeliveryChannelStatus> {
    match &mut snapshot.delivery_channel_statuses {
        Observed::Read(statuses) => statuses.first_mut(),
        Observed::Unreadable(_) => None,
    }
}

impl Read {
    /// Applies the fault; false when this snapshot holds no such read (nothing to fault).
    fn apply(self, snapshot: &mut Snapshot, fault: Fault) -> bool {
        let probes = &mut snapshot.probes;
        match self {
            Self::RecorderSummaries => fail(
                &mut snapshot.recorder_summaries,
                "ListConfigurationRecorders",
                fault,
            ),
            Self::Recorders => fail(&mut snapshot.recorders, "DescribeConfigurationRecorders", fault),
            Self::RecorderStatuses => fail(
                &mut snapshot.recorder_statuses,
                "DescribeConfigurationRecorderStatus",
                fault,
            ),
            Self::Channels => fail(&mut snapshot.delivery_channels, "DescribeDeliveryChannels", fault),
            Self::ChannelStatuses => fail(
                &mut snapshot.delivery_channel_statuses,
                "DescribeDeliveryChannelStatus",
                fault,
            ),
            Self::BucketExistence | Self::BucketPolicy | Self::ObjectLock | Self::DefaultEncryption => {
                let Some(bucket) = probes.bucket.as_mut() else {
                    return false;
                };
                match self {
                    Self::BucketExistence => fail(&mut bucket.existence, "HeadBucket", fault),
                    Self::BucketPolicy => fail(&mut bucket.policy, "GetBucketPolicy", fault),
                    Self::ObjectLock => fail(
                        &mut bucket.object_lock_retention,
                        "GetObjectLockConfiguration",
                        fault,
                    ),
                    _ => fail(&mut bucket.default_encryption, "GetBucketEncryption", fault),
                }
            }
            Self::BucketOwner => {
                let Some(bucket) = probes.bucket.as_mut() else {
                    return false;
                };
                bucket.owner_account = None;
                bucket.owner_unknown = Some(format!("HeadBucket with ExpectedBucketOwner {:?}", fault));
            }
            Self::KeyMetadata => match probes.key.as_mut() {
                Some(key) => fail(&mut key.metadata, "DescribeKey", fault),
                None => return false,
            },
            Self::KeyPolicy => match probes.key.as_mut() {
                Some(key) => fail(&mut key.policy, "GetKeyPolicy", fault),
                None => return false,
            },
            Self::RolePolicies => match probes.recorder_role.as_mut() {
                Some(role) => fail(&mut role.policies, "ListRolePolicies", fault),
                None => return false,
            },
            Self::RoleBoundary => match probes.recorder_role.as_mut() {
                Some(role) => fail(&mut role.boundary, "GetRole", fault),
                None => return false,
            },
            Self::Scps => match probes.scp_levels.as_mut() {
                Some(levels) => fail(levels, "ListPoliciesForTarget", fault),
                None => return false,
            },
            Self::Rcps => {
                if probes.rcp_levels.is_empty() {
                    return false;
                }
                for levels in probes.rcp_levels.values_mut() {
                    fail(levels, "ListPoliciesForTarget", fault);
                }
            }
            Self::Organization => match probes.organization_id.as_mut() {
                Some(organization) => fail(organization, "DescribeOrganization", fault),
                None => return false,
            },
            Self::Trails => match probes.event_path.as_mut() {
                Some(trails) => fail(trails, "DescribeTrails", fault),
                None => return false,
            },
            Self::TrailRecording => match probes.event_path.as_mut() {
                Some(Observed::Read(trails)) if !trails.is_empty() => {
                    for trail in trails {
                        fail(&mut trail.recording, "GetEventSelectors", fault);
                    }
                }
                _ => return false,
            },
            Self::NoSnapshotInfo | Self::NoHistoryInfo | Self::NoSnapshotStatus | Self::NoHistoryStatus => {
                let Some(status) = status_mut(snapshot) else {
                    return false;
                };
                match self {
                    Self::NoSnapshotInfo => status.snapshot = None,
                    Self::NoHistoryInfo => status.history = None,
                    Self::NoSnapshotStatus => {
                        if let Some(info) = status.snapshot.as_mut() {
                            info.last_status = None;
                        }
                    }
                    _ => {
                        if let Some(info) = status.history.as_mut() {
                            info.last_status = None;
                        }
                    }
                }
            }
            Self::SuccessInTheFuture => {
                let Some(status) = status_mut(snapshot) else {
                    return false;
                };
                for info in [&mut status.snapshot, &mut status.history].into_iter().flatten() {
                    info.last_successful_time = Some(hours_ago(-48));
                }
            }
            Self::NoChannelStatus => {
                snapshot.delivery_channel_statuses = Observed::Read(vec![]);
            }
            Self::NoRecorderStatus => snapshot.recorder_statuses = Observed::Read(vec![]),
            Self::NoRoleArn => match &mut snapshot.recorders {
                Observed::Read(recorders) if !recorders.is_empty() => {
                    for recorder in recorders {
                        recorder.role_arn = None;
                    }
                }
                _ => return false,
            },
        }
        true
    }

    /// The answers that parse but are incomplete are one fault, not seven.
    const fn is_answer_shape(self) -> bool {
        matches!(
            self,
            Self::NoSnapshotInfo
                | Self::NoHistoryInfo
                | Self::NoSnapshotStatus
                | Self::NoHistoryStatus
                | Self::SuccessInTheFuture
                | Self::NoChannelStatus
                | Self::NoRecorderStatus
                | Self::NoRoleArn
                | Self::BucketOwner
        )
    }
}

fn organization_trail() -> TrailEvidence {
    TrailEvidence {
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
    }
}

const ALLOW_ALL: &str =
    r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#;
/// RCPFullAWSAccess, at every level of a path.
const RCP_FULL: &str =
    r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}}"#;

fn level(target: &str, document: &str) -> PolicyLevel {
    PolicyLevel {
        target: target.into(),
        policies: vec![PolicyDocument {
            name: format!("at {target}"),
            document: document.into(),
        }],
    }
}

/// The service-linked role writes to the log archive's bucket and key; every probe read, RCPs and
/// the Organization's trail too.
fn service_pipeline(snapshot: &mut Snapshot) {
    *snapshot = probed();
    snapshot.probes.organization_id = Some(Observed::Read(Some("o-abc123".into())));
    snapshot.probes.rcp_levels.insert(
        ARCHIVE.into(),
        Observed::Read(vec![level("r-root", RCP_FULL), level(ARCHIVE, RCP_FULL)]),
    );
    snapshot.probes.event_path = Some(Observed::Read(vec![organization_trail()]));
}

/// A customer-managed role writes to a bucket and key in its own account: its policies and the
/// SCPs on its path decide.
fn role_pipeline(snapshot: &mut Snapshot) {
    service_pipeline(snapshot);
    let arn = format!("arn:aws:iam::{MEMBER}:role/config-recorder");
    if let Observed::Read(recorders) = &mut snapshot.recorders {
        recorders[0].role_arn = Some(arn.clone());
    }
    let key_arn = format!("arn:aws:kms:us-east-1:{MEMBER}:key/k-1");
    if let Observed::Read(channels) = &mut snapshot.delivery_channels {
        channels[0].s3_kms_key_arn = Some(key_arn.clone());
    }
    let probes = &mut snapshot.probes;
    probes.recorder_role = Some(RoleProbe {
        arn,
        policies: Observed::Read(vec![PolicyDocument {
            name: "delivery".into(),
            document: r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["s3:PutObject","s3:GetBucketAcl","kms:GenerateDataKey","kms:Decrypt"],"Resource":"*"}}"#.into(),
        }]),
        boundary: Observed::Read(None),
    });
    probes.scp_levels = Some(Observed::Read(vec![
        level("r-root", ALLOW_ALL),
        level(MEMBER, ALLOW_ALL),
    ]));
    if let Some(bucket) = probes.bucket.as_mut() {
        bucket.owner_account = Some(MEMBER.into());
        bucket.policy = Observed::Read(Some(BUCKET_POLICY.replace(ARCHIVE, MEMBER)));
    }
    if let Some(key) = probes.key.as_mut() {
        key.arn = key_arn;
        key.policy = Observed::Read(KEY_POLICY.replace(ARCHIVE, MEMBER));
    }
    let rcps = probes.rcp_levels.remove(ARCHIVE);
    if let Some(rcps) = rcps {
        probes.rcp_levels.insert(MEMBER.into(), rcps);
    }
}

/// No customer-managed recorder (recorder.missing fails), and no service-linked one either.
fn no_recorder_pipeline(snapshot: &mut Snapshot) {
    service_pipeline(snapshot);
    snapshot.recorders = Observed::Read(vec![]);
    snapshot.recorder_summaries = Observed::Read(vec![]);
}

/// The channel names no key and the bucket's default encryption names none: no key on the path.
fn keyless_pipeline(snapshot: &mut Snapshot) {
    service_pipeline(snapshot);
    if let Observed::Read(channels) = &mut snapshot.delivery_channels {
        channels[0].s3_kms_key_arn = None;
    }
    snapshot.probes.key = None;
    if let Some(bucket) = snapshot.probes.bucket.as_mut() {
        bucket.default_encryption = Observed::Read(None);
    }
}

/// The bucket admits Config's writes by the account's Organization (aws:SourceOrgID).
fn organization_pipeline(snapshot: &mut Snapshot) {
    service_pipeline(snapshot);
    if let Some(bucket) = snapshot.probes.bucket.as_mut() {
        // On PutObject only, as Control Tower's audit bucket has it: for GetBucketAcl AWS does
        // not document aws:SourceOrgID (request_context), so a policy that needs it there is
        // unverified, never a pass.
        let by_organization = BUCKET_POLICY.replace(
            r#""s3:x-amz-acl":"bucket-owner-full-control","AWS:SourceAccount":"111111111111""#,
            r#""s3:x-amz-acl":"bucket-owner-full-control","aws:SourceOrgID":"o-abc123""#,
        );
        bucket.policy = Observed::Read(Some(by_organization));
    }
}

fn set_status(snapshot: &mut Snapshot, part: &str, change: impl Fn(&mut DeliveryInfo)) {
    if let Some(status) = status_mut(snapshot) {
        let info = if part == "snapshot" {
            &mut status.snapshot
        } else {
            &mut status.history
        };
        if let Some(info) = info.as_mut() {
            change(info);
        }
    }
}

struct Row {
    check: CheckId,
    pipeline: fn(&mut Snapshot),
    breaks: fn(&mut Snapshot, &mut RuleParameters),
    reads: &'static [Read],
}

const fn row(
    check: CheckId,
    pipeline: fn(&mut Snapshot),
    breaks: fn(&mut Snapshot, &mut RuleParameters),
    reads: &'static [Read],
) -> Row {
    Row {
        check,
        pipeline,
        breaks,
        reads,
    }
}

fn key_state(snapshot: &mut Snapshot, state: &str) {
    if let Some(key) = snapshot.probes.key.as_mut() {
        key.metadata = Observed::Read(KeyMetadata {
            arn: None,
            key_state: state.into(),
            deletion_date: None,
            key_manager: Some("CUSTOMER".into()),
        });
    }
}

/// Every check judged on a snapshot's reads, with what breaks it and what it rests on.
fn rows() -> Vec<Row> {
    use CheckId as C;
    use Read as R;
    let primary: &'static [Read] = &[
        R::RecorderSummaries,
        R::Recorders,
        R::RecorderStatuses,
        R::Channels,
        R::ChannelStatuses,
    ];
    vec![
        row(
            C::EvidenceUnreadable,
            service_pipeline,
            |s, _| {
                s.delivery_channel_statuses =
                    Observed::Unreadable(unreadable("DescribeDeliveryChannelStatus", Fault::Unparseable));
            },
            primary,
        ),
        row(
            C::EvidenceIncomplete,
            service_pipeline,
            |s, _| {
                s.recorder_statuses = Observed::Read(vec![]);
            },
            primary,
        ),
        row(
            C::RecorderMissing,
            service_pipeline,
            |s, _| {
                s.recorders = Observed::Read(vec![]);
                s.recorder_summaries = Observed::Read(vec![]);
            },
            &[R::Recorders],
        ),
        row(
            C::RecorderServiceLinkedOnly,
            service_pipeline,
            |s, _| {
                s.recorders = Observed::Read(vec![]);
                s.recorder_summaries = Observed::Read(vec![RecorderSummary {
                    name: "AWSConfigurationRecorderForSecurityHub".into(),
                    arn: None,
                    recording_scope: Some("INTERNAL".into()),
                    service_principal: Some("securityhub.amazonaws.com".into()),
                }]);
            },
            &[R::Recorders],
        ),
        // With no customer-managed recorder at all, only the summaries tell the two apart.
        row(
            C::RecorderServiceLinkedOnly,
            no_recorder_pipeline,
            |s, _| {
                s.recorder_summaries = Observed::Read(vec![RecorderSummary {
                    name: "AWSConfigurationRecorderForSecurityHub".into(),
                    arn: None,
                    recording_scope: Some("INTERNAL".into()),
                    service_principal: Some("securityhub.amazonaws.com".into()),
                }]);
            },
            &[R::Recorders, R::RecorderSummaries],
        ),
        row(
            C::RecorderNotRecording,
            service_pipeline,
            |s, _| {
                if let Observed::Read(statuses) = &mut s.recorder_statuses {
                    statuses[0].recording = false;
                }
            },
            &[R::Recorders, R::RecorderStatuses, R::NoRecorderStatus],
        ),
        row(
            C::RecorderLastStatusFailure,
            service_pipeline,
            |s, _| {
                if let Observed::Read(statuses) = &mut s.recorder_statuses {
                    statuses[0].last_status = Some("FAILURE".into());
                }
            },
            &[R::Recorders, R::RecorderStatuses, R::NoRecorderStatus],
        ),
        row(
            C::ChannelMissing,
            service_pipeline,
            |s, _| {
                s.delivery_channels = Observed::Read(vec![]);
                s.delivery_channel_statuses = Observed::Read(vec![]);
            },
            &[R::Channels],
        ),
        row(
            C::SnapshotDeliveryFailure,
            service_pipeline,
            |s, _| {
                set_status(s, "snapshot", |i| i.last_status = Some("Failure".into()));
            },
            &SNAPSHOT_READS,
        ),
        row(
            C::HistoryDeliveryFailure,
            service_pipeline,
            |s, _| {
                set_status(s, "history", |i| i.last_status = Some("Failure".into()));
            },
            &HISTORY_READS,
        ),
        row(
            C::StreamDeliveryFailure,
            service_pipeline,
            |s, _| {
                if let Some(status) = status_mut(s) {
                    status.stream = Some(StreamInfo {
                        last_status: Some("Failure".into()),
                        ..StreamInfo::default()
                    });
                }
            },
            &[R::Channels, R::ChannelStatuses, R::NoChannelStatus],
        ),
        row(
            C::DeliveryStale,
            service_pipeline,
            |s, _| {
                for part in ["snapshot", "history"] {
                    set_status(s, part, |i| i.last_successful_time = Some(hours_ago(72)));
                }
            },
            &STATUS_READS,
        ),
        row(
            C::DeliveryNeverSucceeded,
            service_pipeline,
            |s, _| {
                for part in ["snapshot", "history"] {
                    set_status(s, part, |i| {
                        i.last_status = Some("PENDING".into());
                        i.last_successful_time = None;
                    });
                }
            },
            &STATUS_READS,
        ),
        row(
            C::ChannelUnexpectedBucket,
            service_pipeline,
            |_, p| {
                p.expected_bucket = Some("another-bucket".into());
            },
            &[R::Channels],
        ),
        row(
            C::ChannelUnexpectedKeyPrefix,
            service_pipeline,
            |_, p| {
                p.expected_key_prefix = Some("o-other".into());
            },
            &[R::Channels],
        ),
        row(
            C::ChannelUnexpectedKmsKey,
            service_pipeline,
            |_, p| {
                p.expected_kms_key_arn = Some("arn:aws:kms:us-east-1:222222222222:key/other".into());
            },
            &[R::Channels],
        ),
        row(
            C::BucketMissing,
            service_pipeline,
            |s, _| {
                if let Some(bucket) = s.probes.bucket.as_mut() {
                    bucket.existence = Observed::Read(BucketExistence::Missing);
                }
            },
            &[R::Channels, R::BucketExistence],
        ),
        row(
            C::BucketObjectLockRetention,
            service_pipeline,
            |s, _| {
                if let Some(bucket) = s.probes.bucket.as_mut() {
                    bucket.object_lock_retention = Observed::Read(Some(ObjectLockRetention {
                        mode: "COMPLIANCE".into(),
                        days: Some(1),
                        years: None,
                    }));
                }
            },
            &[R::Channels, R::ObjectLock],
        ),
        row(
            C::BucketPolicyDeniesDelivery,
            service_pipeline,
            |s, _| {
                if let Some(bucket) = s.probes.bucket.as_mut() {
                    bucket.policy =
                        Observed::Read(Some(BUCKET_POLICY.replace("111111111111", "333333333333")));
                }
            },
            &[R::Channels, R::Recorders, R::BucketPolicy, R::NoRoleArn],
        ),
        row(
            C::BucketPolicyDeniesDelivery,
            role_pipeline,
            |s, _| {
                if let Some(bucket) = s.probes.bucket.as_mut() {
                    let deny = r#"{"Version":"2012-10-17","Statement":{"Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"*"}}"#;
                    bucket.policy = Observed::Read(Some(deny.into()));
                }
            },
            &[R::BucketPolicy, R::BucketOwner, R::RolePolicies, R::RoleBoundary],
        ),
        row(
            C::RoleDeniesDelivery,
            role_pipeline,
            |s, _| {
                if let Some(role) = s.probes.recorder_role.as_mut() {
                    role.policies = Observed::Read(vec![]);
                }
            },
            &[
                R::Recorders,
                R::RolePolicies,
                R::RoleBoundary,
                R::BucketPolicy,
                R::BucketOwner,
                R::KeyPolicy,
                R::NoRoleArn,
            ],
        ),
        row(
            C::KeyMissing,
            service_pipeline,
            |s, _| {
                if let Some(key) = s.probes.key.as_mut() {
                    key.metadata = Observed::Unreadable(Unreadable {
                        call: "DescribeKey".into(),
                        kind: FailureKind::Rejected,
                        code: Some("NotFoundException".into()),
                        message: "gone".into(),
                    });
                }
            },
            &[R::Channels, R::KeyMetadata],
        ),
        row(
            C::KeyDisabled,
            service_pipeline,
            |s, _| key_state(s, "Disabled"),
            &[R::Channels, R::KeyMetadata],
        ),
        // No key on the channel: the bucket's default encryption says whether S3 uses one.
        row(
            C::KeyDisabled,
            keyless_pipeline,
            |s, _| {
                if let Some(bucket) = s.probes.bucket.as_mut() {
                    bucket.default_encryption = Observed::Read(Some(DefaultEncryption {
                        algorithm: "aws:kms".into(),
                        kms_key_id: Some("arn:aws:kms:us-east-1:222222222222:key/k-1".into()),
                    }));
                }
                let mut keyed = probed();
                key_state(&mut keyed, "Disabled");
                s.probes.key = keyed.probes.key.map(|key| KeyProbe {
                    source: KeySource::BucketDefaultEncryption,
                    ..key
                });
            },
            &[R::Channels, R::DefaultEncryption],
        ),
        row(
            C::KeyPendingDeletion,
            service_pipeline,
            |s, _| key_state(s, "PendingDeletion"),
            &[R::Channels, R::KeyMetadata],
        ),
        row(
            C::KeyOtherRegion,
            service_pipeline,
            |s, _| {
                if let Some(bucket) = s.probes.bucket.as_mut() {
                    bucket.existence = Observed::Read(BucketExistence::Exists {
                        region: Some("eu-west-1".into()),
                    });
                }
            },
            &[R::Channels, R::KeyMetadata, R::BucketExistence],
        ),
        row(
            C::KeyPolicyDeniesDelivery,
            service_pipeline,
            |s, _| {
                if let Some(key) = s.probes.key.as_mut() {
                    key.policy = Observed::Read(
                        KEY_POLICY.replace(r#""kms:Decrypt","kms:GenerateDataKey""#, r#""kms:Decrypt""#),
                    );
                }
            },
            &[
                R::Channels,
                R::Recorders,
                R::KeyMetadata,
                R::KeyPolicy,
                R::NoRoleArn,
            ],
        ),
        row(
            C::ScpDeniesDelivery,
            role_pipeline,
            |s, _| {
                let deny = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"s3:PutObject","Resource":"*"}]}"#;
                s.probes.scp_levels = Some(Observed::Read(vec![
                    level("r-root", ALLOW_ALL),
                    level(MEMBER, deny),
                ]));
            },
            &[
                R::Recorders,
                R::Scps,
                R::RolePolicies,
                R::RoleBoundary,
                R::BucketPolicy,
                R::BucketOwner,
                R::NoRoleArn,
            ],
        ),
        row(
            C::RcpDeniesDelivery,
            service_pipeline,
            |s, _| {
                let deny = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},{"Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"*"}]}"#;
                s.probes.rcp_levels.insert(
                    ARCHIVE.into(),
                    Observed::Read(vec![level("r-root", RCP_FULL), level(ARCHIVE, deny)]),
                );
            },
            &[R::Rcps, R::BucketPolicy, R::BucketOwner],
        ),
        // A bucket policy that admits Config by the Organization: its ID decides.
        row(
            C::BucketPolicyDeniesDelivery,
            organization_pipeline,
            |s, _| {
                s.probes.organization_id = Some(Observed::Read(Some("o-other".into())));
            },
            &[R::Organization, R::BucketPolicy],
        ),
        row(
            C::ProbeUnverified,
            service_pipeline,
            |s, _| {
                if let Some(bucket) = s.probes.bucket.as_mut() {
                    bucket.policy = Observed::Read(Some("{not json".into()));
                }
            },
            &[
                R::Channels,
                R::BucketExistence,
                R::BucketPolicy,
                R::ObjectLock,
                R::KeyMetadata,
                R::KeyPolicy,
                R::Rcps,
                R::Trails,
                R::TrailRecording,
            ],
        ),
        row(
            C::EventPathBlind,
            service_pipeline,
            |s, _| {
                s.probes.event_path = Some(Observed::Read(vec![]));
            },
            &[R::Trails, R::TrailRecording],
        ),
    ]
}

fn judged(snapshot: &Snapshot, params: &RuleParameters) -> RegionVerdict {
    judge_snapshot(snapshot, params)
}

fn account(region: RegionVerdict) -> AccountVerdict {
    AccountVerdict::new(OrgAccount::unnamed(&region.account_id), vec![region])
}

/// Nothing that rests on an unread check: no Security Hub resolution, no "fixed", no recovery.
fn assert_nothing_rests_on(check: CheckId, broken: &RegionVerdict, now: &RegionVerdict, what: &str) {
    assert!(
        now.outcomes.passed().get(check).is_none(),
        "{what}: {} passed: {:?}",
        check.id(),
        now.findings
    );
    let to = Destination {
        partition: "aws",
        account_id: &now.account_id,
        region: &now.region,
    };
    let open = BTreeMap::from([(to.finding_id(check), "2026-01-01T00:00:00Z".to_owned())]);
    let plan = import_plan(now, "aws", &open, Timestamp::now());
    assert!(
        !plan
            .findings
            .iter()
            .any(|f| f.id == to.finding_id(check) && f.record_state == "ARCHIVED"),
        "{what}: Security Hub finding of {} resolved",
        check.id()
    );
    let before = [account(broken.clone())];
    let after = account(now.clone());
    let changes = compare(
        &before,
        "then",
        &clusters(&[&before[0]]),
        &[&after],
        &clusters(&[&after]),
    );
    assert!(changes.fixed.is_empty(), "{what}: {} called fixed", check.id());
    if now.verdict.compliance == Compliance::Compliant {
        let mut evaluations = vec![Evaluation::for_account(
            MEMBER,
            now.verdict.clone(),
            Timestamp::now(),
        )];
        let held = [StoredResult {
            resource_type: ACCOUNT_RESOURCE_TYPE.into(),
            resource_id: MEMBER.into(),
            compliance: "NON_COMPLIANT".into(),
            annotation: broken.verdict.annotation.clone(),
            ordering_timestamp: Timestamp::from_epoch_millis(0),
        }];
        let unread: BTreeMap<String, String> = now
            .unread_evidence()
            .map(|text| (MEMBER.to_owned(), text))
            .into_iter()
            .collect();
        let count = hold_unconfirmed_recoveries(&mut evaluations, Held::Known(&held), &unread);
        assert_eq!(
            count,
            1,
            "{what}: a recovery announced with {} not evaluated",
            check.id()
        );
    }
}

#[test]
fn every_check_passes_only_on_evidence_that_was_read() {
    let mut covered = Vec::new();
    let mut cases = 0;
    for row in rows() {
        let mut healthy_snapshot = healthy();
        (row.pipeline)(&mut healthy_snapshot);
        let params = RuleParameters::default();
        let whole = judged(&healthy_snapshot, &params);
        assert!(
            matches!(whole.outcomes.of(row.check, &whole.findings), Outcome::Passed(_)),
            "{} does not pass on its healthy pipeline: {:?} {:?}",
            row.check.id(),
            whole.findings,
            whole.outcomes.of(row.check, &whole.findings)
        );
        let mut broken_snapshot = healthy_snapshot.clone();
        let mut broken_params = params.clone();
        (row.breaks)(&mut broken_snapshot, &mut broken_params);
        let broken = judged(&broken_snapshot, &broken_params);
        assert!(
            broken.findings.iter().any(|f| f.check == row.check),
            "{}: the break does not fail it: {:?}",
            row.check.id(),
            broken.findings
        );
        covered.push(row.check);
        for read in row.reads {
            let faults: &[Fault] = if read.is_answer_shape() {
                &[Fault::Incomplete]
            } else {
                &FAULTS
            };
            for fault in faults {
                let mut faulted = healthy_snapshot.clone();
                assert!(
                    read.apply(&mut faulted, *fault),
                    "{read:?} is not in {}'s pipeline",
                    row.check.id()
                );
                let now = judged(&faulted, &broken_params);
                let what = format!("{read:?} {fault:?}");
                assert_nothing_rests_on(row.check, &broken, &now, &what);
                cases += 1;
            }
        }
    }
    // Checks that never come from a snapshot's reads: a snapshot exists, so they passed; without
    // one (the role, the Regions, the deadline, the event, the parameters) nothing passed.
    let without_snapshot = [
        CheckId::MalformedEvent,
        CheckId::InvalidParameters,
        CheckId::AuditRoleUnassumable,
        CheckId::RegionsUnreadable,
        CheckId::DeadlineReached,
    ];
    for check in without_snapshot {
        let mut broken = unjudged(MEMBER, "us-east-1", Finding::new(check, "cannot verify"));
        broken.observed_at = Timestamp::from_epoch_millis(0);
        for other in CheckId::ALL {
            assert!(
                broken.outcomes.passed().get(other).is_none(),
                "{} passed without a snapshot",
                other.id()
            );
        }
        covered.push(check);
    }
    for check in CheckId::ALL {
        assert!(covered.contains(&check), "{} has no row", check.id());
    }
    assert!(cases > 300, "{cases}");
}

#[test]
fn a_pipeline_read_in_full_passes_every_check() {
    let mut snapshot = healthy();
    service_pipeline(&mut snapshot);
    let judged = judged(&snapshot, &RuleParameters::default());
    assert!(judged.findings.is_empty(), "{:?}", judged.findings);
    assert_eq!(
        judged.outcomes.passed().len(),
        CheckId::ALL.len(),
        "{:?}",
        judged.outcomes.not_evaluated()
    );
    let mut snapshot = healthy();
    role_pipeline(&mut snapshot);
    let judged = judge_snapshot(&snapshot, &RuleParameters::default());
    assert!(judged.findings.is_empty(), "{:?}", judged.findings);
    assert_eq!(
        judged.outcomes.passed().len(),
        CheckId::ALL.len(),
        "{:?}",
        judged.outcomes.not_evaluated()
    );
}

#[test]
fn no_path_leaves_a_check_undecided() {
    // Whatever is faulted, every check is decided by some part of the checks: passed, failed, or
    // not evaluated with a reason; "not run" would mean a path nothing covers.
    for row in rows() {
        let mut base = healthy();
        (row.pipeline)(&mut base);
        for read in row.reads {
            let mut faulted = base.clone();
            read.apply(&mut faulted, Fault::Incomplete);
            let judged = judge_snapshot(&faulted, &RuleParameters::default());
            for (check, why) in judged.outcomes.not_evaluated() {
                assert_ne!(
                    *why,
                    super::NotEvaluated::NotRun,
                    "{} not run with {read:?} faulted",
                    check.id()
                );
            }
        }
    }
}
