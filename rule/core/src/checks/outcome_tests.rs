//! The ways a check used to count as passed without having run (issue 30), one test each.

use super::fixtures::{healthy, hours_ago, probed};
use super::{CheckId, NotEvaluated, Outcome, evaluate};
use crate::parameters::RuleParameters;
use crate::snapshot::probes::{BucketExistence, DefaultEncryption};
use crate::snapshot::{DeliveryChannelStatus, Observed, Snapshot};
use crate::verdict::{Compliance, judge_snapshot};

fn outcome(snapshot: &Snapshot, check: CheckId) -> Outcome {
    let checked = evaluate(snapshot, &RuleParameters::default());
    checked.outcomes.of(check, &checked.findings)
}

fn not_passed(snapshot: &Snapshot, checks: &[CheckId]) {
    let judged = judge_snapshot(snapshot, &RuleParameters::default());
    for check in checks {
        assert!(
            judged.outcomes.passed().get(*check).is_none(),
            "{} passed: {:?}",
            check.id(),
            judged.findings
        );
    }
}

fn status(snapshot: &mut Snapshot) -> &mut DeliveryChannelStatus {
    match &mut snapshot.delivery_channel_statuses {
        Observed::Read(statuses) => &mut statuses[0],
        Observed::Unreadable(_) => unreachable!(),
    }
}

#[test]
fn a_recorder_role_in_another_account_is_said_and_passes_no_access_check() {
    let mut snapshot = probed();
    if let Observed::Read(recorders) = &mut snapshot.recorders {
        recorders[0].role_arn = Some("arn:aws:iam::333333333333:role/config-recorder".into());
    }
    let judged = judge_snapshot(&snapshot, &RuleParameters::default());
    let said = judged
        .findings
        .iter()
        .find(|f| f.check == CheckId::ProbeUnverified)
        .map(|f| f.message.as_str());
    assert_eq!(
        said,
        Some(
            "unverified: recorder role arn:aws:iam::333333333333:role/config-recorder is in account \
             333333333333, not 111111111111: its policies are not read"
        )
    );
    not_passed(
        &snapshot,
        &[
            CheckId::BucketPolicyDeniesDelivery,
            CheckId::KeyPolicyDeniesDelivery,
            CheckId::RoleDeniesDelivery,
            CheckId::ScpDeniesDelivery,
            CheckId::ProbeUnverified,
        ],
    );
    assert!(
        judged.unread_evidence().is_some(),
        "a recovery would be announced"
    );
}

#[test]
fn staleness_is_not_decided_while_a_delivery_fails() {
    let mut snapshot = healthy();
    let info = status(&mut snapshot).snapshot.as_mut().unwrap();
    info.last_status = Some("Failure".into());
    info.last_error_code = Some("NoSuchBucket".into());
    for check in [CheckId::DeliveryStale, CheckId::DeliveryNeverSucceeded] {
        assert_eq!(
            outcome(&snapshot, check),
            Outcome::NotEvaluated(NotEvaluated::Moot(CheckId::SnapshotDeliveryFailure))
        );
    }
}

#[test]
fn a_default_key_named_by_id_that_was_not_probed_is_said() {
    let mut snapshot = probed();
    if let Observed::Read(channels) = &mut snapshot.delivery_channels {
        channels[0].s3_kms_key_arn = None;
    }
    snapshot.probes.key = None;
    if let Some(bucket) = snapshot.probes.bucket.as_mut() {
        bucket.default_encryption = Observed::Read(Some(DefaultEncryption {
            algorithm: "aws:kms".into(),
            kms_key_id: Some("alias/config-logs".into()),
        }));
    }
    let judged = judge_snapshot(&snapshot, &RuleParameters::default());
    assert!(
        judged
            .findings
            .iter()
            .any(|f| f.message == "unverified: the bucket's default KMS key alias/config-logs was not probed"),
        "{:?}",
        judged.findings
    );
    not_passed(
        &snapshot,
        &[
            CheckId::KeyDisabled,
            CheckId::KeyMissing,
            CheckId::KeyPendingDeletion,
            CheckId::KeyPolicyDeniesDelivery,
        ],
    );
}

