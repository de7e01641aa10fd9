//! AWS names: what a well-formed account ID, Region, ARN, bucket, role or bus name looks like, and
//! the ARNs the rule builds. The audit role's ARN is built from the account and a rule parameter,
//! never taken from the event's `executionRoleArn` (usually the service-linked role, which only
//! `config.amazonaws.com` may assume).

/// A name that is not what AWS would accept, with what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct InvalidName(pub(crate) String);

/// Twelve digits.
pub fn is_account_id(text: &str) -> bool {
    text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit())
}

/// The partition a region belongs to.
pub fn partition_of(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else if region.starts_with("us-iso-") {
        "aws-iso"
    } else if region.starts_with("us-isob-") {
        "aws-iso-b"
    } else {
        "aws"
    }
}

/// `arn:<partition>:iam::<account>:role/<name>`.
pub fn role_arn(partition: &str, account_id: &str, role_name: &str) -> String {
    format!("arn:{partition}:iam::{account_id}:role/{role_name}")
}

/// A bus name (1-256 of letters, digits and `._-/`) or an `arn:<partition>:events:` bus ARN.
pub fn check_event_bus(bus: &str) -> Result<(), InvalidName> {
    let name = bus.strip_prefix("arn:").map_or(Some(bus), |rest| {
        let parts: Vec<&str> = rest.splitn(5, ':').collect();
        match parts.as_slice() {
            [_, "events", region, account, resource] if is_region_name(region) && account.len() == 12 => {
                resource.strip_prefix("event-bus/")
            }
            _ => None,
        }
    });
    let valid = name.is_some_and(|n| {
        (1..=256).contains(&n.len())
            && n.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"._-/".contains(&b))
    });
    if valid {
        Ok(())
    } else {
        Err(InvalidName(format!(
            "'{bus}' is not an EventBridge bus name or arn:aws:events:REGION:ACCOUNT:event-bus/NAME, or off"
        )))
    }
}

/// IAM role names: 1-64 of letters, digits and `+=,.@_-`.
pub fn check_role_name(name: &str) -> Result<(), InvalidName> {
    let valid = (1..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+=,.@_-".contains(&b));
    if valid {
        Ok(())
    } else {
        Err(InvalidName(format!(
            "'{name}' is not an IAM role name (1-64 letters, digits and +=,.@_-)"
        )))
    }
}

/// STS: 2-1224 of letters, digits and `+=,.@:/_-`.
pub fn check_external_id(id: &str) -> Result<(), InvalidName> {
    let valid = (2..=1224).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+=,.@:/_-".contains(&b));
    if valid {
        Ok(())
    } else {
        Err(InvalidName(
            "is not an STS external ID (2-1224 letters, digits and +=,.@:/_-)".to_owned(),
        ))
    }
}

/// `us-east-1`, `eu-central-2`, `us-gov-west-1`, `ap-southeast-7`: letters, hyphens, a final number.
pub fn is_region_name(name: &str) -> bool {
    let mut parts = name.split('-');
    let first_ok = parts
        .next()
        .is_some_and(|p| p.len() == 2 && p.bytes().all(|b| b.is_ascii_lowercase()));
    let rest: Vec<&str> = parts.collect();
    let (last, middle) = match rest.split_last() {
        Some((last, middle)) if !middle.is_empty() => (last, middle),
        _ => return false,
    };
    first_ok
        && middle
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
        && !last.is_empty()
        && last.bytes().all(|b| b.is_ascii_digit())
}

/// An IAM role ARN: `arn:<partition>:iam::<account>:role/<name>`.
pub fn check_role_arn(arn: &str) -> Result<(), InvalidName> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    match parts.as_slice() {
        ["arn", partition, "iam", "", account, resource]
            if partition.starts_with("aws")
                && is_account_id(account)
                && resource
                    .strip_prefix("role/")
                    .is_some_and(|name| !name.is_empty()) =>
        {
            Ok(())
        }
        _ => Err(InvalidName(format!(
            "'{arn}' is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)"
        ))),
    }
}

/// An S3 bucket name: 3-63 lower-case letters, digits, dots and hyphens, alphanumeric at both ends.
pub fn check_bucket_name(name: &str) -> Result<(), InvalidName> {
    let valid_chars = name
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-');
    let edges_ok = name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name.ends_with(|c: char| c.is_ascii_alphanumeric());
    if (3..=63).contains(&name.len()) && valid_chars && edges_ok && !name.contains("..") {
        Ok(())
    } else {
        Err(InvalidName(format!(
            "'{name}' is not a valid S3 bucket name (3-63 lower-case letters, digits, dots and hyphens)"
        )))
    }
}

/// A KMS key or alias ARN: `arn:<partition>:kms:<region>:<account>:key/<id>` or `alias/<name>`.
pub fn check_kms_key_arn(arn: &str) -> Result<(), InvalidName> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let well_formed = match parts.as_slice() {
        ["arn", partition, "kms", region, account, resource] => {
            partition.starts_with("aws")
                && !region.is_empty()
                && is_account_id(account)
                && (resource.strip_prefix("key/").is_some_and(|id| !id.is_empty())
                    || resource.strip_prefix("alias/").is_some_and(|id| !id.is_empty()))
        }
        _ => false,
    };
    if well_formed {
        Ok(())
    } else {
        Err(InvalidName(format!(
            "'{arn}' is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arns_follow_the_partition() {
        assert_eq!(
            role_arn(partition_of("eu-west-1"), "111122223333", "Audit"),
            "arn:aws:iam::111122223333:role/Audit"
        );
        assert_eq!(partition_of("cn-north-1"), "aws-cn");
        assert_eq!(partition_of("us-gov-west-1"), "aws-us-gov");
        assert_eq!(partition_of("us-east-1"), "aws");
    }
}
