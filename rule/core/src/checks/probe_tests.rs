//! The probe checks (resources and access) and how they combine with the delivery status.

use super::fixtures::{hours_ago, probed};
use super::run_checks;
use crate::checks::{CheckId, Finding};
use crate::parameters::RuleParameters;
use crate::snapshot::probes::*;
use crate::snapshot::{FailureKind, Observed, Recorder, Snapshot, Unreadable};
use crate::verdict::{Compliance, judge};

fn ids(findings: &[Finding]) -> Vec<&'static str> {
    findings.iter().map(|f| f.check.id()).collect()
}

fn run(snapshot: &Snapshot) -> Vec<Finding> {
    run_checks(snapshot, &RuleParameters::default())
}

fn bucket(snapshot: &mut Snapshot) -> &mut BucketProbe {
    snapshot.probes.bucket.as_mut().unwrap()
}

fn key(snapshot: &mut Snapshot) -> &mut KeyProbe {
    snapshot.probes.key.as_mut().unwrap()
}

fn denied() -> Unreadable {
    Unreadable {
        call: "GetBucketPolicy".into(),
        kind: FailureKind::AccessDenied,
        code: Some("AccessDenied".into()),
        message: "no".into(),
    }
}

fn customer_role(snapshot: &mut Snapshot, policies: &[&str], scps: Option<Vec<PolicyLevel>>) {
    let arn = "arn:aws:iam::111111111111:role/config-recorder";
    if let Observed::Read(recorders) = &mut snapshot.recorders {
        recorders[0] = Recorder {
            name: "default".into(),
            role_arn: Some(arn.into()),
            recording_scope: None,
        };
    }
    snapshot.probes.recorder_role = Some(RoleProbe {
        arn: arn.into(),
        policies: Observed::Read(
            policies
                .iter()
                .enumerate()
                .map(|(i, d)| PolicyDocument {
                    name: format!("p{i}"),
                    document: (*d).into(),
                })
                .collect(),
        ),
        boundary: Observed::Read(None),
    });
    snapshot.probes.scp_levels = scps.map(Observed::Read);
}

#[test]
fn the_documented_policies_let_config_deliver() {
    assert!(run(&probed()).is_empty(), "{:?}", run(&probed()));
}

