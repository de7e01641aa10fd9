//! The two inputs of the Lambda: Config's custom-rule invocation and EventBridge's "AWS API Call via
//! CloudTrail" event of a call that can break a pipeline.

pub mod cloudtrail_call;
pub mod invocation;
