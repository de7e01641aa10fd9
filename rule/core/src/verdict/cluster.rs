//! Root-cause clusters: failing account-regions grouped by the cause the probes named. Platform
//! teams fix the SCP statement, the bucket policy or the key that broke two hundred account-regions
//! once, not each of them; this says which one, with its evidence and remediation once.

use crate::checks::{CheckId, Finding, Kind, Severity};
use crate::verdict::{AccountVerdict, Compliance};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Failing account-regions that share one cause.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cluster {
    /// The check that names the cause.
    pub check: CheckId,
    /// What they share, in words: the policy and statement, bucket, key, error code.
    pub cause: String,
    /// How bad it is (the worst of the members' cause findings).
    pub severity: Severity,
    /// The first member's finding: evidence and remediation, said once.
    pub finding: Finding,
    /// How many accounts it breaks.
    pub accounts: usize,
    /// The OUs of those accounts, where known: a cause confined to one OU points at what is
    /// attached there.
    pub ous: Vec<String>,
    /// The account-regions it breaks, in account then Region order.
    pub members: Vec<ClusterMember>,
}

/// One account-region of a cluster.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ClusterMember {
    /// The account.
    pub account_id: String,
    /// Its name, where the Organization said it.
    pub account_name: String,
    /// Its OU path, where the Organization said it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ou: Option<String>,
    /// The Region (`*` when the account could not be entered).
    pub region: String,
}

/// Every failing account-region in exactly one cluster, the largest first (then the most severe).
/// A region whose failures an exception accepts is no root cause to act on: it is left out.
pub fn clusters(accounts: &[&AccountVerdict]) -> Vec<Cluster> {
    let mut grouped: BTreeMap<(CheckId, String), Cluster> = BTreeMap::new();
    for account in accounts {
        for region in &account.regions {
            if region.verdict.compliance != Compliance::NonCompliant || region.is_accepted() {
                continue;
            }
            let Some(finding) = leading_cause(&region.findings) else {
                continue;
            };
            let cause = shared_cause(finding);
            let cluster = grouped
                .entry((finding.check, cause.clone()))
                .or_insert_with(|| Cluster {
                    check: finding.check,
                    cause,
                    severity: finding.severity,
                    finding: finding.clone(),
                    accounts: 0,
                    ous: Vec::new(),
                    members: Vec::new(),
                });
            cluster.severity = cluster.severity.min(finding.severity);
            cluster.members.push(ClusterMember {
                account_id: account.account.id.clone(),
                account_name: account.account.name.clone(),
                ou: account.account.ou.clone(),
                region: region.region.clone(),
            });
        }
    }
    let mut clusters: Vec<Cluster> = grouped
        .into_values()
        .map(|mut c| {
            c.members.sort();
            let mut ids: Vec<&str> = c.members.iter().map(|m| m.account_id.as_str()).collect();
            ids.dedup();
            c.accounts = ids.len();
            let mut ous: Vec<String> = c.members.iter().filter_map(|m| m.ou.clone()).collect();
            ous.sort();
            ous.dedup();
            c.ous = ous;
            c
        })
        .collect();
    clusters.sort_by(|a, b| {
        b.members
            .len()
            .cmp(&a.members.len())
            .then(a.severity.cmp(&b.severity))
            .then(a.check.cmp(&b.check))
            .then(a.cause.cmp(&b.cause))
    });
    clusters
}

/// The largest cause in words, for the watchdog's annotation: "largest root cause:
/// organization.scp-denies-delivery (denied by p-... DenyWrites) breaks 12 of 37 account(s)".
pub fn headline(clusters: &[Cluster], accounts: usize) -> Option<String> {
    let largest = clusters.first()?;
    let more = match clusters.len() {
        1 => String::new(),
        n => format!("; {} other cause(s)", n - 1),
    };
    Some(format!(
        "largest root cause: {} ({}) breaks {} of {accounts} account(s){more}",
        largest.check.id(),
        largest.cause,
        largest.accounts
    ))
}

/// The finding that explains the failure: a root cause a probe found, else the symptom Config
/// reports (its error code), else why it could not be verified. Findings come most important first.
fn leading_cause(findings: &[Finding]) -> Option<&Finding> {
    let failing = |kind: Kind| {
        findings
            .iter()
            .find(|f| f.severity != Severity::Info && f.check.row().kind == kind)
    };
    failing(Kind::Cause)
        .or_else(|| failing(Kind::Symptom))
        .or_else(|| failing(Kind::Unverified))
        .or_else(|| findings.first())
}