#[test]
fn an_explicit_deny_for_config_is_named_and_latent_while_delivery_works() {
    let mut snapshot = probed();
    let policy = super::fixtures::BUCKET_POLICY.replace(
        r#"{"Sid":"DenyInsecureTransport""#,
        r#"{"Sid":"DenyConfig","Effect":"Deny","Principal":{"Service":"config.amazonaws.com"},"Action":"s3:PutObject","Resource":"*"},
           {"Sid":"DenyInsecureTransport""#,
    );
    bucket(&mut snapshot).policy = Observed::Read(Some(policy));
    let findings = run(&snapshot);
    assert_eq!(ids(&findings), ["bucket.policy-denies-delivery"]);
    assert!(
        findings[0]
            .message
            .starts_with("latent: config.amazonaws.com cannot s3:PutObject"),
        "{}",
        findings[0].message
    );
    assert_eq!(
        findings[0].evidence.get("denied_by").unwrap(),
        "bucket policy statement 2 (DenyConfig)"
    );
    assert_eq!(judge(&findings).compliance, Compliance::NonCompliant);
}

#[test]
fn a_policy_for_another_account_only_suggests_the_missing_statement() {
    let mut snapshot = probed();
    let other = super::fixtures::BUCKET_POLICY.replace("111111111111", "333333333333");
    bucket(&mut snapshot).policy = Observed::Read(Some(other));
    let findings = run(&snapshot);
    assert_eq!(
        ids(&findings),
        ["bucket.policy-denies-delivery", "bucket.policy-denies-delivery"]
    );
    let suggestion = findings[0].evidence.get("suggested_statement").unwrap();
    assert!(
        suggestion.contains(
            r#""Resource":"arn:aws:s3:::central-config-logs/o-abc123/AWSLogs/111111111111/Config/*""#
        )
    );
    assert!(
        serde_json::from_str::<serde_json::Value>(suggestion).is_ok(),
        "valid JSON: {suggestion}"
    );
}

#[test]
fn with_a_failing_delivery_the_probe_is_the_cause() {
    let mut snapshot = probed();
    bucket(&mut snapshot).existence = Observed::Read(BucketExistence::Missing);
    if let Observed::Read(statuses) = &mut snapshot.delivery_channel_statuses {
        let info = statuses[0].snapshot.as_mut().unwrap();
        info.last_status = Some("Failure".into());
        info.last_error_code = Some("NoSuchBucket".into());
    }
    let findings = run(&snapshot);
    assert_eq!(
        ids(&findings),
        ["channel.snapshot-delivery-failure", "bucket.missing"]
    );
    assert_eq!(
        findings[1].message,
        "cause: bucket central-config-logs does not exist"
    );
}

fn failing_with(snapshot: &mut Snapshot, code: &str) {
    if let Observed::Read(statuses) = &mut snapshot.delivery_channel_statuses {
        let info = statuses[0].snapshot.as_mut().unwrap();
        info.last_status = Some("Failure".into());
        info.last_error_code = Some(code.into());
    }
}

#[test]
fn a_failure_no_probe_explains_keeps_its_error_code_and_says_so() {
    let mut snapshot = probed();
    failing_with(&mut snapshot, "AccessDenied");
    let findings = run(&snapshot);
    assert_eq!(ids(&findings), ["channel.snapshot-delivery-failure"]);
    assert!(
        findings[0]
            .message
            .starts_with("snapshot delivery failing: AccessDenied")
            && findings[0].message.ends_with(
                "; no probe finds the cause: outside what the rule reads, or repaired since the last attempt"
            ),
        "{}",
        findings[0].message
    );
    assert_eq!(
        findings[0].evidence.get("cause").unwrap(),
        "not found by any probe"
    );
    assert_eq!(judge(&findings).compliance, Compliance::NonCompliant);
}

#[test]
fn no_probe_finding_proves_nothing_when_a_probe_was_not_read() {
    let mut snapshot = probed();
    failing_with(&mut snapshot, "AccessDenied");
    bucket(&mut snapshot).policy = Observed::Unreadable(denied());
    let findings = run(&snapshot);
    assert_eq!(
        ids(&findings),
        ["channel.snapshot-delivery-failure", "probe.unverified"]
    );
    assert!(
        !findings[0].message.contains("no probe finds"),
        "{}",
        findings[0].message
    );
    assert!(!findings[0].evidence.contains_key("cause"));

    let mut unprobed = super::fixtures::healthy();
    failing_with(&mut unprobed, "AccessDenied");
    let findings = run(&unprobed);
    assert!(
        !findings[0].message.contains("no probe finds"),
        "{}",
        findings[0].message
    );
}

#[test]
fn object_lock_default_retention_is_reported() {
    let mut snapshot = probed();
    bucket(&mut snapshot).object_lock_retention = Observed::Read(Some(ObjectLockRetention {
        mode: "GOVERNANCE".into(),
        days: Some(30),
        years: None,
    }));
    let findings = run(&snapshot);
    assert_eq!(ids(&findings), ["bucket.object-lock-retention"]);
    assert!(findings[0].message.contains("(GOVERNANCE 30 days)"));
}

#[test]
fn key_states() {
    let mut snapshot = probed();
    key(&mut snapshot).metadata = Observed::Read(KeyMetadata {
        arn: None,
        key_state: "PendingDeletion".into(),
        deletion_date: Some(hours_ago(-72)),
        key_manager: None,
    });
    let findings = run(&snapshot);
    assert_eq!(ids(&findings), ["key.pending-deletion"]);
    assert!(
        findings[0]
            .message
            .ends_with("is scheduled for deletion on 2026-01-04T00:00:00Z"),
        "{}",
        findings[0].message
    );

    key(&mut snapshot).metadata = Observed::Read(KeyMetadata {
        arn: None,
        key_state: "Disabled".into(),
        deletion_date: None,
        key_manager: None,
    });
    assert_eq!(ids(&run(&snapshot)), ["key.disabled"]);

    key(&mut snapshot).metadata = Observed::Unreadable(Unreadable {
        call: "DescribeKey".into(),
        kind: FailureKind::Rejected,
        code: Some("NotFoundException".into()),
        message: "gone".into(),
    });
    assert_eq!(ids(&run(&snapshot)), ["key.missing"]);

    let mut snapshot = probed();
    key(&mut snapshot).arn = "arn:aws:kms:eu-west-1:222222222222:key/k-1".into();
    assert!(ids(&run(&snapshot)).contains(&"key.other-region"));
}

#[test]
fn a_key_policy_without_generate_data_key() {
    let mut snapshot = probed();
    key(&mut snapshot).policy = Observed::Read(
        super::fixtures::KEY_POLICY.replace(r#""kms:Decrypt","kms:GenerateDataKey""#, r#""kms:Decrypt""#),
    );
    let findings = run(&snapshot);
    assert_eq!(ids(&findings), ["key.policy-denies-delivery"]);
    assert!(findings[0].message.contains("kms:GenerateDataKey"));
}

#[test]
fn a_customer_role_needs_its_own_grants_and_scps_can_deny_it() {
    let allow_all =
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["s3:*","kms:*"],"Resource":"*"}}"#;
    let only_acl = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetBucketAcl","Resource":"*"}}"#;
    let mut snapshot = probed();
    // Same-account bucket and key, so the role path is the only one.
    bucket(&mut snapshot).owner_account = Some("111111111111".into());
    key(&mut snapshot).arn = "arn:aws:kms:us-east-1:111111111111:key/k-1".into();
    key(&mut snapshot).policy =
        Observed::Read(super::fixtures::KEY_POLICY.replace("222222222222", "111111111111"));
    customer_role(&mut snapshot, &[allow_all], None);
    assert!(run(&snapshot).is_empty(), "{:?}", run(&snapshot));

    customer_role(&mut snapshot, &[only_acl], None);
    let findings = run(&snapshot);
    assert_eq!(
        ids(&findings),
        [
            "role.denies-delivery",
            "role.denies-delivery",
            "role.denies-delivery"
        ]
    );
    assert!(
        findings[0]
            .message
            .contains("recorder role config-recorder cannot s3:PutObject")
    );

    let full = PolicyDocument {
        name: "FullAWSAccess".into(),
        document: r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#
            .into(),
    };
    let deny = PolicyDocument {
        name: "deny-put".into(),
        document:
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"s3:PutObject","Resource":"*"}}"#
                .into(),
    };
    let levels = vec![
        PolicyLevel {
            target: "r-root".into(),
            policies: vec![full.clone()],
        },
        PolicyLevel {
            target: "ou-1".into(),
            policies: vec![full.clone(), deny],
        },
        PolicyLevel {
            target: "111111111111".into(),
            policies: vec![full],
        },
    ];
    customer_role(&mut snapshot, &[allow_all], Some(levels));
    let findings = run(&snapshot);
    assert_eq!(ids(&findings), ["organization.scp-denies-delivery"]);
    assert_eq!(
        findings[0].evidence.get("denied_by").unwrap(),
        "deny-put statement 0"
    );
}