#[test]
fn a_customer_recorder_without_a_role_is_incomplete_not_the_service_principal() {
    let mut snapshot = probed();
    if let Observed::Read(recorders) = &mut snapshot.recorders {
        recorders[0].role_arn = None;
    }
    let judged = judge_snapshot(&snapshot, &RuleParameters::default());
    assert_eq!(judged.verdict.compliance, Compliance::NonCompliant);
    assert_eq!(
        judged.findings[0].message,
        "cannot verify: recorder 'default' names no roleARN (Config requires one), so who delivers is unknown"
    );
    for check in [
        CheckId::BucketPolicyDeniesDelivery,
        CheckId::KeyPolicyDeniesDelivery,
        CheckId::RoleDeniesDelivery,
        CheckId::ScpDeniesDelivery,
    ] {
        assert!(matches!(
            outcome(&snapshot, check),
            Outcome::NotEvaluated(NotEvaluated::Incomplete(_))
        ));
    }
}

#[test]
fn a_403_on_head_bucket_decides_nothing_about_existence() {
    let mut snapshot = probed();
    if let Some(bucket) = snapshot.probes.bucket.as_mut() {
        bucket.existence = Observed::Read(BucketExistence::Forbidden {
            region: Some("us-east-1".into()),
        });
    }
    assert!(matches!(
        outcome(&snapshot, CheckId::BucketMissing),
        Outcome::NotEvaluated(NotEvaluated::Unread(_))
    ));
    let judged = judge_snapshot(&snapshot, &RuleParameters::default());
    assert!(
        judged.findings.iter().any(|f| f
            .message
            .starts_with("unverified: bucket existence (HeadBucket access denied")),
        "{:?}",
        judged.findings
    );
}

#[test]
fn a_delivery_status_without_its_parts_or_their_status_cannot_be_verified() {
    type Change = fn(&mut DeliveryChannelStatus);
    let cases: [(&str, Change); 3] = [
        ("has no configSnapshotDeliveryInfo", |s| s.snapshot = None),
        ("has no configHistoryDeliveryInfo", |s| s.history = None),
        (
            "snapshot delivery status of channel 'default' has no lastStatus",
            |s| {
                s.snapshot.as_mut().unwrap().last_status = None;
            },
        ),
    ];
    for (said, change) in cases {
        let mut snapshot = healthy();
        change(status(&mut snapshot));
        let judged = judge_snapshot(&snapshot, &RuleParameters::default());
        assert_eq!(judged.verdict.compliance, Compliance::NonCompliant, "{said}");
        assert_eq!(judged.findings[0].check, CheckId::EvidenceIncomplete, "{said}");
        assert!(
            judged.findings[0].message.contains(said),
            "{}",
            judged.findings[0].message
        );
        assert!(judged.outcomes.passed().get(CheckId::DeliveryStale).is_none());
    }
}

#[test]
fn a_last_success_in_the_future_is_not_fresh_forever() {
    let mut snapshot = healthy();
    let parts = status(&mut snapshot);
    for info in [&mut parts.snapshot, &mut parts.history] {
        info.as_mut().unwrap().last_successful_time = Some(hours_ago(-24 * 30));
    }
    let judged = judge_snapshot(&snapshot, &RuleParameters::default());
    assert_eq!(judged.verdict.compliance, Compliance::NonCompliant);
    assert!(
        judged.findings[0]
            .message
            .starts_with("cannot verify: snapshot lastSuccessfulTime 2026-01-31T00:00:00Z of channel 'default' is after this reading"),
        "{}",
        judged.findings[0].message
    );
    // Within the clock skew Config and we may have, it is only a recent success.
    let mut snapshot = healthy();
    status(&mut snapshot)
        .snapshot
        .as_mut()
        .unwrap()
        .last_successful_time = Some(crate::checks::fixtures::NOW.plus(std::time::Duration::from_secs(60)));
    assert!(
        judge_snapshot(&snapshot, &RuleParameters::default())
            .findings
            .is_empty()
    );
}

