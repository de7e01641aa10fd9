//! The writer table (`shared/reference/aws-config-delivery.md` §1) as a test table: who writes
//! (service-linked role or customer role), where (same or another account), what denies it, and
//! what the rule must say. Each row cites the documentation it follows, or says that none exists.

use super::fixtures::{BUCKET_POLICY, KEY_POLICY, probed};
use super::run_checks;
use crate::checks::Severity;
use crate::parameters::RuleParameters;
use crate::snapshot::probes::{PolicyDocument, PolicyLevel, RoleProbe};
use crate::snapshot::{Observed, Recorder, Snapshot};

const MEMBER: &str = "111111111111";
const ROLE_ARN: &str = "arn:aws:iam::111111111111:role/config-recorder";
/// The checks a break is reported under.
const ROLE: &str = "role.denies-delivery";
const SCP: &str = "organization.scp-denies-delivery";
const RCP: &str = "organization.rcp-denies-delivery";

const SLR_DOC: &str = "AWS Config Developer Guide, Permissions for the Amazon S3 Bucket / KMS key: with the service-linked role Config writes as config.amazonaws.com";
const ROLE_DOC: &str = "AWS Config Developer Guide, Permissions for the IAM Role Assigned to AWS Config: a customer role writes with its own permissions";
const RETRY_DOC: &str = "AWS Config Developer Guide, Permissions for the Amazon S3 Bucket: if the bucket policy doesn't grant WRITE access to the IAM role, AWS Config uses the config.amazonaws.com service principal";
const KEY_RETRY_DOC: &str = "reference section 1 (writer table, KMS: role, then service principal), from the AWS Config Developer Guide's KMS key policy page";
const NO_DOC: &str =
    "none: AWS documents no retry when the resource policy grants the role and something else denies it";
const SCP_DOC: &str = "AWS Organizations User Guide, SCPs: not restricted are service principals, service-linked roles and the management account";
const RCP_DOC: &str = "AWS Organizations User Guide, RCPs: service principals are restricted; service-linked roles, the management account's resources and AWS managed keys are not";