#[test]
fn unreadable_probes_are_said_but_fail_only_when_strict() {
    let mut snapshot = probed();
    bucket(&mut snapshot).policy = Observed::Unreadable(denied());
    let findings = run(&snapshot);
    assert_eq!(ids(&findings), ["probe.unverified"]);
    let verdict = judge(&findings);
    assert_eq!(verdict.compliance, Compliance::Compliant);
    assert!(
        verdict
            .annotation
            .unwrap()
            .contains("unverified: bucket policy (GetBucketPolicy access denied AccessDenied)")
    );

    let strict = RuleParameters {
        strict_probes: true,
        ..RuleParameters::default()
    };
    assert_eq!(
        judge(&run_checks(&snapshot, &strict)).compliance,
        Compliance::NonCompliant
    );
}

#[test]
fn an_unparsable_policy_is_unverified_never_allowed() {
    let mut snapshot = probed();
    bucket(&mut snapshot).policy = Observed::Read(Some(
        r#"{"Statement":[{"Effect":"Deny","Action":"*","Condition":{"Weird":{"a":"b"}}}]}"#.into(),
    ));
    let findings = run(&snapshot);
    assert_eq!(ids(&findings), ["probe.unverified"]);
    assert!(
        findings[0]
            .evidence
            .get("error")
            .unwrap()
            .contains("unknown condition operator 'Weird'")
    );
}