/// What members of one cluster have in common, free of anything particular to one account.
fn shared_cause(finding: &Finding) -> String {
    let evidence = |key: &str| finding.evidence.get(key);
    let said = match finding.check {
        // A bucket or key policy is the resource's own: statement 4 of two buckets is two causes.
        // An SCP, an RCP or a role policy deployed everywhere is one, whatever each account's folder.
        CheckId::BucketPolicyDeniesDelivery | CheckId::KeyPolicyDeniesDelivery => {
            let resource = evidence("resource").map(resource_root);
            match (evidence("denied_by"), resource) {
                (Some(deny), Some(resource)) => Some(format!("denied by {deny} on {resource}")),
                (None, Some(resource)) => Some(format!(
                    "nothing allows {} on {resource}",
                    evidence("action").unwrap_or("delivery")
                )),
                (deny, None) => deny.map(|d| format!("denied by {d}")),
            }
        }
        CheckId::RoleDeniesDelivery | CheckId::ScpDeniesDelivery | CheckId::RcpDeniesDelivery => {
            evidence("denied_by")
                .map(|deny| format!("denied by {deny}"))
                .or_else(|| {
                    let action = evidence("action")?;
                    let resource = evidence("resource")?;
                    Some(format!("nothing allows {action} on {}", resource_root(resource)))
                })
        }
        CheckId::BucketMissing | CheckId::BucketObjectLockRetention => evidence("bucket").map(str::to_owned),
        CheckId::KeyMissing
        | CheckId::KeyDisabled
        | CheckId::KeyPendingDeletion
        | CheckId::KeyOtherRegion => evidence("key").map(str::to_owned),
        CheckId::SnapshotDeliveryFailure
        | CheckId::HistoryDeliveryFailure
        | CheckId::StreamDeliveryFailure => Some(match (evidence("last_error_code"), evidence("bucket")) {
            (Some(code), Some(bucket)) => format!("{code} delivering to {bucket}"),
            (Some(code), None) => code.to_owned(),
            (None, _) => "no error code".to_owned(),
        }),
        CheckId::RecorderMissing | CheckId::RecorderServiceLinkedOnly => Some("AWS Config is off".to_owned()),
        // The rest (unread evidence, a stopped recorder, staleness) cluster by the check alone.
        _ => None,
    };
    said.unwrap_or_else(|| finding.check.row().title.to_owned())
}

