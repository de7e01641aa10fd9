//! Condition operators, as the IAM reference defines them: missing keys, negation, `...IfExists`,
//! `ForAnyValue:`/`ForAllValues:` and the value types.

use super::matching::{arn_like, like, resolve};
use super::model::{BaseOperator as Op, Condition, SetQualifier};
use super::request::Request;
use crate::timestamp::Timestamp;
use std::net::IpAddr;

pub fn holds(condition: &Condition, request: &Request, variables: bool) -> bool {
    let op = condition.operator;
    let present = request
        .context(&condition.key)
        .filter(|values| !values.is_empty());
    if op.base == Op::Null {
        // "true": the key must be absent; "false": present.
        let want_absent = condition.values.iter().any(|v| v.eq_ignore_ascii_case("true"));
        return want_absent == present.is_none();
    }
    let Some(values) = present else {
        return op.if_exists || op.base.is_negated() || op.set == SetQualifier::ForAllValues;
    };
    let satisfied = |value: &String| {
        let any = condition
            .values
            .iter()
            .any(|expected| matches(op.base, expected, value, request, variables));
        if op.base.is_negated() { !any } else { any }
    };
    match op.set {
        SetQualifier::ForAllValues => values.iter().all(satisfied),
        SetQualifier::ForAnyValue => values.iter().any(satisfied),
        // A single-valued operator on several values: positive needs one, negated needs all.
        SetQualifier::Single if op.base.is_negated() => values.iter().all(satisfied),
        SetQualifier::Single => values.iter().any(satisfied),
    }
}

/// The positive form of the operator: does the request value match this policy value?
fn matches(op: Op, expected: &str, actual: &str, request: &Request, variables: bool) -> bool {
    match op {
        Op::StringEquals | Op::StringNotEquals => {
            resolve(expected, request, variables).is_some_and(|e| e == actual)
        }
        Op::StringEqualsIgnoreCase | Op::StringNotEqualsIgnoreCase => {
            resolve(expected, request, variables).is_some_and(|e| e.to_lowercase() == actual.to_lowercase())
        }
        Op::StringLike | Op::StringNotLike => like(expected, actual, request, variables),
        Op::ArnEquals | Op::ArnLike | Op::ArnNotEquals | Op::ArnNotLike => {
            arn_like(expected, actual, request, variables)
        }
        Op::Bool => expected.eq_ignore_ascii_case(actual),
        Op::BinaryEquals => expected == actual,
        Op::NumericEquals | Op::NumericNotEquals => numbers(expected, actual).is_some_and(|(e, a)| a == e),
        Op::NumericLessThan => numbers(expected, actual).is_some_and(|(e, a)| a < e),
        Op::NumericLessThanEquals => numbers(expected, actual).is_some_and(|(e, a)| a <= e),
        Op::NumericGreaterThan => numbers(expected, actual).is_some_and(|(e, a)| a > e),
        Op::NumericGreaterThanEquals => numbers(expected, actual).is_some_and(|(e, a)| a >= e),
        Op::DateEquals | Op::DateNotEquals => dates(expected, actual).is_some_and(|(e, a)| a == e),
        Op::DateLessThan => dates(expected, actual).is_some_and(|(e, a)| a < e),
        Op::DateLessThanEquals => dates(expected, actual).is_some_and(|(e, a)| a <= e),
        Op::DateGreaterThan => dates(expected, actual).is_some_and(|(e, a)| a > e),
        Op::DateGreaterThanEquals => dates(expected, actual).is_some_and(|(e, a)| a >= e),
        Op::IpAddress | Op::NotIpAddress => in_cidr(expected, actual),
        Op::Null => false,
    }
}

fn numbers(expected: &str, actual: &str) -> Option<(f64, f64)> {
    Some((expected.trim().parse().ok()?, actual.trim().parse().ok()?))
}

/// ISO 8601 (as `aws:CurrentTime` is) or epoch seconds (as `aws:EpochTime` is).
fn dates(expected: &str, actual: &str) -> Option<(i64, i64)> {
    let parse = |text: &str| -> Option<i64> {
        let text = text.trim();
        if let Ok(seconds) = text.parse::<i64>() {
            return Some(seconds.saturating_mul(1000));
        }
        let with_time = if text.len() == 10 {
            format!("{text}T00:00:00Z")
        } else {
            text.to_owned()
        };
        Timestamp::parse_rfc3339(&with_time)
            .ok()
            .map(Timestamp::epoch_millis)
    };
    Some((parse(expected)?, parse(actual)?))
}

