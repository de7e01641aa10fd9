//! Hostile input: arbitrary and mutated events, parameters and policies never panic, and the
//! evaluator never allows by accident (a Deny wins; an unparsable statement is an error, never a
//! statement fewer).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use delivery_guard_core::input::invocation::parse_invocation;
use delivery_guard_core::parameters::parse_parameters;
use delivery_guard_core::policy::{Decision, Named, PolicySet, Principal, Request, decide, parse_policy};
use delivery_guard_core::verdict::{MAX_ANNOTATION_CHARS, fit_annotation};
use proptest::prelude::*;
use serde_json::{Map, Value, json};

/// Any JSON value, a few levels deep.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        ".{0,20}".prop_map(Value::String),
        prop::sample::select(vec![
            "*",
            "Allow",
            "Deny",
            "s3:PutObject",
            "arn:aws:s3:::b/*",
            "2012-10-17",
            "StringEquals"
        ])
        .prop_map(|s| Value::String(s.to_owned())),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(
                prop::sample::select(vec![
                    "Version",
                    "Statement",
                    "Effect",
                    "Action",
                    "NotAction",
                    "Resource",
                    "NotResource",
                    "Principal",
                    "NotPrincipal",
                    "Condition",
                    "Sid",
                    "AWS",
                    "Service",
                    "StringLike",
                    "ForAllValues:StringEquals",
                    "Null",
                    "aws:SourceAccount",
                    "x",
                ])
                .prop_map(str::to_owned),
                inner,
                0..6,
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn valid_policy() -> impl Strategy<Value = Value> {
    let statement = (
        prop::sample::select(vec!["Allow", "Deny"]),
        prop::sample::select(vec!["*", "s3:*", "s3:PutObject", "kms:Generate*", "iam:?etRole"]),
        prop::sample::select(vec!["*", "arn:aws:s3:::b/*", "arn:aws:s3:::b/${aws:username}/*"]),
        prop::option::of(prop::sample::select(vec![
            "StringEquals",
            "StringNotEqualsIfExists",
            "ArnLike",
            "Bool",
            "Null",
        ])),
    )
        .prop_map(|(effect, action, resource, operator)| {
            let mut statement = json!({"Effect": effect, "Action": action, "Resource": resource});
            if let Some(op) = operator {
                let value = if op == "Null" || op == "Bool" {
                    "true"
                } else {
                    "arn:aws:*"
                };
                statement["Condition"] = json!({op: {"aws:SourceArn": value}});
            }
            statement
        });
    prop::collection::vec(statement, 1..5).prop_map(|s| json!({"Version": "2012-10-17", "Statement": s}))
}

fn request() -> impl Strategy<Value = Request> {
    (
        prop::sample::select(vec![
            "s3:PutObject",
            "s3:GetBucketAcl",
            "kms:GenerateDataKey",
            "iam:GetRole",
        ]),
        prop::sample::select(vec!["arn:aws:s3:::b/alice/x", "arn:aws:s3:::b", "*"]),
        prop::bool::ANY,
    )
        .prop_map(|(action, resource, service)| {
            let principal = if service {
                Principal::Service("config.amazonaws.com".into())
            } else {
                Principal::Aws {
                    arn: "arn:aws:iam::111111111111:role/r".into(),
                    account: "111111111111".into(),
                }
            };
            Request::new(principal, action, resource, "111111111111")
                .with("aws:username", "alice")
                .with("aws:SourceArn", "arn:aws:config:us-east-1:111111111111:x")
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_events_never_panic(value in json_value()) {
        let _ = parse_invocation(&value);
    }

    #[test]
    fn events_with_arbitrary_inner_strings_never_panic(invoking in ".{0,80}", parameters in ".{0,80}") {
        let event = json!({"invokingEvent": invoking, "ruleParameters": parameters,
                           "resultToken": "t", "accountId": "111111111111"});
        let _ = parse_invocation(&event);
    }

    #[test]
    fn arbitrary_rule_parameters_never_panic(map in prop::collection::btree_map(
        prop::sample::select(vec!["Mode", "ExpectedBucket", "ExpectedKmsKeyArn", "MaxDeliveryAgeHours",
                                  "ExpectedKeyPrefix", "StrictProbes", "LogArchiveReadRoleArn", "Other"]),
        json_value(), 0..5)) {
        let map: Map<String, Value> = map.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        let _ = parse_parameters(&map);
    }

    #[test]
    fn arbitrary_policy_text_never_panics(text in ".{0,200}") {
        let _ = parse_policy(&text);
    }

    #[test]
    fn arbitrary_policy_json_keeps_every_statement_or_fails(doc in json_value()) {
        if let Ok(policy) = parse_policy(&doc.to_string()) {
            let expected = match doc.get("Statement") {
                Some(Value::Array(list)) => list.len(),
                Some(_) => 1,
                None => 0,
            };
            prop_assert_eq!(policy.statements.len(), expected, "a statement vanished from {}", doc);
        }
    }

    #[test]
    fn mutated_valid_policies_keep_every_statement_or_fail(doc in valid_policy(), cut in 0usize..400, junk in ".{0,3}") {
        let text = doc.to_string();
        let at = text.char_indices().map(|(i, _)| i).nth(cut % text.chars().count()).unwrap_or(0);
        let mutated = format!("{}{}{}", &text[..at], junk, &text[at..]);
        if let Ok(policy) = parse_policy(&mutated)
            && let Ok(Value::Object(parsed)) = serde_json::from_str::<Value>(&mutated)
            && let Some(Value::Array(list)) = parsed.get("Statement")
        {
            prop_assert_eq!(policy.statements.len(), list.len());
        }
    }

    #[test]
    fn a_matching_deny_always_wins(doc in valid_policy(), request in request(), place in 0usize..4) {
        // Identity policies and SCPs belong to IAM principals: a service request consults neither.
        prop_assume!(!((place == 0 || place == 2) && matches!(request.principal, Principal::Service(_))));
        // RCPs restrict only the services that support them (S3, KMS, STS, SQS and others; not SNS).
        prop_assume!(place != 3 || ["s3:", "kms:", "sts:", "sqs:"].iter().any(|p| request.action.to_ascii_lowercase().starts_with(p)));
        let allows = parse_policy(&doc.to_string()).unwrap();
        let deny = parse_policy(r#"{"Version":"2012-10-17","Statement":{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*"}}"#).unwrap();
        let full = parse_policy(r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}}"#).unwrap();
        let named = |name, policy| Named { name, policy };
        let with_deny = |here: usize| {
            let mut level = vec![named("allows", &allows), named("full", &full)];
            if place == here {
                level.push(named("deny", &deny));
            }
            level
        };
        let set = PolicySet {
            identity: with_deny(0),
            resource: Some(if place == 1 { named("deny", &deny) } else { named("full", &full) }),
            scp_levels: vec![with_deny(2)],
            rcp_levels: vec![with_deny(3)],
            ..PolicySet::default()
        };
        prop_assert_eq!(decide(&set, &request).decision, Decision::ExplicitDeny);
    }

    #[test]
    fn annotations_always_fit(text in ".{0,600}") {
        let fitted = fit_annotation(&text);
        prop_assert!(fitted.chars().map(char::len_utf16).sum::<usize>() <= MAX_ANNOTATION_CHARS);
        if text.chars().map(char::len_utf16).sum::<usize>() <= MAX_ANNOTATION_CHARS {
            prop_assert_eq!(fitted, text);
        }
    }
}
