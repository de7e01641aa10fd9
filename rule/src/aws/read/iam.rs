//! IAM reads for a customer-managed recorder role: inline and attached policies, and its boundary.

use super::pages::Pages;
use super::sdk_error::{incomplete, unreadable};
use aws_sdk_iam::Client;
use delivery_guard_core::snapshot::{Observed, Unreadable};

/// A role holds at most a few dozen policies (IAM quotas); the bound stops a misbehaving endpoint.
const MAX_PAGES: usize = 50;
use delivery_guard_core::snapshot::probes::PolicyDocument;

/// IAM reads of the recorder role.
#[derive(Clone, Debug)]
pub struct IamReader {
    client: Client,
}

impl IamReader {
    /// Reads with this client.
    pub fn new(client: Client) -> Self {
        Self { client }
    }

    /// The role's inline and attached policies, each document decoded.
    pub async fn role_policies(&self, role_name: &str) -> Observed<Vec<PolicyDocument>> {
        let (inline, attached) = tokio::join!(self.inline(role_name), self.attached(role_name));
        match (inline, attached) {
            (Observed::Read(mut inline), Observed::Read(attached)) => {
                inline.extend(attached);
                Observed::Read(inline)
            }
            (Observed::Unreadable(why), _) | (_, Observed::Unreadable(why)) => Observed::Unreadable(why),
        }
    }

    async fn inline(&self, role_name: &str) -> Observed<Vec<PolicyDocument>> {
        let names = match self.inline_names(role_name).await {
            Ok(names) => names,
            Err(why) => return Observed::Unreadable(why),
        };
        let mut documents = Vec::with_capacity(names.len());
        for name in names {
            match self
                .client
                .get_role_policy()
                .role_name(role_name)
                .policy_name(&name)
                .send()
                .await
            {
                Ok(out) => documents.push(PolicyDocument {
                    name: format!("inline {name}"),
                    document: decode(out.policy_document()),
                }),
                Err(err) => return Observed::Unreadable(unreadable("GetRolePolicy", &err)),
            }
        }
        Observed::Read(documents)
    }

    /// ListRolePolicies, every page (IsTruncated and Marker, as IAM pages).
    async fn inline_names(&self, role_name: &str) -> Result<Vec<String>, Unreadable> {
        const CALL: &str = "ListRolePolicies";
        let mut pages = Pages::new(CALL, MAX_PAGES);
        let mut marker = None;
        let mut names = Vec::new();
        loop {
            let page = self
                .client
                .list_role_policies()
                .role_name(role_name)
                .set_marker(marker.take())
                .send()
                .await
                .map_err(|err| unreadable(CALL, &err))?;
            names.extend(page.policy_names().iter().cloned());
            match pages.next_marker(page.is_truncated(), page.marker())? {
                Some(next) => marker = Some(next),
                None => return Ok(names),
            }
        }
    }

    /// ListAttachedRolePolicies, every page; a policy without its ARN is an incomplete answer.
    async fn attached_arns(&self, role_name: &str) -> Result<Vec<String>, Unreadable> {
        const CALL: &str = "ListAttachedRolePolicies";
        let mut pages = Pages::new(CALL, MAX_PAGES);
        let mut marker = None;
        let mut arns = Vec::new();
        loop {
            let page = self
                .client
                .list_attached_role_policies()
                .role_name(role_name)
                .set_marker(marker.take())
                .send()
                .await
                .map_err(|err| unreadable(CALL, &err))?;
            for policy in page.attached_policies() {
                let arn = policy
                    .policy_arn()
                    .ok_or_else(|| incomplete(CALL, "an attached policy without its PolicyArn"))?;
                arns.push(arn.to_owned());
            }
            match pages.next_marker(page.is_truncated(), page.marker())? {
                Some(next) => marker = Some(next),
                None => return Ok(arns),
            }
        }
    }

    async fn attached(&self, role_name: &str) -> Observed<Vec<PolicyDocument>> {
        let arns = match self.attached_arns(role_name).await {
            Ok(arns) => arns,
            Err(why) => return Observed::Unreadable(why),
        };
        let mut documents = Vec::with_capacity(arns.len());
        for arn in arns {
            match self.managed_policy(&arn).await {
                Observed::Read(document) => documents.push(document),
                Observed::Unreadable(why) => return Observed::Unreadable(why),
            }
        }
        Observed::Read(documents)
    }

    /// None when the role has no permissions boundary.
    pub async fn boundary(&self, role_name: &str) -> Observed<Option<PolicyDocument>> {
        let role = match self.client.get_role().role_name(role_name).send().await {
            Ok(out) => out,
            Err(err) => return Observed::Unreadable(unreadable("GetRole", &err)),
        };
        let Some(arn) = role
            .role()
            .and_then(|r| r.permissions_boundary())
            .and_then(|b| b.permissions_boundary_arn())
        else {
            return Observed::Read(None);
        };
        match self.managed_policy(arn).await {
            Observed::Read(document) => Observed::Read(Some(document)),
            Observed::Unreadable(why) => Observed::Unreadable(why),
        }
    }

    async fn managed_policy(&self, arn: &str) -> Observed<PolicyDocument> {
        let version = match self.client.get_policy().policy_arn(arn).send().await {
            Ok(out) => out
                .policy()
                .and_then(|p| p.default_version_id())
                .map(str::to_owned),
            Err(err) => return Observed::Unreadable(unreadable("GetPolicy", &err)),
        };
        let Some(version) = version else {
            return Observed::Unreadable(incomplete("GetPolicy", "no DefaultVersionId"));
        };
        match self
            .client
            .get_policy_version()
            .policy_arn(arn)
            .version_id(&version)
            .send()
            .await
        {
            Ok(out) => match out.policy_version().and_then(|v| v.document()) {
                Some(document) => Observed::Read(PolicyDocument {
                    name: arn.to_owned(),
                    document: decode(document),
                }),
                None => Observed::Unreadable(incomplete("GetPolicyVersion", "no Document")),
            },
            Err(err) => Observed::Unreadable(unreadable("GetPolicyVersion", &err)),
        }
    }
}

/// IAM returns policy documents URL-encoded (RFC 3986).
fn decode(document: &str) -> String {
    percent_encoding::percent_decode_str(document)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    #[test]
    fn documents_are_url_decoded_and_plain_json_is_left_alone() {
        assert_eq!(
            super::decode("%7B%22Version%22%3A%222012-10-17%22%7D"),
            r#"{"Version":"2012-10-17"}"#
        );
        assert_eq!(super::decode(r#"{"a":"b c"}"#), r#"{"a":"b c"}"#);
    }
}