fn in_cidr(cidr: &str, address: &str) -> bool {
    let (network, bits) = match cidr.split_once('/') {
        Some((network, bits)) => (network, bits.parse::<u32>().ok()),
        None => (cidr, None),
    };
    match (network.trim().parse::<IpAddr>(), address.trim().parse::<IpAddr>()) {
        (Ok(IpAddr::V4(net)), Ok(IpAddr::V4(addr))) => {
            let bits = bits.unwrap_or(32).min(32);
            let mask = u32::MAX.checked_shl(32 - bits).unwrap_or(0);
            u32::from(net) & mask == u32::from(addr) & mask
        }
        (Ok(IpAddr::V6(net)), Ok(IpAddr::V6(addr))) => {
            let bits = bits.unwrap_or(128).min(128);
            let mask = u128::MAX.checked_shl(128 - bits).unwrap_or(0);
            u128::from(net) & mask == u128::from(addr) & mask
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::parse::parse_policy;
    use crate::policy::request::Principal;

    fn check(block: &str, request: &Request) -> bool {
        let text = format!(
            r#"{{"Version":"2012-10-17","Statement":{{"Effect":"Allow","Action":"*","Resource":"*","Condition":{block}}}}}"#
        );
        let policy = parse_policy(&text).unwrap();
        policy.statements[0]
            .conditions
            .iter()
            .all(|c| holds(c, request, true))
    }

    fn request() -> Request {
        Request::new(
            Principal::Service("config.amazonaws.com".into()),
            "s3:PutObject",
            "arn:aws:s3:::b/k",
            "1",
        )
        .with("aws:SourceAccount", "111122223333")
        .with("aws:SecureTransport", "true")
        .with("aws:SourceIp", "10.1.2.3")
        .with("aws:CurrentTime", "2026-06-01T12:00:00Z")
        .with("s3:max-keys", "5")
        .with("aws:TagKeys", "team")
        .with("aws:TagKeys", "env")
    }

    #[test]
    fn strings_and_missing_keys() {
        let r = request();
        assert!(
            check(r#"{"StringEquals":{"AWS:SourceAccount":"111122223333"}}"#, &r),
            "keys are case-insensitive"
        );
        assert!(!check(r#"{"StringEquals":{"aws:SourceAccount":["1","2"]}}"#, &r));
        assert!(
            !check(r#"{"StringEquals":{"aws:SourceOrgID":"o-1"}}"#, &r),
            "missing key: positive is false"
        );
        assert!(
            check(r#"{"StringNotEquals":{"aws:SourceOrgID":"o-1"}}"#, &r),
            "missing key: negated is true"
        );
        assert!(check(r#"{"StringEqualsIfExists":{"aws:SourceOrgID":"o-1"}}"#, &r));
        assert!(check(r#"{"StringLike":{"aws:SourceAccount":"1111*"}}"#, &r));
        assert!(check(
            r#"{"StringEqualsIgnoreCase":{"aws:PrincipalServiceName":"CONFIG.amazonaws.com"}}"#,
            &r
        ));
        assert!(!check(
            r#"{"StringEquals":{"aws:PrincipalServiceName":"CONFIG.amazonaws.com"}}"#,
            &r
        ));
    }

    #[test]
    fn null_bool_numbers_dates_ips() {
        let r = request();
        assert!(check(r#"{"Null":{"aws:SourceOrgID":"true"}}"#, &r));
        assert!(check(r#"{"Null":{"aws:SourceAccount":"false"}}"#, &r));
        assert!(!check(r#"{"Bool":{"aws:SecureTransport":"false"}}"#, &r));
        assert!(check(r#"{"Bool":{"aws:SecureTransport":true}}"#, &r));
        assert!(check(r#"{"NumericLessThan":{"s3:max-keys":"10"}}"#, &r));
        assert!(!check(r#"{"NumericGreaterThan":{"s3:max-keys":"10"}}"#, &r));
        assert!(check(
            r#"{"DateGreaterThan":{"aws:CurrentTime":"2026-01-01T00:00:00Z"}}"#,
            &r
        ));
        assert!(check(r#"{"DateLessThan":{"aws:CurrentTime":"2027-01-01"}}"#, &r));
        assert!(check(r#"{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}"#, &r));
        assert!(check(
            r#"{"NotIpAddress":{"aws:SourceIp":["192.168.0.0/16","172.16.0.0/12"]}}"#,
            &r
        ));
        assert!(!check(r#"{"IpAddress":{"aws:SourceIp":"2001:db8::/32"}}"#, &r));
    }

    #[test]
    fn set_qualifiers() {
        let r = request();
        assert!(check(
            r#"{"ForAnyValue:StringEquals":{"aws:TagKeys":["env"]}}"#,
            &r
        ));
        assert!(!check(
            r#"{"ForAllValues:StringEquals":{"aws:TagKeys":["env"]}}"#,
            &r
        ));
        assert!(check(
            r#"{"ForAllValues:StringEquals":{"aws:TagKeys":["env","team","cost"]}}"#,
            &r
        ));
        assert!(
            check(r#"{"ForAllValues:StringEquals":{"aws:Missing":["x"]}}"#, &r),
            "empty set: all hold"
        );
        assert!(!check(
            r#"{"ForAnyValue:StringEquals":{"aws:Missing":["x"]}}"#,
            &r
        ));
        assert!(
            !check(r#"{"StringNotEquals":{"aws:TagKeys":"env"}}"#, &r),
            "negated needs every value to differ"
        );
    }

    #[test]
    fn arns_and_variables_in_values() {
        let r = request().with(
            "aws:SourceArn",
            "arn:aws:config:us-east-1:111122223333:config-rule/x",
        );
        assert!(check(
            r#"{"ArnLike":{"aws:SourceArn":"arn:aws:config:*:111122223333:*"}}"#,
            &r
        ));
        assert!(check(
            r#"{"ArnNotLike":{"aws:SourceArn":"arn:aws:config:*:999999999999:*"}}"#,
            &r
        ));
        assert!(check(
            r#"{"StringLike":{"aws:SourceArn":"arn:aws:config:*:${aws:SourceAccount}:*"}}"#,
            &r
        ));
    }
}
