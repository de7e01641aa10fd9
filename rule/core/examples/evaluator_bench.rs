//! Decisions per second of the policy evaluator on the delivery requests the probes make
//! (reference bucket and key policies, a customer role with a boundary, three SCP levels).
//! Run by `make bench`; prints one JSON object.

use delivery_guard_core::policy::{Named, PolicySet, Principal, Request, decide, parse_policy};
use std::hint::black_box;
use std::time::Instant;

const BUCKET: &str = r#"{"Version":"2012-10-17","Statement":[
 {"Sid":"Check","Effect":"Allow","Principal":{"Service":"config.amazonaws.com"},"Action":"s3:GetBucketAcl",
  "Resource":"arn:aws:s3:::logs","Condition":{"StringEquals":{"AWS:SourceAccount":["111111111111","222222222222"]}}},
 {"Sid":"Delivery","Effect":"Allow","Principal":{"Service":"config.amazonaws.com"},"Action":"s3:PutObject",
  "Resource":"arn:aws:s3:::logs/AWSLogs/*/Config/*",
  "Condition":{"StringEquals":{"s3:x-amz-acl":"bucket-owner-full-control","AWS:SourceAccount":["111111111111","222222222222"]}}},
 {"Sid":"Tls","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::logs","arn:aws:s3:::logs/*"],
  "Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}"#;
const KEY: &str = r#"{"Version":"2012-10-17","Statement":[
 {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"kms:*","Resource":"*"},
 {"Effect":"Allow","Principal":{"Service":"config.amazonaws.com"},"Action":["kms:Decrypt","kms:GenerateDataKey"],
  "Resource":"*","Condition":{"StringEquals":{"AWS:SourceAccount":"111111111111"}}}]}"#;
const ROLE: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
 "Action":["s3:PutObject","s3:GetBucketAcl","kms:GenerateDataKey","kms:Decrypt"],"Resource":"*"}]}"#;
const FULL: &str = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#;
const REGION_DENY: &str = r#"{"Version":"2012-10-17","Statement":{"Effect":"Deny","NotAction":["iam:*","sts:*","s3:*","kms:*"],
 "Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":["eu-west-1"]}}}}"#;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (bucket, key, role, full, region_deny) = (
        parse_policy(BUCKET)?,
        parse_policy(KEY)?,
        parse_policy(ROLE)?,
        parse_policy(FULL)?,
        parse_policy(REGION_DENY)?,
    );
    let named = |name, policy| Named { name, policy };
    let service = Principal::Service("config.amazonaws.com".into());
    let recorder = Principal::Aws {
        arn: "arn:aws:iam::111111111111:role/config-recorder".into(),
        account: "111111111111".into(),
    };
    let object = "arn:aws:s3:::logs/AWSLogs/111111111111/Config/ConfigWritabilityCheckFile";
    let key_arn = "arn:aws:kms:us-east-1:111111111111:key/k";
    let s3_set = PolicySet {
        identity: vec![named("role", &role)],
        resource: Some(named("bucket policy", &bucket)),
        scp_levels: vec![
            vec![named("full", &full)],
            vec![named("full", &full), named("region", &region_deny)],
        ],
        ..PolicySet::default()
    };
    let kms_set = PolicySet {
        identity: vec![named("role", &role)],
        resource: Some(named("key policy", &key)),
        resource_is_kms_key: true,
        ..PolicySet::default()
    };
    let context = |r: Request| {
        r.with("aws:SourceAccount", "111111111111")
            .with("aws:SecureTransport", "true")
            .with("s3:x-amz-acl", "bucket-owner-full-control")
            .with("aws:RequestedRegion", "us-east-1")
    };
    let cases = [
        (
            &s3_set,
            context(Request::new(
                service.clone(),
                "s3:PutObject",
                object,
                "999999999999",
            )),
        ),
        (
            &s3_set,
            context(Request::new(
                service.clone(),
                "s3:GetBucketAcl",
                "arn:aws:s3:::logs",
                "999999999999",
            )),
        ),
        (
            &s3_set,
            context(Request::new(
                recorder.clone(),
                "s3:PutObject",
                object,
                "111111111111",
            )),
        ),
        (
            &kms_set,
            context(Request::new(
                service,
                "kms:GenerateDataKey",
                key_arn,
                "111111111111",
            )),
        ),
        (
            &kms_set,
            context(Request::new(recorder, "kms:Decrypt", key_arn, "111111111111")),
        ),
    ];
    let rounds = 40_000_u32;
    let started = Instant::now();
    for _ in 0..rounds {
        for (set, request) in &cases {
            black_box(decide(black_box(set), black_box(request)));
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    let decisions = f64::from(rounds) * cases.len() as f64;
    println!(
        "{{\"decisions\":{decisions},\"seconds\":{seconds:.3},\"ns_per_decision\":{:.0},\"decisions_per_second\":{:.0}}}",
        seconds * 1e9 / decisions,
        decisions / seconds
    );
    Ok(())
}
