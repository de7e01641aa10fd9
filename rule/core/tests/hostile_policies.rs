//! Policies at and past the sizes AWS allows, deeply nested, unicode and huge arrays: the parser
//! and evaluator answer (or refuse with an error) without panicking, overflowing the stack or
//! losing a Deny.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use delivery_guard_core::policy::{
    Decision, Named, PolicySet, Principal, Request, decide, parse_policy, parse_policy_value,
};
use serde_json::{Value, json};

/// Organizations' SCP limit, S3's bucket policy limit and KMS's key policy limit, in characters.
const SCP_LIMIT: usize = 5_120;
const BUCKET_POLICY_LIMIT: usize = 20 * 1024;
const KEY_POLICY_LIMIT: usize = 32 * 1024;

fn admin() -> Principal {
    Principal::Aws {
        arn: "arn:aws:iam::111122223333:role/Admin".to_owned(),
        account: "111122223333".to_owned(),
    }
}

/// A policy of `target` characters at least: many Allow statements, and one Deny at the very end.
fn padded_policy(target: usize, deny_action: &str) -> String {
    let mut statements = Vec::new();
    let mut index = 0;
    let mut size = 0;
    while size < target {
        let statement = json!({
            "Sid": format!("Filler{index}"),
            "Effect": "Allow",
            "Action": format!("s3:GetObject{index}"),
            "Resource": format!("arn:aws:s3:::bucket-{index}/*")
        });
        size += statement.to_string().len() + 1;
        statements.push(statement);
        index += 1;
    }
    statements.push(json!({"Sid": "LastDeny", "Effect": "Deny", "Action": deny_action, "Resource": "*"}));
    json!({"Version": "2012-10-17", "Statement": statements}).to_string()
}

#[test]
fn a_deny_at_the_end_of_a_policy_at_each_size_limit_still_wins() {
    for limit in [
        SCP_LIMIT,
        BUCKET_POLICY_LIMIT,
        KEY_POLICY_LIMIT,
        4 * KEY_POLICY_LIMIT,
    ] {
        let text = padded_policy(limit, "s3:PutObject");
        assert!(text.len() >= limit);
        let policy = parse_policy(&text).unwrap();
        let allow_all = parse_policy(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
        )
        .unwrap();
        let set = PolicySet {
            identity: vec![
                Named {
                    name: "allow-all",
                    policy: &allow_all,
                },
                Named {
                    name: "padded",
                    policy: &policy,
                },
            ],
            ..PolicySet::default()
        };
        let request = Request::new(admin(), "s3:PutObject", "arn:aws:s3:::bucket/key", "111122223333");
        assert_eq!(
            decide(&set, &request).decision,
            Decision::ExplicitDeny,
            "limit {limit}"
        );
    }
}

#[test]
fn deep_nesting_is_refused_without_overflowing_the_stack() {
    // serde_json stops at 128 levels; a condition nested far deeper is an error, not a crash.
    let depth = 100_000;
    let text = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Deny","Action":"*","Resource":"*","Condition":{}1{}}}]}}"#,
        "{\"a\":".repeat(depth),
        "}".repeat(depth)
    );
    assert!(parse_policy(&text).is_err());
    // Nested just within what JSON parsing allows, in an unexpected place: refused by the grammar.
    let mut value = json!("s3:GetObject");
    for _ in 0..100 {
        value = json!([value]);
    }
    let doc =
        json!({"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": value, "Resource": "*"}]});
    assert!(parse_policy_value(&doc).is_err());
}

#[test]
fn huge_arrays_parse_and_decide() {
    let actions: Vec<String> = (0..100_000).map(|i| format!("s3:Action{i}")).collect();
    let mut with_target = actions.clone();
    with_target.push("s3:PutObject".to_owned());
    let doc = json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "*", "Resource": "*"},
        {"Effect": "Deny", "Action": with_target, "Resource": "*"}
    ]});
    let policy = parse_policy_value(&doc).unwrap();
    let set = PolicySet {
        identity: vec![Named {
            name: "huge",
            policy: &policy,
        }],
        ..PolicySet::default()
    };
    let denied = Request::new(admin(), "s3:PutObject", "arn:aws:s3:::b/k", "111122223333");
    let allowed = Request::new(admin(), "s3:GetObject", "arn:aws:s3:::b/k", "111122223333");
    assert_eq!(decide(&set, &denied).decision, Decision::ExplicitDeny);
    assert_eq!(decide(&set, &allowed).decision, Decision::Allow);
}

#[test]
fn unicode_in_names_values_and_sids_is_kept_exactly() {
    let doc = json!({"Version": "2012-10-17", "Statement": [
        {"Sid": "Запрет🚫", "Effect": "Deny", "Action": "s3:PutObject",
         "Resource": "arn:aws:s3:::bücket-ü/日本語/*",
         "Condition": {"StringEquals": {"aws:PrincipalTag/team": "équipe-🛡"}}},
        {"Effect": "Allow", "Action": "*", "Resource": "*"}
    ]});
    let policy = parse_policy_value(&doc).unwrap();
    let set = PolicySet {
        identity: vec![Named {
            name: "unicode",
            policy: &policy,
        }],
        ..PolicySet::default()
    };
    let tagged = Request::new(
        admin(),
        "s3:PutObject",
        "arn:aws:s3:::bücket-ü/日本語/x",
        "111122223333",
    )
    .with("aws:PrincipalTag/team", "équipe-🛡");
    let explanation = decide(&set, &tagged);
    assert_eq!(explanation.decision, Decision::ExplicitDeny);
    assert!(explanation.reason.contains("Запрет🚫"), "{}", explanation.reason);
    // A different normalisation or case of the value does not match StringEquals.
    let other = Request::new(
        admin(),
        "s3:PutObject",
        "arn:aws:s3:::bücket-ü/日本語/x",
        "111122223333",
    )
    .with("aws:PrincipalTag/team", "ÉQUIPE-🛡");
    assert_eq!(decide(&set, &other).decision, Decision::Allow);
}

#[test]
fn a_deny_that_cannot_be_parsed_fails_the_whole_policy() {
    // An unknown condition operator inside a Deny: the policy is refused, never read without it.
    let doc: Value = json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "*", "Resource": "*"},
        {"Effect": "Deny", "Action": "s3:PutObject", "Resource": "*",
         "Condition": {"StringEqualsSometimes": {"aws:SourceAccount": "1"}}}
    ]});
    let err = parse_policy_value(&doc).unwrap_err();
    assert!(err.to_string().contains("StringEqualsSometimes"), "{err}");
}
