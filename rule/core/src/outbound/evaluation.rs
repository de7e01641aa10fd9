//! What the rule reports to AWS Config for one account.

use crate::timestamp::Timestamp;
use crate::verdict::{Compliance, Verdict};
use serde::Serialize;

/// Four colons: `AWS::Account` is rejected with InvalidParameterValueException.
pub const ACCOUNT_RESOURCE_TYPE: &str = "AWS::::Account";

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evaluation {
    pub resource_type: &'static str,
    pub resource_id: String,
    pub compliance: Compliance,
    pub annotation: Option<String>,
    pub ordering_timestamp: Timestamp,
}

impl Evaluation {
    pub fn for_account(account_id: &str, verdict: Verdict, ordering_timestamp: Timestamp) -> Self {
        Self {
            resource_type: ACCOUNT_RESOURCE_TYPE,
            resource_id: account_id.to_owned(),
            compliance: verdict.compliance,
            annotation: verdict.annotation,
            ordering_timestamp,
        }
    }
}
