//! What AWS refuses to store, by the kind of policy: a document AWS would not accept is reported
//! as such ("AWS would not accept this policy"), never evaluated as if it applied. The rules are
//! the ones AWS documents for each kind; `tests/differential` finds them again with an
//! independent policy checker (@cloud-copilot/iam-policy's validators, through iam-simulate).

use super::model::{Effect, Matcher, Policy, PrincipalEntry, Statement};
use std::fmt;

/// The role a policy document plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    /// An identity policy or a permissions boundary: it names no principal.
    Identity,
    /// A resource policy: a bucket, key, topic or bus policy, or a role's trust policy.
    Resource,
    /// A service control policy: it names no principal.
    Scp,
    /// A resource control policy.
    Rcp,
}

/// One reason AWS would refuse the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The statement (its Sid or position), or "the policy".
    pub statement: String,
    /// What AWS refuses, and where it says so.
    pub reason: &'static str,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.statement, self.reason)
    }
}

const RESOURCE_NEEDS_PRINCIPAL: &str = "a resource-based policy statement must name a Principal or NotPrincipal \
     (IAM User Guide, \"AWS JSON policy elements: Principal\"; S3 answers MalformedPolicy \"Missing required field Principal\")";
const IDENTITY_NO_PRINCIPAL: &str = "an identity-based policy cannot name a Principal (IAM User Guide, \"AWS JSON policy elements: Principal\")";
const NOT_PRINCIPAL_ALLOW: &str = "NotPrincipal must be used with \"Effect\": \"Deny\"; with Allow it is not supported \
     (IAM User Guide, \"AWS JSON policy elements: NotPrincipal\")";
const RCP_ALLOW: &str = "the effect of Allow is only supported for the RCPFullAWSAccess policy \
     (AWS Organizations User Guide, \"RCP syntax\")";
const RCP_PRINCIPAL: &str = "an RCP statement's Principal must be \"*\" (AWS Organizations User Guide, \"RCP syntax\", Principal element)";
const RCP_NOT_PRINCIPAL: &str =
    "NotPrincipal is not an RCP element (AWS Organizations User Guide, \"RCP syntax\", elements summary)";
const RCP_NOT_ACTION: &str =
    "NotAction is not an RCP element (AWS Organizations User Guide, \"RCP syntax\", elements summary)";
const RCP_ACTION_ALL: &str = "an RCP names the actions it denies, never \"Action\": \"*\" (refused by iam-policy's \
     RCP validator; every example of the AWS Organizations User Guide's \"RCP syntax\" names its actions, \
     though the text available here does not say it in so many words)";
const RCP_VERSION: &str = "every RCP must have \"Version\": \"2012-10-17\" (AWS Organizations User Guide, \"RCP syntax\", Version element)";

/// Every reason AWS would refuse `policy` as a document of `kind`; empty when it would accept it.
pub fn refusals(policy: &Policy, kind: DocumentKind) -> Vec<Refusal> {
    let mut found = Vec::new();
    if kind == DocumentKind::Rcp && !policy.variables && !is_full_access_rcp(policy) {
        found.push(Refusal {
            statement: "the policy".to_owned(),
            reason: RCP_VERSION,
        });
    }
    for statement in &policy.statements {
        let refuse = |reason| Refusal {
            statement: statement.label(),
            reason,
        };
        if statement.effect == Effect::Allow && matches!(statement.principal, Some(Matcher::AllBut(_))) {
            found.push(refuse(NOT_PRINCIPAL_ALLOW));
        }
        match kind {
            DocumentKind::Resource if statement.principal.is_none() => {
                found.push(refuse(RESOURCE_NEEDS_PRINCIPAL))
            }
            DocumentKind::Identity | DocumentKind::Scp if statement.principal.is_some() => {
                found.push(refuse(IDENTITY_NO_PRINCIPAL));
            }
            DocumentKind::Rcp => found.extend(rcp_refusals(statement).into_iter().map(refuse)),
            _ => {}
        }
    }
    found
}