#[test]
fn a_bucket_whose_owner_is_unknown_is_judged_for_no_role() {
    let mut snapshot = probed();
    if let Observed::Read(recorders) = &mut snapshot.recorders {
        recorders[0].role_arn = Some("arn:aws:iam::111111111111:role/config-recorder".into());
    }
    snapshot.probes.recorder_role = Some(crate::snapshot::probes::RoleProbe {
        arn: "arn:aws:iam::111111111111:role/config-recorder".into(),
        policies: Observed::Read(vec![]),
        boundary: Observed::Read(None),
    });
    snapshot.probes.scp_levels = Some(Observed::Read(vec![]));
    if let Some(bucket) = snapshot.probes.bucket.as_mut() {
        bucket.owner_account = None;
        bucket.owner_unknown = Some("HeadBucket with ExpectedBucketOwner 111111111111 answered 403".into());
    }
    let judged = judge_snapshot(&snapshot, &RuleParameters::default());
    assert!(
        judged.findings.iter().any(|f| f.message
            == "unverified: bucket owner of central-config-logs (HeadBucket with ExpectedBucketOwner 111111111111 answered 403)"),
        "{:?}",
        judged.findings
    );
    assert!(
        !judged
            .findings
            .iter()
            .any(|f| f.check == CheckId::BucketPolicyDeniesDelivery),
        "no bucket-policy gap is claimed on an assumed owner: {:?}",
        judged.findings
    );
    assert!(
        judged
            .outcomes
            .passed()
            .get(CheckId::BucketPolicyDeniesDelivery)
            .is_none()
    );
}

#[test]
fn a_standalone_account_has_no_scps_whatever_the_scp_walk_answered() {
    let mut snapshot = probed();
    let arn = "arn:aws:iam::111111111111:role/config-recorder";
    if let Observed::Read(recorders) = &mut snapshot.recorders {
        recorders[0].role_arn = Some(arn.into());
    }
    let allow =
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["s3:*","kms:*"],"Resource":"*"}}"#;
    snapshot.probes.recorder_role = Some(crate::snapshot::probes::RoleProbe {
        arn: arn.into(),
        policies: Observed::Read(vec![crate::snapshot::probes::PolicyDocument {
            name: "delivery".into(),
            document: allow.into(),
        }]),
        boundary: Observed::Read(None),
    });
    snapshot.probes.organization_id = Some(Observed::Read(None));
    snapshot.probes.scp_levels = Some(Observed::Unreadable(crate::snapshot::Unreadable {
        call: "ListPoliciesForTarget".into(),
        kind: crate::snapshot::FailureKind::AccessDenied,
        code: Some("AccessDeniedException".into()),
        message: "not in an organization".into(),
    }));
    let judged = judge_snapshot(&snapshot, &RuleParameters::default());
    assert!(
        !judged.findings.iter().any(|f| f.message.contains("SCPs")),
        "{:?}",
        judged.findings
    );
    assert!(judged.outcomes.passed().get(CheckId::ScpDeniesDelivery).is_some());
}

#[test]
fn a_policy_aws_would_not_accept_is_said_and_never_evaluated() {
    use crate::snapshot::probes::{PolicyDocument, PolicyLevel};
    let level = |document: &str| PolicyLevel {
        target: "r-root".into(),
        policies: vec![PolicyDocument {
            name: "rcp".into(),
            document: document.into(),
        }],
    };
    let mut snapshot = probed();
    // An RCP that allows: Organizations stores none but RCPFullAWSAccess (AWS Organizations User
    // Guide, "RCP syntax").
    let allows = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:PutObject","Resource":"*"}]}"#;
    snapshot
        .probes
        .rcp_levels
        .insert("222222222222".into(), Observed::Read(vec![level(allows)]));
    let judged = judge_snapshot(&snapshot, &RuleParameters::default());
    assert!(
        judged
            .findings
            .iter()
            .any(|f| f.message == "unverified: AWS would not accept this RCP rcp, so it was not evaluated"),
        "{:?}",
        judged.findings
    );
    assert!(judged.outcomes.passed().get(CheckId::RcpDeniesDelivery).is_none());
}
