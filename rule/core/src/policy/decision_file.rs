//! `delivery-guard decide`: what-if requests against policies you hold, decided by the rule's own IAM
//! evaluator. A file names the policies once and the requests that use them; each request may say
//! which decision it expects, so a policy change can be proved in CI (the Terraform modules' rendered
//! bucket, key and SCP documents are proved this way in `tests/terraform`).

use crate::policy::validate::{DocumentKind, is_full_access_rcp, refusals};
use crate::policy::{Decision, Named, Policy, PolicySet, Principal, Request, decide, parse_policy_value};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// The file `decide --cases` reads: policy documents by name, and the requests that use them.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionFile {
    /// Policy documents by name.
    policies: BTreeMap<String, Value>,
    cases: Vec<Case>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    /// An IAM ARN (`arn:aws:iam::111122223333:role/x`), or `service:config.amazonaws.com`.
    principal: String,
    action: String,
    resource: String,
    /// The account owning the resource; default: the principal's.
    resource_account: Option<String>,
    /// Request context: a key to one value or a list of values.
    #[serde(default)]
    context: BTreeMap<String, OneOrMany>,
    /// Identity policies of the principal, by name.
    #[serde(default)]
    identity: Vec<String>,
    /// The resource's policy, by name.
    resource_policy: Option<String>,
    /// The resource is a KMS key: its key policy must allow or delegate to the account.
    #[serde(default)]
    kms_key: bool,
    /// Permissions boundary, by name.
    boundary: Option<String>,
    /// SCPs on the principal's path, one list per level (root, OUs, account), by name.
    #[serde(default)]
    scps: Vec<Vec<String>>,
    /// RCPs on the resource account's path, likewise.
    #[serde(default)]
    rcps: Vec<Vec<String>>,
    /// The Organization's management account: SCPs spare its principals, RCPs its resources.
    management_account: Option<String>,
    /// The resource is an AWS managed KMS key, which RCPs do not restrict.
    #[serde(default)]
    aws_managed_key: bool,
    expect: Option<Expected>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
enum Expected {
    Allow,
    ExplicitDeny,
    ImplicitDeny,
    /// AWS would not accept a policy of the case (or its RCP path): it is not evaluated.
    Refused,
}

/// What a case came to: the evaluator's decision, or a refusal of one of its policies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum FileDecision {
    /// Allowed and not denied.
    Allow,
    /// A Deny statement matched.
    ExplicitDeny,
    /// Nothing allowed it.
    ImplicitDeny,
    /// AWS would not accept one of the case's policies: never evaluated.
    Refused,
}

impl From<Decision> for FileDecision {
    fn from(decision: Decision) -> Self {
        match decision {
            Decision::Allow => Self::Allow,
            Decision::ExplicitDeny => Self::ExplicitDeny,
            Decision::ImplicitDeny => Self::ImplicitDeny,
        }
    }
}

/// One case decided: the decision, what was expected, and why.
#[derive(Debug, Serialize)]
pub struct Outcome {
    name: String,
    decision: FileDecision,
    expected: Option<Expected>,
    /// The decision is the expected one (always true without an expectation).
    pub holds: bool,
    reason: String,
}

/// A decision file that cannot be used: not the file's shape, a policy the evaluator cannot read, or
/// a case naming a policy or principal that is not there. The message names which.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct DecisionFileError(String);

/// Decides every case; an error names the case or policy that could not be used.
pub fn decide_file(text: &str) -> Result<Vec<Outcome>, DecisionFileError> {
    let file: DecisionFile =
        serde_json::from_str(text).map_err(|e| DecisionFileError(format!("not a decision file: {e}")))?;
    let mut policies = BTreeMap::new();
    for (name, document) in &file.policies {
        let policy =
            parse_policy_value(document).map_err(|e| DecisionFileError(format!("policy {name}: {e}")))?;
        policies.insert(name.as_str(), policy);
    }
    file.cases
        .iter()
        .map(|case| decide_case(case, &policies).map_err(DecisionFileError))
        .collect()
}

