//! The guardrail SCPs of `scp-policies/`, rendered as the Terraform module renders them, proved with
//! the project's IAM evaluator: each denies what it protects to everyone but the break-glass role,
//! and lets the recorder, the audit role and the rule's Lambda keep what they need.
//! The cases are data: `scp-policies/proofs.json`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use delivery_guard_core::policy::{
    Decision, Effect, Named, Policy, PolicySet, Principal, Request, decide, parse_policy_value,
};
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Organizations' limit for one SCP, counted after whitespace is removed.
const SCP_MAX_CHARS: usize = 5120;
/// Organizations' limit for one tag policy.
const TAG_POLICY_MAX_CHARS: usize = 2500;
const FULL_AWS_ACCESS: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Proofs {
    #[allow(dead_code)]
    about: String,
    values: BTreeMap<String, String>,
    principals: BTreeMap<String, String>,
    cases: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    scp: String,
    principal: String,
    action: String,
    resource: String,
    #[serde(default)]
    context: BTreeMap<String, String>,
    expect: String,
}

fn folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scp-policies")
}

fn proofs() -> Proofs {
    serde_json::from_str(&std::fs::read_to_string(folder().join("proofs.json")).unwrap()).unwrap()
}

/// The SCP templates: every `deny-*.json`.
fn templates() -> BTreeMap<String, String> {
    let mut found = BTreeMap::new();
    for entry in std::fs::read_dir(folder()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        if name.starts_with("deny-") && path.extension().is_some_and(|e| e == "json") {
            found.insert(name, std::fs::read_to_string(&path).unwrap());
        }
    }
    assert!(found.len() >= 4, "templates: {:?}", found.keys());
    found
}

/// `${name}` placeholders replaced, as Terraform's `templatefile` does, then minified.
fn render(template: &str, values: &BTreeMap<String, String>) -> String {
    let mut text = template.to_owned();
    for (name, value) in values {
        text = text.replace(&format!("${{{name}}}"), value);
    }
    assert!(!text.contains("${"), "a placeholder has no value: {text}");
    let value: Value = serde_json::from_str(&text).expect("a rendered template is JSON");
    serde_json::to_string(&value).unwrap()
}

fn placeholders(template: &str) -> Vec<String> {
    template
        .split("${")
        .skip(1)
        .map(|rest| rest.split('}').next().unwrap().to_owned())
        .collect()
}

#[test]
fn every_placeholder_has_a_proof_value_and_every_value_is_used() {
    let proofs = proofs();
    let used: std::collections::BTreeSet<String> =
        templates().values().flat_map(|t| placeholders(t)).collect();
    let given: std::collections::BTreeSet<String> = proofs.values.keys().cloned().collect();
    assert_eq!(used, given);
}

#[test]
fn rendered_scps_fit_the_organizations_limit_and_parse() {
    let proofs = proofs();
    for (name, template) in templates() {
        let rendered = render(&template, &proofs.values);
        assert!(
            rendered.len() <= SCP_MAX_CHARS,
            "{name}: {} characters minified, over {SCP_MAX_CHARS}",
            rendered.len()
        );
        let policy = parse_policy_value(&serde_json::from_str(&rendered).unwrap())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        // Guardrails only deny; the Allow comes from FullAWSAccess.
        assert!(
            policy.statements.iter().all(|s| s.effect == Effect::Deny),
            "{name}"
        );
    }
}

#[test]
fn the_tag_policy_fits_its_limit() {
    let text = std::fs::read_to_string(folder().join("ownership-tag-policy.json")).unwrap();
    let value: Value = serde_json::from_str(&text).unwrap();
    let minified = serde_json::to_string(&value).unwrap();
    assert!(
        minified.len() <= TAG_POLICY_MAX_CHARS,
        "{} characters",
        minified.len()
    );
    // Both keys required on the types the modules create; no casing enforced on anyone's resources
    // by default (terraform/modules/guardrails/README.md, "The ownership tag policy").
    for key in ["owner", "cost-center"] {
        let rule = &value["tags"][key];
        assert_eq!(rule["tag_key"]["@@assign"], key);
        assert!(
            rule["report_required_tag_for"]["@@assign"]
                .as_array()
                .unwrap()
                .len()
                >= 5
        );
        assert!(rule.get("enforced_for").is_none(), "{key}");
    }
}

#[test]
fn each_scp_denies_what_it_protects_and_nothing_the_pipeline_needs() {
    let proofs = proofs();
    let templates = templates();
    let full_access = parse_policy_value(&serde_json::from_str(FULL_AWS_ACCESS).unwrap()).unwrap();
    let scps: BTreeMap<String, Policy> = templates
        .iter()
        .map(|(name, template)| {
            let rendered = render(template, &proofs.values);
            (
                name.clone(),
                parse_policy_value(&serde_json::from_str(&rendered).unwrap()).unwrap(),
            )
        })
        .collect();
    let mut failures = Vec::new();
    for case in &proofs.cases {
        let arn = proofs
            .principals
            .get(&case.principal)
            .unwrap_or_else(|| panic!("no principal {}", case.principal));
        let account = arn.split(':').nth(4).unwrap().to_owned();
        let guardrails: Vec<Named<'_>> = scps
            .iter()
            .filter(|(name, _)| case.scp == "all" || **name == case.scp)
            .map(|(name, policy)| Named { name, policy })
            .collect();
        assert!(!guardrails.is_empty(), "no SCP named {}", case.scp);
        let mut ou_level = vec![Named {
            name: "FullAWSAccess",
            policy: &full_access,
        }];
        ou_level.extend(guardrails);
        // A KMS key's policy must allow (or delegate to the account) for anything to (AWS KMS
        // Developer Guide, "Key policies"): the proofs' keys delegate to their own account.
        let is_key = case.action.starts_with("kms:");
        let key_policy = parse_policy_value(&serde_json::json!({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{account}:root")},
                           "Action": "kms:*", "Resource": "*"}]
        }))
        .unwrap();
        let set = PolicySet {
            identity: vec![Named {
                name: "AdministratorAccess",
                policy: &full_access,
            }],
            resource: is_key.then_some(Named {
                name: "key policy",
                policy: &key_policy,
            }),
            resource_is_kms_key: is_key,
            scp_levels: vec![
                vec![Named {
                    name: "FullAWSAccess",
                    policy: &full_access,
                }],
                ou_level,
            ],
            ..PolicySet::default()
        };
        let principal = Principal::Aws {
            arn: arn.clone(),
            account: account.clone(),
        };
        let mut request = Request::new(principal, &case.action, &case.resource, &account);
        for (key, value) in &case.context {
            request = request.with(key, value);
        }
        let explanation = decide(&set, &request);
        let expected = match case.expect.as_str() {
            "Allow" => Decision::Allow,
            "ExplicitDeny" => Decision::ExplicitDeny,
            other => panic!("unknown expectation {other}"),
        };
        if explanation.decision != expected {
            failures.push(format!(
                "{} {} {} on {}: expected {expected:?}, got {:?} ({})",
                case.scp,
                case.principal,
                case.action,
                case.resource,
                explanation.decision,
                explanation.reason
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(proofs.cases.len() >= 50);
}
