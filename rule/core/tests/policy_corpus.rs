//! The decision corpus: policies, a request and the expected decision, kept as data files in
//! `tests/policy-corpus/`. The corpus is the judge of the evaluator.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use delivery_guard_core::policy::validate::{DocumentKind, refusals};
use delivery_guard_core::policy::{
    Decision, Named, Policy, PolicySet, Principal, Request, decide, parse_policy_value,
};
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CorpusFile {
    #[allow(dead_code)]
    about: String,
    policies: BTreeMap<String, Value>,
    cases: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    #[serde(default)]
    identity: Vec<String>,
    resource: Option<String>,
    #[serde(default)]
    kms_key: bool,
    boundary: Option<String>,
    #[serde(default)]
    scp: Vec<Vec<String>>,
    #[serde(default)]
    rcp: Vec<Vec<String>>,
    management_account: Option<String>,
    #[serde(default)]
    aws_managed_key: bool,
    #[allow(dead_code)]
    source: Option<String>,
    principal: String,
    action: String,
    resource_arn: String,
    resource_account: String,
    #[serde(default)]
    context: BTreeMap<String, Value>,
    expect: String,
}

fn principal(text: &str) -> Principal {
    if let Some(service) = text.strip_prefix("service:") {
        return Principal::Service(service.to_owned());
    }
    if text == "anonymous" {
        return Principal::Anonymous;
    }
    let account = text
        .split(':')
        .nth(4)
        .expect("principal ARN with an account")
        .to_owned();
    Principal::Aws {
        arn: text.to_owned(),
        account,
    }
}

fn run_file(path: &Path) -> (usize, Vec<String>) {
    let file: CorpusFile = serde_json::from_str(&std::fs::read_to_string(path).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let policies: BTreeMap<&str, Policy> = file
        .policies
        .iter()
        .map(|(name, doc)| {
            (
                name.as_str(),
                parse_policy_value(doc).unwrap_or_else(|e| panic!("{}: {name}: {e}", path.display())),
            )
        })
        .collect();
    let named = |name: &String| -> Named<'_> {
        let (name, policy) = policies
            .get_key_value(name.as_str())
            .unwrap_or_else(|| panic!("{}: no policy {name}", path.display()));
        Named { name, policy }
    };
    let mut failures = Vec::new();
    for case in &file.cases {
        let set = PolicySet {
            identity: case.identity.iter().map(named).collect(),
            resource: case.resource.as_ref().map(named),
            resource_is_kms_key: case.kms_key,
            boundary: case.boundary.as_ref().map(named),
            scp_levels: case
                .scp
                .iter()
                .map(|level| level.iter().map(named).collect())
                .collect(),
            rcp_levels: case
                .rcp
                .iter()
                .map(|level| level.iter().map(named).collect())
                .collect(),
            management_account: case.management_account.as_deref(),
            resource_is_aws_managed_key: case.aws_managed_key,
        };
        let mut request = Request::new(
            principal(&case.principal),
            &case.action,
            &case.resource_arn,
            &case.resource_account,
        );
        for (key, value) in &case.context {
            let values = match value {
                Value::Array(items) => items.iter().map(|v| v.as_str().unwrap().to_owned()).collect(),
                Value::String(s) => vec![s.clone()],
                other => panic!(
                    "{}: {}: context values are strings: {other}",
                    path.display(),
                    case.name
                ),
            };
            for v in values {
                request = request.with(key, &v);
            }
        }
        // The corpus holds only policies AWS would store: a refused one decides nothing real.
        let refused: Vec<String> = set
            .identity
            .iter()
            .chain(set.boundary.iter())
            .flat_map(|n| refusals(n.policy, DocumentKind::Identity))
            .chain(
                set.resource
                    .iter()
                    .flat_map(|n| refusals(n.policy, DocumentKind::Resource)),
            )
            .chain(
                set.rcp_levels
                    .iter()
                    .flatten()
                    .flat_map(|n| refusals(n.policy, DocumentKind::Rcp)),
            )
            .map(|r| r.to_string())
            .collect();
        assert!(
            refused.is_empty(),
            "{}: {}: {refused:?}",
            path.display(),
            case.name
        );
        let explanation = decide(&set, &request);
        let expected = match case.expect.as_str() {
            "Allow" => Decision::Allow,
            "ExplicitDeny" => Decision::ExplicitDeny,
            "ImplicitDeny" => Decision::ImplicitDeny,
            other => panic!("{}: {}: unknown expectation {other}", path.display(), case.name),
        };
        if explanation.decision != expected {
            failures.push(format!(
                "{}: {}: expected {expected:?}, got {:?} ({})",
                path.file_name().unwrap().to_string_lossy(),
                case.name,
                explanation.decision,
                explanation.reason
            ));
        }
    }
    (file.cases.len(), failures)
}

#[test]
fn every_corpus_case_decides_as_expected() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/policy-corpus");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let mut total = 0;
    let mut failures = Vec::new();
    for file in files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
    {
        let (count, failed) = run_file(file);
        total += count;
        failures.extend(failed);
    }
    assert!(
        failures.is_empty(),
        "{} of {total} corpus cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(total >= 155, "the corpus shrank to {total} cases");
    println!("policy corpus: {total} cases passed");
}