fn decide_case(case: &Case, policies: &BTreeMap<&str, Policy>) -> Result<Outcome, String> {
    let named = |name: &str| -> Result<Named<'_>, String> {
        policies
            .get_key_value(name)
            .map(|(name, policy)| Named { name, policy })
            .ok_or_else(|| format!("case {}: no policy named {name}", case.name))
    };
    let levels = |levels: &[Vec<String>]| -> Result<Vec<Vec<Named<'_>>>, String> {
        levels
            .iter()
            .map(|level| level.iter().map(|name| named(name)).collect())
            .collect()
    };
    let set = PolicySet {
        identity: case.identity.iter().map(|n| named(n)).collect::<Result<_, _>>()?,
        resource: case.resource_policy.as_deref().map(named).transpose()?,
        resource_is_kms_key: case.kms_key,
        boundary: case.boundary.as_deref().map(named).transpose()?,
        scp_levels: levels(&case.scps)?,
        rcp_levels: levels(&case.rcps)?,
        management_account: case.management_account.as_deref(),
        resource_is_aws_managed_key: case.aws_managed_key,
    };
    let (principal, own_account) = principal(&case.principal).ok_or_else(|| {
        format!(
            "case {}: principal {:?} is neither an IAM ARN nor service:<name>",
            case.name, case.principal
        )
    })?;
    let resource_account = case.resource_account.clone().or(own_account).unwrap_or_default();
    let mut request = Request::new(principal, &case.action, &case.resource, &resource_account);
    for (key, values) in &case.context {
        match values {
            OneOrMany::One(value) => request = request.with(key, value),
            OneOrMany::Many(values) => {
                for value in values {
                    request = request.with(key, value);
                }
            }
        }
    }
    let refused = refused(case, &set);
    let (decision, reason) = if refused.is_empty() {
        let explanation = decide(&set, &request);
        (FileDecision::from(explanation.decision), explanation.reason)
    } else {
        (
            FileDecision::Refused,
            format!("AWS would not accept this policy: {}", refused.join("; ")),
        )
    };
    let holds = case.expect.is_none_or(|expected| {
        matches!(
            (expected, decision),
            (Expected::Allow, FileDecision::Allow)
                | (Expected::ExplicitDeny, FileDecision::ExplicitDeny)
                | (Expected::ImplicitDeny, FileDecision::ImplicitDeny)
                | (Expected::Refused, FileDecision::Refused)
        )
    });
    Ok(Outcome {
        name: case.name.clone(),
        decision,
        expected: case.expect,
        holds,
        reason,
    })
}

/// Why AWS would not accept the case's policies, each named by its role: an RCP level without
/// RCPFullAWSAccess too (Organizations attaches it to every level and will not detach it).
fn refused(case: &Case, set: &PolicySet<'_>) -> Vec<String> {
    let mut found = Vec::new();
    let mut judge = |named: &Named<'_>, kind: DocumentKind| {
        found.extend(
            refusals(named.policy, kind)
                .into_iter()
                .map(|r| format!("{} {r}", named.name)),
        );
    };
    for named in set.identity.iter().chain(set.boundary.iter()) {
        judge(named, DocumentKind::Identity);
    }
    if let Some(named) = &set.resource {
        judge(named, DocumentKind::Resource);
    }
    for named in set.scp_levels.iter().flatten() {
        judge(named, DocumentKind::Scp);
    }
    for named in set.rcp_levels.iter().flatten() {
        judge(named, DocumentKind::Rcp);
    }
    for (level, policies) in set.rcp_levels.iter().enumerate() {
        if !policies.iter().any(|named| is_full_access_rcp(named.policy)) {
            found.push(format!(
                "RCP level {level} ({}) lacks RCPFullAWSAccess, which Organizations attaches to every level and will not detach",
                case.name
            ));
        }
    }
    found
}

