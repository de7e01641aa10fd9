//! The accepted-exceptions document, where it is kept: the S3 object the rule's `ExceptionsObject`
//! names (read as the function itself), or the file the CLI's `--exceptions` names. A document the
//! rule cannot read or that is invalid changes nothing: every failure stays visible, and it says so.

use crate::aws::clients;
use delivery_guard_core::exceptions::{Exceptions, parse_exceptions};
use delivery_guard_core::parameters::RuleParameters;
use delivery_guard_core::timestamp::Timestamp;

/// The exceptions that apply, and why none do when the document could not be used.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    /// Empty when there is no document or it could not be used.
    pub exceptions: Exceptions,
    /// Why the document named could not be used: reported as if there were no exceptions.
    pub problem: Option<String>,
}

/// The rule's document, when `ExceptionsObject` names one.
pub async fn load_for_rule(
    sdk: Option<&aws_config::SdkConfig>,
    region: &str,
    params: &RuleParameters,
) -> Loaded {
    let Some((bucket, key)) = &params.exceptions_object else {
        return Loaded::default();
    };
    let Some(sdk) = sdk else {
        return unusable(format!("s3://{bucket}/{key} not read: no AWS credentials"));
    };
    let text = clients::own_s3_reader(sdk, region)
        .small_text_object(bucket, key)
        .await;
    match text {
        Ok(text) => from_text(&text, &format!("s3://{bucket}/{key}"), params.exception_max_days),
        Err(why) => unusable(format!(
            "s3://{bucket}/{key} could not be read ({}: {}): reported as if there were no exceptions",
            why.call, why.message
        )),
    }
}

/// A document's text, named `source` in what is said about it.
fn from_text(text: &str, source: &str, max_days: u32) -> Loaded {
    match parse_exceptions(text, Timestamp::now(), max_days) {
        Ok(exceptions) => Loaded {
            exceptions,
            problem: None,
        },
        Err(why) => unusable(format!(
            "{source} is invalid ({why}): reported as if there were no exceptions"
        )),
    }
}

fn unusable(problem: String) -> Loaded {
    Loaded {
        exceptions: Exceptions::default(),
        problem: Some(problem),
    }
}
