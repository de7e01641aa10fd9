//! Any JSON as a policy document: parsing never panics; a parsed policy keeps every statement (an
//! unparsable Deny fails the whole policy instead of vanishing); deciding with it never panics, and
//! an unconditional Deny of everything always wins.
#![no_main]

use delivery_guard_core::policy::{
    Decision, Effect, Named, PolicySet, Principal, Request, decide, parse_policy_value,
};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Ok(value) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let Ok(policy) = parse_policy_value(&value) else {
        return;
    };
    let written = match value.get("Statement") {
        Some(Value::Array(statements)) => statements.len(),
        Some(_) => 1,
        None => 0,
    };
    assert_eq!(policy.statements.len(), written, "a statement vanished");

    let request = Request::new(
        Principal::Aws {
            arn: "arn:aws:iam::111111111111:role/r".to_owned(),
            account: "111111111111".to_owned(),
        },
        "s3:PutObject",
        "arn:aws:s3:::bucket/key",
        "111111111111",
    );
    let set = PolicySet {
        identity: vec![Named {
            name: "fuzzed",
            policy: &policy,
        }],
        ..PolicySet::default()
    };
    let explanation = decide(&set, &request);

    let denies_everything = policy
        .statements
        .iter()
        .any(|s| s.effect == Effect::Deny && value_is_deny_all(&value, s.sid.as_deref()));
    if denies_everything {
        assert_eq!(
            explanation.decision,
            Decision::ExplicitDeny,
            "{}",
            explanation.reason
        );
    }
});

/// A statement written as `{"Effect":"Deny","Action":"*","Resource":"*"}` with nothing else that
/// could narrow it (no Principal, NotAction, NotResource or Condition).
fn value_is_deny_all(policy: &Value, sid: Option<&str>) -> bool {
    let statements = match policy.get("Statement") {
        Some(Value::Array(list)) => list.iter().collect::<Vec<_>>(),
        Some(one) => vec![one],
        None => Vec::new(),
    };
    statements.iter().any(|s| {
        let Some(map) = s.as_object() else {
            return false;
        };
        map.get("Sid").and_then(Value::as_str) == sid
            && map.get("Effect") == Some(&Value::from("Deny"))
            && map.get("Action") == Some(&Value::from("*"))
            && map.get("Resource") == Some(&Value::from("*"))
            && map
                .keys()
                .all(|k| ["Sid", "Effect", "Action", "Resource"].contains(&k.as_str()))
    })
}