/// The principal and, for an IAM ARN, its account.
fn principal(text: &str) -> Option<(Principal, Option<String>)> {
    if text == "anonymous" {
        return Some((Principal::Anonymous, None));
    }
    if let Some(service) = text.strip_prefix("service:") {
        return (!service.is_empty()).then(|| (Principal::Service(service.to_owned()), None));
    }
    let account = text.split(':').nth(4).filter(|a| a.len() == 12)?;
    text.starts_with("arn:").then(|| {
        (
            Principal::Aws {
                arn: text.to_owned(),
                account: account.to_owned(),
            },
            Some(account.to_owned()),
        )
    })
}

/// One line per case: PASS/FAIL (or the bare decision without an expectation), then the reason.
pub fn render_table(outcomes: &[Outcome]) -> String {
    let mut out = String::new();
    for outcome in outcomes {
        let status = match (outcome.expected, outcome.holds) {
            (None, _) => "    ",
            (Some(_), true) => "PASS",
            (Some(_), false) => "FAIL",
        };
        let expected = outcome
            .expected
            .map(|e| format!(" (expected {e:?})"))
            .unwrap_or_default();
        out.push_str(&format!(
            "{status} {}: {:?}{expected}: {}\n",
            outcome.name, outcome.decision, outcome.reason
        ));
    }
    let failed = outcomes.iter().filter(|o| !o.holds).count();
    out.push_str(&format!("{} decided, {failed} not as expected\n", outcomes.len()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = r#"{
      "policies": {
        "bucket": {"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", "Principal": {"Service": "config.amazonaws.com"}, "Action": "s3:PutObject",
           "Resource": "arn:aws:s3:::logs/AWSLogs/111111111111/Config/*",
           "Condition": {"StringEquals": {"AWS:SourceAccount": "111111111111"}}}]}
      },
      "cases": [
        {"name": "member delivers", "principal": "service:config.amazonaws.com", "action": "s3:PutObject",
         "resource": "arn:aws:s3:::logs/AWSLogs/111111111111/Config/x", "resource_account": "999999999999",
         "context": {"AWS:SourceAccount": "111111111111"}, "resource_policy": "bucket", "expect": "Allow"},
        {"name": "stranger delivers", "principal": "service:config.amazonaws.com", "action": "s3:PutObject",
         "resource": "arn:aws:s3:::logs/AWSLogs/111111111111/Config/x", "resource_account": "999999999999",
         "context": {"AWS:SourceAccount": ["444444444444"]}, "resource_policy": "bucket", "expect": "Allow"}
      ]
    }"#;

    #[test]
    fn cases_are_decided_and_a_wrong_expectation_is_reported() {
        let outcomes = decide_file(FILE).unwrap();
        assert_eq!(outcomes[0].decision, FileDecision::Allow);
        assert!(outcomes[0].holds);
        assert_eq!(outcomes[1].decision, FileDecision::ImplicitDeny);
        assert!(!outcomes[1].holds);
        let table = render_table(&outcomes);
        assert!(
            table.contains("FAIL stranger delivers: ImplicitDeny (expected Allow)"),
            "{table}"
        );
        assert!(table.ends_with("2 decided, 1 not as expected\n"));
    }

    #[test]
    fn unknown_policy_names_and_principals_are_errors() {
        let missing = FILE.replace(
            r#""resource_policy": "bucket", "expect": "Allow"},"#,
            r#""resource_policy": "bukket", "expect": "Allow"},"#,
        );
        assert!(
            decide_file(&missing)
                .unwrap_err()
                .to_string()
                .contains("no policy named bukket")
        );
        let bad = FILE.replace("service:config.amazonaws.com", "config");
        assert!(
            decide_file(&bad)
                .unwrap_err()
                .to_string()
                .contains("neither an IAM ARN")
        );
        assert!(
            decide_file("{}")
                .unwrap_err()
                .to_string()
                .starts_with("not a decision file")
        );
    }
}