fn rcp_refusals(statement: &Statement) -> Vec<&'static str> {
    if is_full_access(statement) {
        return Vec::new();
    }
    let mut found = Vec::new();
    if statement.effect == Effect::Allow {
        found.push(RCP_ALLOW);
    }
    match &statement.principal {
        Some(Matcher::Only(entries)) if entries.iter().all(|e| *e == PrincipalEntry::Anyone) => {}
        Some(Matcher::AllBut(_)) => found.push(RCP_NOT_PRINCIPAL),
        _ => found.push(RCP_PRINCIPAL),
    }
    match &statement.action {
        Matcher::AllBut(_) => found.push(RCP_NOT_ACTION),
        Matcher::Only(actions) if actions.iter().any(|a| a == "*") => found.push(RCP_ACTION_ALL),
        Matcher::Only(_) => {}
    }
    found
}

/// The statement of RCPFullAWSAccess: Allow, every principal, action and resource, no condition.
fn is_full_access(statement: &Statement) -> bool {
    let everything = |m: &Matcher<String>| matches!(m, Matcher::Only(v) if v.iter().any(|x| x == "*"));
    statement.effect == Effect::Allow
        && matches!(&statement.principal, Some(Matcher::Only(e)) if e.contains(&PrincipalEntry::Anyone))
        && everything(&statement.action)
        && statement.resource.as_ref().is_none_or(everything)
        && statement.conditions.is_empty()
}

/// Whether the policy is RCPFullAWSAccess (or its like): Organizations attaches it to the root,
/// every OU and every account, and it cannot be detached (AWS Organizations User Guide, "RCP
/// syntax" note), so every level of a path holds it.
pub fn is_full_access_rcp(policy: &Policy) -> bool {
    policy.statements.iter().any(is_full_access)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::parse_policy;

    fn refused(text: &str, kind: DocumentKind) -> Vec<&'static str> {
        refusals(&parse_policy(text).unwrap(), kind)
            .into_iter()
            .map(|r| r.reason)
            .collect()
    }

    #[test]
    fn rcps_deny_everyone_named_actions_and_allow_only_as_full_access() {
        let full = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}"#;
        assert!(refused(full, DocumentKind::Rcp).is_empty());
        let deny = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*",
            "Condition":{"BoolIfExists":{"aws:SecureTransport":"false"}}}]}"#;
        assert!(refused(deny, DocumentKind::Rcp).is_empty());
        let allow = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}]}"#;
        assert_eq!(refused(allow, DocumentKind::Rcp), [RCP_ALLOW]);
        let everything = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*"}]}"#;
        assert_eq!(refused(everything, DocumentKind::Rcp), [RCP_ACTION_ALL]);
        let principal = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":{"AWS":"111111111111"},"NotAction":"s3:GetObject","Resource":"*"}]}"#;
        assert_eq!(
            refused(principal, DocumentKind::Rcp),
            [RCP_PRINCIPAL, RCP_NOT_ACTION]
        );
        let old = r#"{"Version":"2008-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}]}"#;
        assert_eq!(refused(old, DocumentKind::Rcp), [RCP_VERSION]);
    }

    #[test]
    fn resource_policies_name_a_principal_identity_policies_none() {
        let nobody = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sns:Publish","Resource":"*"}]}"#;
        assert_eq!(
            refused(nobody, DocumentKind::Resource),
            [RESOURCE_NEEDS_PRINCIPAL]
        );
        assert!(refused(nobody, DocumentKind::Identity).is_empty());
        let named = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}]}"#;
        assert_eq!(refused(named, DocumentKind::Identity), [IDENTITY_NO_PRINCIPAL]);
        let not_allow = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotPrincipal":{"AWS":"111111111111"},"Action":"s3:*","Resource":"*"}]}"#;
        assert_eq!(refused(not_allow, DocumentKind::Resource), [NOT_PRINCIPAL_ALLOW]);
    }
}