/// The bucket of an object ARN (`arn:aws:s3:::bucket/AWSLogs/<account>/...`): the account's own
/// folder is not what the members share.
fn resource_root(resource: &str) -> &str {
    if resource.starts_with("arn:") && resource.contains(":s3:::") {
        resource.split('/').next().unwrap_or(resource)
    } else {
        resource
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::OrgAccount;
    use crate::timestamp::Timestamp;
    use crate::verdict::RegionVerdict;

    fn account(id: &str, regions: Vec<(&str, Vec<Finding>)>) -> AccountVerdict {
        let regions = regions
            .into_iter()
            .map(|(region, findings)| RegionVerdict::new(id, region, Timestamp::now(), findings))
            .collect();
        AccountVerdict::new(OrgAccount::unnamed(id), regions)
    }

    fn scp_denial(account: &str) -> Vec<Finding> {
        vec![
            Finding::new(
                CheckId::SnapshotDeliveryFailure,
                "snapshot delivery failing: AccessDenied",
            )
            .with("last_error_code", "AccessDenied")
            .with("bucket", "central-logs"),
            Finding::new(
                CheckId::ScpDeniesDelivery,
                "cause: an SCP denies the recorder role",
            )
            .with("denied_by", "p-1234abcd DenyS3Writes")
            .with(
                "resource",
                format!("arn:aws:s3:::central-logs/AWSLogs/{account}/Config/x"),
            ),
        ]
    }

    #[test]
    fn members_broken_by_one_scp_statement_are_one_cluster_largest_first() {
        let accounts = [
            account(
                "111111111111",
                vec![
                    ("us-east-1", scp_denial("111111111111")),
                    ("eu-west-1", scp_denial("111111111111")),
                ],
            ),
            account(
                "222222222222",
                vec![("us-east-1", scp_denial("222222222222")), ("eu-west-1", vec![])],
            ),
            account(
                "333333333333",
                vec![(
                    "us-east-1",
                    vec![Finding::new(CheckId::KeyDisabled, "cause: key disabled").with("key", "arn:k")],
                )],
            ),
            account("444444444444", vec![("us-east-1", vec![])]),
        ];
        let found = clusters(&accounts.iter().collect::<Vec<_>>());
        assert_eq!(found.len(), 2, "{found:#?}");
        let scp = &found[0];
        assert_eq!(scp.check, CheckId::ScpDeniesDelivery);
        assert_eq!(scp.cause, "denied by p-1234abcd DenyS3Writes");
        assert_eq!((scp.members.len(), scp.accounts), (3, 2));
        assert_eq!(scp.members[0].region, "eu-west-1");
        assert_eq!(found[1].cause, "arn:k");
        assert_eq!(found[1].members.len(), 1);
        assert_eq!(
            headline(&found, accounts.len()).as_deref(),
            Some(
                "largest root cause: organization.scp-denies-delivery (denied by p-1234abcd DenyS3Writes) breaks 2 of 4 account(s); 1 other cause(s)"
            )
        );
        assert_eq!(headline(&[], 4), None);
    }

    #[test]
    fn each_failing_account_region_is_in_exactly_one_cluster() {
        let stale = || vec![Finding::new(CheckId::DeliveryStale, "no delivery for 3 days")];
        let off = || {
            vec![Finding::new(
                CheckId::RecorderMissing,
                "no configuration recorder",
            )]
        };
        let unread = || {
            vec![Finding::new(
                CheckId::AuditRoleUnassumable,
                "cannot verify: cannot assume",
            )]
        };
        let accounts = [
            account("1", vec![("a", stale()), ("b", off())]),
            account("2", vec![("a", off()), ("b", unread())]),
            account(
                "3",
                vec![
                    ("a", unread()),
                    ("b", vec![Finding::new(CheckId::ProbeUnverified, "probe")]),
                ],
            ),
        ];
        let found = clusters(&accounts.iter().collect::<Vec<_>>());
        let members: usize = found.iter().map(|c| c.members.len()).sum();
        assert_eq!(
            members, 5,
            "the compliant region (an unverified probe) is in none"
        );
        let causes: Vec<&str> = found.iter().map(|c| c.cause.as_str()).collect();
        assert_eq!(
            causes,
            [
                "AWS Config is off",
                "The audit role cannot be assumed",
                "No successful delivery for too long"
            ]
        );
    }

    #[test]
    fn without_a_probe_finding_config_s_error_code_and_bucket_are_the_cause() {
        let failing = |bucket: &str| {
            vec![
                Finding::new(
                    CheckId::HistoryDeliveryFailure,
                    "history delivery failing: NoSuchBucket",
                )
                .with("last_error_code", "NoSuchBucket")
                .with("bucket", bucket),
                Finding::new(CheckId::ProbeUnverified, "unverified: bucket policy"),
            ]
        };
        let accounts = [
            account("1", vec![("a", failing("gone"))]),
            account("2", vec![("a", failing("gone"))]),
            account("3", vec![("a", failing("other"))]),
        ];
        let found = clusters(&accounts.iter().collect::<Vec<_>>());
        assert_eq!(found[0].cause, "NoSuchBucket delivering to gone");
        assert_eq!(found[0].accounts, 2);
        assert_eq!(found[1].cause, "NoSuchBucket delivering to other");
    }

    #[test]
    fn the_same_statement_number_in_two_buckets_is_two_causes() {
        let denied = |bucket: &str| {
            vec![
                Finding::new(CheckId::BucketPolicyDeniesDelivery, "cause: denied")
                    .with("denied_by", "bucket policy statement 4 (NoConfig)")
                    .with("resource", format!("arn:aws:s3:::{bucket}/AWSLogs/1/Config/x")),
            ]
        };
        let accounts = [
            account("1", vec![("a", denied("one"))]),
            account("2", vec![("a", denied("two"))]),
        ];
        let found = clusters(&accounts.iter().collect::<Vec<_>>());
        assert_eq!(found.len(), 2);
        assert_eq!(
            found[0].cause,
            "denied by bucket policy statement 4 (NoConfig) on arn:aws:s3:::one"
        );
    }

    #[test]
    fn an_implicit_deny_clusters_by_bucket_not_by_each_account_s_folder() {
        let denied = |account: &str| {
            vec![
                Finding::new(
                    CheckId::BucketPolicyDeniesDelivery,
                    "cause: no statement allows it",
                )
                .with("action", "s3:PutObject")
                .with(
                    "resource",
                    format!("arn:aws:s3:::central/AWSLogs/{account}/Config/x"),
                ),
            ]
        };
        let accounts = [
            account("1", vec![("a", denied("1"))]),
            account("2", vec![("a", denied("2"))]),
        ];
        let found = clusters(&accounts.iter().collect::<Vec<_>>());
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].cause,
            "nothing allows s3:PutObject on arn:aws:s3:::central"
        );
    }
}
