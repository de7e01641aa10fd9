//! STS: who are we (the CLI's `check`), and the audit role's credentials in a member account.

use super::sdk_error::{incomplete, unreadable};
use aws_credential_types::Credentials;
use delivery_guard_core::snapshot::Unreadable;

/// `GetCallerIdentity`: the account these credentials belong to.
pub async fn caller_account(client: &aws_sdk_sts::Client) -> Result<String, Unreadable> {
    match client.get_caller_identity().send().await {
        Ok(out) => out
            .account()
            .map(str::to_owned)
            .ok_or_else(|| incomplete("GetCallerIdentity", "no Account in the response")),
        Err(err) => Err(unreadable("GetCallerIdentity", &err)),
    }
}

/// Assumes the role now, not on first use, so a member without the role is named as such
/// instead of surfacing as a credentials error on every read. One hour: the most role chaining
/// allows, and every role's default maximum; a sweep uses each session once, well within it.
pub async fn assume_role(
    client: &aws_sdk_sts::Client,
    role_arn: &str,
    external_id: Option<&str>,
) -> Result<Credentials, Unreadable> {
    let out = client
        .assume_role()
        .role_arn(role_arn)
        .role_session_name("config-delivery-guard")
        .set_external_id(external_id.map(str::to_owned))
        .duration_seconds(3600)
        .send()
        .await
        .map_err(|err| unreadable("AssumeRole", &err))?;
    let creds = out
        .credentials()
        .ok_or_else(|| incomplete("AssumeRole", "no Credentials in the response"))?;
    let expiry = std::time::SystemTime::try_from(*creds.expiration()).ok();
    Ok(Credentials::new(
        creds.access_key_id(),
        creds.secret_access_key(),
        Some(creds.session_token().to_owned()),
        expiry,
        "delivery-guard-audit-role",
    ))
}
