//! Findings in OCSF 1.1.0, the Compliance Finding class (2003), for Amazon Security Lake's custom
//! sources and SIEMs: one per account-region-check, with the same IDs as the ASFF output, so a
//! finding can be followed from Security Hub to the lake. Passing checks are not written: like ASFF,
//! a missing finding proves nothing.

use crate::checks::{CheckId, Severity};
use crate::outbound::asff::{Destination, findings_by_check};
use crate::verdict::RegionVerdict;
use serde_json::{Map, Value, json};

/// The OCSF version the findings follow (Security Lake's).
pub const OCSF_VERSION: &str = "1.1.0";
const CLASS_UID: u32 = 2003;
const CATEGORY_UID: u32 = 2;
const ACTIVITY_CREATE: u32 = 1;
/// `type_uid` is `class_uid * 100 + activity_id`.
const TYPE_UID: u32 = CLASS_UID * 100 + ACTIVITY_CREATE;
/// OCSF's account type for an AWS account.
const AWS_ACCOUNT_TYPE_ID: u32 = 10;

/// Who wrote the findings.
pub struct Producer<'a> {
    /// The tool's version.
    pub version: &'a str,
    /// The partition of the judged accounts.
    pub partition: &'a str,
}

/// One Compliance Finding per failing check of the account-region (several findings of one check
/// merge, as in ASFF).
pub fn compliance_findings(
    judgement: &RegionVerdict,
    account_name: &str,
    producer: &Producer<'_>,
) -> Vec<Value> {
    let to = Destination {
        partition: producer.partition,
        account_id: &judgement.account_id,
        region: &judgement.region,
    };
    let time = judgement.observed_at.epoch_millis();
    findings_by_check(judgement)
        .into_iter()
        .filter_map(|(check, findings)| {
            let first = findings.first()?;
            let message = findings
                .iter()
                .map(|f| f.message.as_str())
                .collect::<Vec<_>>()
                .join("; ");
            let evidence: Map<String, Value> = findings
                .iter()
                .flat_map(|f| f.evidence.iter())
                .map(|(k, v)| (k.to_owned(), Value::from(v)))
                .collect();
            let (severity_id, severity) = severity(first.severity);
            // An unread probe is a warning, as in ASFF; everything else fails the control.
            let (status_id, status) = if first.severity == Severity::Info {
                (2, "Warning")
            } else {
                (3, "Fail")
            };
            let mut account = Map::new();
            account.insert("uid".to_owned(), Value::from(judgement.account_id.as_str()));
            account.insert("type".to_owned(), Value::from("AWS Account"));
            account.insert("type_id".to_owned(), Value::from(AWS_ACCOUNT_TYPE_ID));
            if !account_name.is_empty() {
                account.insert("name".to_owned(), Value::from(account_name));
            }
            Some(json!({
                "activity_id": ACTIVITY_CREATE,
                "activity_name": "Create",
                "category_uid": CATEGORY_UID,
                "category_name": "Findings",
                "class_uid": CLASS_UID,
                "class_name": "Compliance Finding",
                "type_uid": TYPE_UID,
                "type_name": "Compliance Finding: Create",
                "time": time,
                "severity_id": severity_id,
                "severity": severity,
                "status_id": 1,
                "status": "New",
                "message": message,
                "metadata": {
                    "version": OCSF_VERSION,
                    "profiles": ["cloud"],
                    "product": {
                        "name": "config-delivery-guard",
                        "vendor_name": "config-delivery-guard",
                        "version": producer.version,
                    },
                },
                "cloud": {"provider": "AWS", "region": judgement.region, "account": account},
                "finding_info": {
                    "uid": to.finding_id(check),
                    "title": check.title(),
                    "desc": message,
                    "types": [check.id()],
                    "created_time": time,
                },
                "compliance": {
                    "standards": standards(check),
                    "requirements": check.related_requirements(),
                    "control": check.id(),
                    "status_id": status_id,
                    "status": status,
                },
                "remediation": {"desc": first.remediation},
                "resource": {
                    "uid": format!("arn:{}:iam::{}:root", producer.partition, judgement.account_id),
                    "type": "AWS::::Account",
                    "region": judgement.region,
                    "cloud_partition": producer.partition,
                },
                "unmapped": {"evidence": evidence},
            }))
        })
        .collect()
}

/// Our catalogue, then every framework the check's requirements belong to.
fn standards(check: CheckId) -> Vec<&'static str> {
    let mut standards = vec!["config-delivery-guard"];
    for requirement in check.requirements() {
        let title = requirement.framework.title();
        if !standards.contains(&title) {
            standards.push(title);
        }
    }
    standards
}

/// OCSF's severity ID and name.
const fn severity(severity: Severity) -> (u32, &'static str) {
    match severity {
        Severity::Critical => (5, "Critical"),
        Severity::High => (4, "High"),
        Severity::Medium => (3, "Medium"),
        Severity::Info => (1, "Informational"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Finding;
    use crate::outbound::asff::active_findings;
    use crate::timestamp::Timestamp;

    #[test]
    fn each_failing_check_is_one_finding_with_the_asff_id() {
        let judgement = RegionVerdict::new(
            "111122223333",
            "eu-west-1",
            Timestamp::from_epoch_millis(1_700_000_000_000),
            vec![
                Finding::new(CheckId::HistoryDeliveryFailure, "history fails")
                    .with("last_error_code", "AccessDenied"),
                Finding::new(CheckId::KeyDisabled, "key disabled").with("key", "arn:k"),
                Finding::new(CheckId::KeyDisabled, "and again"),
                Finding::new(CheckId::ProbeUnverified, "unverified: bucket policy"),
            ],
        );
        let producer = Producer {
            version: "0.1.0",
            partition: "aws",
        };
        let found = compliance_findings(&judgement, "prod", &producer);
        let asff: Vec<String> = active_findings(&judgement, "aws")
            .into_iter()
            .map(|f| f.id)
            .collect();
        let uids: Vec<&str> = found
            .iter()
            .filter_map(|f| f["finding_info"]["uid"].as_str())
            .collect();
        assert_eq!(uids, asff);
        let key = &found[1];
        assert_eq!(key["compliance"]["control"], "key.disabled");
        assert_eq!(key["compliance"]["requirements"][2], "NIST.800-53.r5 AU-9");
        assert_eq!(
            key["compliance"]["standards"][1],
            "CIS AWS Foundations Benchmark v3.0.0"
        );
        assert_eq!(key["message"], "key disabled; and again");
        assert_eq!(key["unmapped"]["evidence"]["key"], "arn:k");
        assert_eq!(key["type_uid"], 200_301);
        assert_eq!(key["cloud"]["account"]["name"], "prod");
        let probe = &found[2];
        assert_eq!(
            (
                probe["compliance"]["status"].as_str(),
                probe["severity_id"].as_u64()
            ),
            (Some("Warning"), Some(1))
        );
    }
}