#[derive(Clone, Copy, Debug)]
enum Who {
    ServiceLinked,
    Role,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Where {
    Same,
    Cross,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum On {
    Bucket,
    Key,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Denial {
    Nothing,
    Identity,
    Boundary,
    Scp,
    Rcp,
    Resource,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Expect {
    Healthy,
    /// A documented break, at the check's own severity.
    Break(&'static str),
    /// Medium: AWS documents no retry, so delivery may or may not work.
    Undocumented(&'static str),
}

struct Cell {
    who: Who,
    at: Where,
    on: On,
    /// The resource policy grants the customer role itself.
    grants_role: bool,
    denial: Denial,
    management_account: bool,
    expect: Expect,
    source: &'static str,
}

const fn cell(who: Who, at: Where, on: On, denial: Denial, expect: Expect, source: &'static str) -> Cell {
    Cell {
        who,
        at,
        on,
        grants_role: false,
        denial,
        management_account: false,
        expect,
        source,
    }
}

fn table() -> Vec<Cell> {
    use Denial::*;
    use Expect::*;
    use On::*;
    use Where::*;
    use Who::*;
    let mut cells = Vec::new();
    for at in [Same, Cross] {
        for on in [Bucket, Key] {
            let resource = if on == Bucket {
                "bucket.policy-denies-delivery"
            } else {
                "key.policy-denies-delivery"
            };
            // The service-linked role: the service principal writes; only resource policies and RCPs apply.
            for (denial, expect, source) in [
                (Nothing, Healthy, SLR_DOC),
                (Scp, Healthy, SCP_DOC),
                (Resource, Break(resource), SLR_DOC),
                (Rcp, Break(RCP), RCP_DOC),
            ] {
                cells.push(cell(ServiceLinked, at, on, denial, expect, source));
            }
        }
    }
    for on in [Bucket, Key] {
        let retry = if on == Bucket { RETRY_DOC } else { KEY_RETRY_DOC };
        for (at, denial, expect, source) in [
            // A customer role in its own account: its own permissions decide.
            (Same, Nothing, Healthy, ROLE_DOC),
            (Same, Identity, Break(ROLE), ROLE_DOC),
            (Same, Boundary, Break(ROLE), ROLE_DOC),
            (Same, Scp, Break(SCP), SCP_DOC),
            (Same, Rcp, Break(RCP), RCP_DOC),
            // Another account's resource that does not grant the role: Config retries as the
            // service principal, which no identity policy, boundary or SCP restricts; RCPs still do.
            (Cross, Nothing, Healthy, retry),
            (Cross, Identity, Healthy, retry),
            (Cross, Boundary, Healthy, retry),
            (Cross, Scp, Healthy, retry),
            (Cross, Rcp, Break(RCP), RCP_DOC),
        ] {
            cells.push(cell(Role, at, on, denial, expect, source));
        }
        cells.push(Cell {
            management_account: true,
            ..cell(Role, Same, on, Scp, Healthy, SCP_DOC)
        });
        // Granted to the role, denied by something else: no documented retry.
        for (denial, check) in [
            (Nothing, None),
            (Identity, Some(ROLE)),
            (Boundary, Some(ROLE)),
            (Scp, Some(SCP)),
            (Rcp, Some(RCP)),
        ] {
            cells.push(Cell {
                grants_role: true,
                ..cell(
                    Role,
                    Cross,
                    on,
                    denial,
                    check.map_or(Healthy, Undocumented),
                    NO_DOC,
                )
            });
        }
    }
    cells
}

fn policy(name: &str, document: &str) -> PolicyDocument {
    PolicyDocument {
        name: name.into(),
        document: document.into(),
    }
}

fn action(on: On) -> &'static str {
    match on {
        On::Bucket => "s3:PutObject",
        On::Key => "kms:GenerateDataKey",
    }
}

fn snapshot_for(c: &Cell) -> Snapshot {
    let mut snapshot = probed();
    let owner = if c.at == Where::Same {
        MEMBER
    } else {
        "222222222222"
    };
    let denied = action(c.on);
    let mut bucket_policy = BUCKET_POLICY.to_owned();
    let mut key_policy = KEY_POLICY.replace("222222222222", owner);
    if c.grants_role {
        let (sid, grant) = match c.on {
            On::Bucket => (
                r#"{"Sid":"DenyInsecureTransport""#,
                format!(
                    r#"{{"Sid":"Role","Effect":"Allow","Principal":{{"AWS":"{ROLE_ARN}"}},"Action":["s3:PutObject","s3:GetBucketAcl"],"Resource":["arn:aws:s3:::central-config-logs","arn:aws:s3:::central-config-logs/*"]}},"#
                ),
            ),
            On::Key => (
                r#"{"Sid":"AWSConfigKMSPolicy""#,
                format!(
                    r#"{{"Sid":"Role","Effect":"Allow","Principal":{{"AWS":"{ROLE_ARN}"}},"Action":["kms:GenerateDataKey","kms:Decrypt"],"Resource":"*"}},"#
                ),
            ),
        };
        let text = if c.on == On::Bucket {
            &mut bucket_policy
        } else {
            &mut key_policy
        };
        *text = text.replace(sid, &format!("{grant}{sid}"));
    }
    if c.denial == Denial::Resource {
        let deny = format!(
            r#"{{"Sid":"NoConfig","Effect":"Deny","Principal":{{"Service":"config.amazonaws.com"}},"Action":"{denied}","Resource":"*"}},"#
        );
        match c.on {
            On::Bucket => {
                bucket_policy = bucket_policy.replace(
                    r#"{"Sid":"DenyInsecureTransport""#,
                    &format!(r#"{deny}{{"Sid":"DenyInsecureTransport""#),
                );
            }
            On::Key => {
                key_policy = key_policy.replace(
                    r#"{"Sid":"AWSConfigKMSPolicy""#,
                    &format!(r#"{deny}{{"Sid":"AWSConfigKMSPolicy""#),
                );
            }
        }
    }
    if let Some(bucket) = &mut snapshot.probes.bucket {
        bucket.owner_account = Some(owner.into());
        bucket.policy = Observed::Read(Some(bucket_policy));
    }
    if let Some(key) = &mut snapshot.probes.key {
        key.arn = format!("arn:aws:kms:us-east-1:{owner}:key/k-1");
        key.policy = Observed::Read(key_policy);
    }
    if let Observed::Read(channels) = &mut snapshot.delivery_channels {
        channels[0].s3_kms_key_arn = Some(format!("arn:aws:kms:us-east-1:{owner}:key/k-1"));
    }
    let full = policy(
        "FullAWSAccess",
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#,
    );
    let deny_doc = |principal: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":{{"Sid":"No","Effect":"Deny",{principal}"Action":"{denied}","Resource":"*"}}}}"#
        )
    };
    if let Who::Role = c.who {
        if let Observed::Read(recorders) = &mut snapshot.recorders {
            recorders[0] = Recorder {
                name: "default".into(),
                role_arn: Some(ROLE_ARN.into()),
                recording_scope: None,
            };
        }
        // Everything the role needs except the one action denied.
        let all_but_denied = match c.on {
            On::Bucket => {
                r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["s3:GetBucketAcl","kms:*"],"Resource":"*"}}"#
            }
            On::Key => {
                r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["s3:*","kms:Decrypt"],"Resource":"*"}}"#
            }
        };
        let identity = if c.denial == Denial::Identity {
            all_but_denied
        } else {
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["s3:*","kms:*"],"Resource":"*"}}"#
        };
        snapshot.probes.recorder_role = Some(RoleProbe {
            arn: ROLE_ARN.into(),
            policies: Observed::Read(vec![policy("delivery", identity)]),
            boundary: Observed::Read(
                (c.denial == Denial::Boundary).then(|| policy("boundary", all_but_denied)),
            ),
        });
    }
    let scp_levels = vec![
        PolicyLevel {
            target: "r-root".into(),
            policies: vec![full.clone()],
        },
        PolicyLevel {
            target: MEMBER.into(),
            policies: if c.denial == Denial::Scp {
                vec![full.clone(), policy("deny", &deny_doc(""))]
            } else {
                vec![full.clone()]
            },
        },
    ];
    snapshot.probes.scp_levels = match c.who {
        Who::Role => Some(Observed::Read(scp_levels)),
        Who::ServiceLinked if c.denial == Denial::Scp => Some(Observed::Read(scp_levels)),
        Who::ServiceLinked => None,
    };
    let rcp_full = policy(
        "RCPFullAWSAccess",
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}}"#,
    );
    let mut rcps = vec![rcp_full];
    if c.denial == Denial::Rcp {
        rcps.push(policy("deny", &deny_doc(r#""Principal":"*","#)));
    }
    snapshot.probes.rcp_levels.clear();
    snapshot.probes.rcp_levels.insert(
        owner.into(),
        Observed::Read(vec![PolicyLevel {
            target: "r-root".into(),
            policies: rcps,
        }]),
    );
    snapshot.probes.organization_id = Some(Observed::Read(Some("o-abc123".into())));
    snapshot.probes.management_account = Some(
        if c.management_account {
            MEMBER
        } else {
            "100000000000"
        }
        .into(),
    );
    snapshot
}

#[test]
fn every_cell_of_the_writer_table_says_what_aws_documents() {
    let mut wrong = Vec::new();
    for c in table() {
        let snapshot = snapshot_for(&c);
        let findings = run_checks(&snapshot, &RuleParameters::default());
        let got = match findings.as_slice() {
            [] => Expect::Healthy,
            [only]
                if only.severity == Severity::Medium
                    && only.evidence.get("retry").is_some_and(|r| r == "undocumented") =>
            {
                Expect::Undocumented(only.check.id())
            }
            [only] => Expect::Break(only.check.id()),
            more => {
                wrong.push(format!(
                    "{:?} {:?} {:?} {:?}: several findings {:?}",
                    c.who,
                    c.at,
                    c.on,
                    c.denial,
                    more.iter()
                        .map(|f| (f.check.id(), &f.message))
                        .collect::<Vec<_>>()
                ));
                continue;
            }
        };
        if got != c.expect {
            wrong.push(format!(
                "{:?} {:?} {:?} {:?} grants_role={} management={}: expected {:?}, got {:?} {:?} ({})",
                c.who,
                c.at,
                c.on,
                c.denial,
                c.grants_role,
                c.management_account,
                c.expect,
                got,
                findings.iter().map(|f| &f.message).collect::<Vec<_>>(),
                c.source
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} cell(s) wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn the_table_cites_a_source_for_every_row() {
    assert!(table().len() >= 40);
    assert!(table().iter().all(|c| !c.source.is_empty()));
}
