//! What the rule reports to AWS Config for one account.

use crate::timestamp::Timestamp;
use crate::verdict::{Compliance, Verdict};
use serde::Serialize;

/// Four colons: `AWS::Account` is rejected with InvalidParameterValueException.
pub const ACCOUNT_RESOURCE_TYPE: &str = "AWS::::Account";

/// One evaluation, as `PutEvaluations` takes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evaluation {
    /// Always [`ACCOUNT_RESOURCE_TYPE`].
    pub resource_type: &'static str,
    /// The account ID.
    pub resource_id: String,
    /// COMPLIANT, NON_COMPLIANT or NOT_APPLICABLE.
    pub compliance: Compliance,
    /// At most 256 characters; None when there is nothing to say.
    pub annotation: Option<String>,
    /// The invocation's `notificationCreationTime`: Config keeps the newest.
    pub ordering_timestamp: Timestamp,
}

impl Evaluation {
    /// The evaluation of an account from its verdict.
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