#[test]
fn an_rcp_on_the_bucket_owner_can_deny_the_service_principal() {
    let mut snapshot = probed();
    let full = PolicyDocument {
        name: "RCPFullAWSAccess".into(),
        document: r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}}"#.into(),
    };
    let org_only = PolicyDocument {
        name: "enforce-source-org".into(),
        document: r#"{"Version":"2012-10-17","Statement":{"Sid":"OrgOnly","Effect":"Deny","Principal":"*","Action":"s3:*",
            "Resource":"*","Condition":{"StringNotEqualsIfExists":{"aws:SourceOrgID":"o-abc123"},
            "Bool":{"aws:PrincipalIsAWSService":"true"}}}}"#
            .into(),
    };
    let levels = vec![PolicyLevel {
        target: "r-root".into(),
        policies: vec![full, org_only],
    }];
    snapshot
        .probes
        .rcp_levels
        .insert("222222222222".into(), Observed::Read(levels));
    let findings = run(&snapshot);
    assert_eq!(
        ids(&findings),
        [
            "organization.rcp-denies-delivery",
            "organization.rcp-denies-delivery"
        ]
    );
    assert!(
        findings[0]
            .message
            .contains("explicit Deny in RCP enforce-source-org statement 0 (OrgOnly)")
    );

    snapshot
        .probes
        .rcp_levels
        .insert("222222222222".into(), Observed::Unreadable(denied()));
    assert_eq!(ids(&run(&snapshot)), ["probe.unverified"]);
}

#[test]
fn the_accounts_organization_reaches_source_org_id_conditions() {
    // The bucket policy AWS Control Tower writes: Config's delivery must come from the Organization.
    let mut snapshot = probed();
    let org_only = super::fixtures::BUCKET_POLICY.replace(
        r#""AWS:SourceAccount":"111111111111""#,
        r#""aws:SourceOrgID":"o-abc123""#,
    );
    assert_ne!(org_only, super::fixtures::BUCKET_POLICY);
    bucket(&mut snapshot).policy = Observed::Read(Some(org_only));

    // Not read (a snapshot from before this probe), or not in an Organization: no aws:SourceOrgID.
    assert!(ids(&run(&snapshot)).contains(&"bucket.policy-denies-delivery"));
    snapshot.probes.organization_id = Some(Observed::Read(None));
    assert!(ids(&run(&snapshot)).contains(&"bucket.policy-denies-delivery"));
    // Unreadable while a policy depends on it: said, not guessed.
    snapshot.probes.organization_id = Some(Observed::Unreadable(denied()));
    assert!(ids(&run(&snapshot)).contains(&"probe.unverified"));

    // Read: PutObject is decided (Config sends aws:SourceOrgID there: Control Tower's documented
    // bucket policy relies on it); GetBucketAcl turns on it too, and for that call AWS documents
    // nothing: unverified, never a pass nor a break.
    snapshot.probes.organization_id = Some(Observed::Read(Some("o-abc123".into())));
    let findings = run(&snapshot);
    assert_eq!(ids(&findings), ["probe.unverified"]);
    assert!(
        findings[0].message.contains("s3:GetBucketAcl")
            && findings[0].message.contains("depends on aws:SourceOrgID"),
        "{}",
        findings[0].message
    );
    snapshot.probes.organization_id = Some(Observed::Read(Some("o-zzzzzz".into())));
    assert!(ids(&run(&snapshot)).contains(&"bucket.policy-denies-delivery"));

    // A policy that does not name it: an unreadable Organization changes nothing.
    let mut documented = probed();
    documented.probes.organization_id = Some(Observed::Unreadable(denied()));
    assert_eq!(ids(&run(&documented)), Vec::<&str>::new());
}

#[test]
fn a_condition_on_a_key_the_request_table_does_not_model_is_unverified() {
    // aws:SourceOrgPaths: the request-context table says nothing of it, so the rule cannot know
    // whether Config's write carries it; absent, it would read as a break, present as a pass.
    let mut snapshot = probed();
    let by_path = super::fixtures::BUCKET_POLICY.replace(
        r#""AWS:SourceAccount":"111111111111""#,
        r#""aws:SourceOrgPaths":"o-abc123/r-root/ou-1/*""#,
    );
    assert_ne!(by_path, super::fixtures::BUCKET_POLICY);
    bucket(&mut snapshot).policy = Observed::Read(Some(by_path));
    let findings = run(&snapshot);
    assert!(
        !ids(&findings).contains(&"bucket.policy-denies-delivery"),
        "{findings:?}"
    );
    assert!(
        findings
            .iter()
            .any(|f| f.check == CheckId::ProbeUnverified
                && f.message.contains("depends on aws:sourceorgpaths")),
        "{findings:?}"
    );
}
