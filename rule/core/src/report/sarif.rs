//! SARIF 2.1.0, for code-scanning dashboards and CI gates. Every account-region gets one result of
//! the `pipeline.verdict` rule (kind pass or fail, so the verdicts survive the format), and every
//! finding one result of its check.

use crate::checks::{CheckId, Severity};
use crate::verdict::{Compliance, RegionVerdict};
use serde_json::{Value, json};

/// The SARIF rule that carries each account-region's overall verdict.
pub const VERDICT_RULE: &str = "pipeline.verdict";
const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// SARIF 2.1.0: one rule per check, one result per finding and per verdict.
///
/// Long on purpose: one JSON document written top to bottom in the schema's order.
pub fn sarif(judgements: &[RegionVerdict]) -> Value {
    let mut rules = vec![json!({
        "id": VERDICT_RULE,
        "name": "DeliveryPipelineVerdict",
        "shortDescription": {"text": "The AWS Config delivery pipeline of an account-region"},
        "help": {"text": "A failing verdict names its root cause; see the results of the other rules."},
        "defaultConfiguration": {"level": "error"},
    })];
    rules.extend(CheckId::ALL.iter().map(|check| {
        json!({
            "id": check.id(),
            "name": check.id(),
            "shortDescription": {"text": check.title()},
            "help": {"text": check.remediation()},
            "defaultConfiguration": {"level": level(check.severity())},
            "properties": {
                "security-severity": security_severity(check.severity()),
                "relatedRequirements": check.related_requirements(),
            },
        })
    }));
    let mut results = Vec::new();
    for judgement in judgements {
        let location = json!([{
            "logicalLocations": [{
                "name": judgement.region,
                "fullyQualifiedName": format!("aws/account/{}/region/{}", judgement.account_id, judgement.region),
                "kind": "resource",
            }]
        }]);
        let passed = judgement.verdict.compliance != Compliance::NonCompliant;
        results.push(json!({
            "ruleId": VERDICT_RULE,
            "ruleIndex": 0,
            "kind": if passed { "pass" } else { "fail" },
            "level": if passed { "none" } else { "error" },
            "message": {"text": judgement.verdict.annotation.clone().unwrap_or_else(|| judgement.verdict.compliance.as_str().to_owned())},
            "locations": location,
            "partialFingerprints": {"deliveryGuard/v1": format!("{}/{}/{}", judgement.account_id, judgement.region, VERDICT_RULE)},
            "properties": {
                "account_id": judgement.account_id,
                "region": judgement.region,
                "compliance": judgement.verdict.compliance,
                "observed_at": judgement.observed_at,
            },
        }));
        for finding in &judgement.findings {
            let index = CheckId::ALL
                .iter()
                .position(|c| *c == finding.check)
                .map_or(0, |i| i + 1);
            results.push(json!({
                "ruleId": finding.check.id(),
                "ruleIndex": index,
                "kind": "fail",
                "level": level(finding.severity),
                "message": {"text": finding.message},
                "locations": location,
                "partialFingerprints": {"deliveryGuard/v1": format!("{}/{}/{}", judgement.account_id, judgement.region, finding.check.id())},
                "properties": {
                    "account_id": judgement.account_id,
                    "region": judgement.region,
                    "evidence": finding.evidence,
                    "remediation": finding.remediation,
                },
            }));
        }
    }
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "config-delivery-guard",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": env!("CARGO_PKG_REPOSITORY"),
                "rules": rules,
            }},
            "results": results,
        }]
    })
}

const fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Info => "note",
    }
}

/// GitHub code scanning reads this property as a CVSS-like score.
const fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.0",
        Severity::High => "7.0",
        Severity::Medium => "5.0",
        Severity::Info => "1.0",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Finding;
    use crate::verdict::unjudged;

    #[test]
    fn every_account_region_has_a_verdict_result_and_findings_point_at_their_rule() {
        let failing = unjudged(
            "111122223333",
            "eu-west-1",
            Finding::new(CheckId::KeyDisabled, "key disabled"),
        );
        let log = sarif(&[failing]);
        let results = log["runs"][0]["results"].as_array().unwrap();
        assert_eq!(results.len(), 2);
        assert_eq!(results[0]["kind"], "fail");
        let rules = log["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
        let index = results[1]["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], "key.disabled");
        assert_eq!(results[1]["level"], "error");
        let related = rules[index]["properties"]["relatedRequirements"]
            .as_array()
            .unwrap();
        assert!(
            related.iter().any(|r| r == "PCI DSS v3.2.1/10.5.2"),
            "{related:?}"
        );
    }
}
