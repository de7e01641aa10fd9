//! Who are we: the account the CLI's `check` judges.

use super::sdk_error::unreadable;
use crate::snapshot::Unreadable;

pub async fn caller_account(client: &aws_sdk_sts::Client) -> Result<String, Unreadable> {
    match client.get_caller_identity().send().await {
        Ok(out) => out.account().map(str::to_owned).ok_or_else(|| Unreadable {
            call: "GetCallerIdentity".to_owned(),
            kind: crate::snapshot::FailureKind::MalformedResponse,
            code: None,
            message: "no Account in the response".to_owned(),
        }),
        Err(err) => Err(unreadable("GetCallerIdentity", &err)),
    }
}
