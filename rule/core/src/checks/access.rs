//! Can the writer deliver? Each request Config makes (S3 PutObject and GetBucketAcl, KMS
//! GenerateDataKey and Decrypt) is decided by the policy evaluator over everything the probes read:
//! the bucket or key policy, the recorder role's policies and boundary, and the SCPs on its path.

use super::CheckId;
use super::delivery_path::{
    CONFIG_SERVICE, DeliveryRequest, Source, Writer, as_config_service, config_key_prefix, kms_requests,
    s3_requests,
};
use super::resources::unverified;
use crate::checks::{Finding, Severity};
use crate::policy::{Decision, Named, Policy, PolicyKind, PolicySet, decide, parse_policy};
use crate::snapshot::probes::{BucketExistence, PolicyDocument, Probes};
use crate::snapshot::{DeliveryChannel, Observed, Snapshot};
use std::collections::BTreeMap;

/// What a delivery request writes to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Target {
    /// The channel's bucket.
    Bucket,
    /// A KMS key; RCPs do not restrict AWS managed keys.
    Key {
        /// `KeyManager` is AWS.
        aws_managed: bool,
    },
}

/// The policies read, parsed; what could not be read or parsed became an unverified finding.
#[derive(Default)]
struct Parsed {
    role: Vec<(String, Policy)>,
    boundary: Option<(String, Policy)>,
    scp_levels: Vec<Vec<(String, Policy)>>,
    /// RCP levels by the account that owns the resource.
    rcp_levels: BTreeMap<String, Vec<Vec<(String, Policy)>>>,
    /// The identity side is known (customer role read, or the service principal has none).
    identity_known: bool,
    /// The Organization's management account, whose principals SCPs and resources RCPs spare.
    management_account: Option<String>,
}

pub fn check(snapshot: &Snapshot) -> Vec<Finding> {
    let (Some(channel), Some(recorder)) = (
        snapshot.delivery_channels.read().and_then(|c| c.first()),
        snapshot.recorders.read().and_then(|r| r.first()),
    ) else {
        return Vec::new();
    };
    let writer = Writer::of(recorder);
    let mut findings = Vec::new();
    let mut parsed = parse_identity_side(&snapshot.probes, &writer, &mut findings);
    parsed.rcp_levels = parse_rcps(&snapshot.probes, &mut findings);
    parsed
        .management_account
        .clone_from(&snapshot.probes.management_account);
    if let Some(Observed::Unreadable(why)) = &snapshot.probes.organization_id
        && conditions_on_source_org(&snapshot.probes)
    {
        findings.push(unverified("the account's Organization (aws:SourceOrgID)", why));
    }
    let source = Source {
        account: snapshot.account_id.as_str(),
        region: snapshot.region.as_str(),
        // Unknown (not read, or unreadable): no aws:SourceOrgID is assumed.
        organization: snapshot
            .probes
            .organization_id
            .as_ref()
            .and_then(|observed| observed.read())
            .and_then(|id| id.as_deref()),
    };

    if let Some(bucket) = &snapshot.probes.bucket
        && !matches!(bucket.existence, Observed::Read(BucketExistence::Missing))
    {
        match &bucket.policy {
            Observed::Unreadable(why) => findings.push(unverified("bucket policy", why)),
            Observed::Read(text) => match text.as_deref().map(parse_policy).transpose() {
                Err(err) => findings.push(unparsable("bucket policy", &err.to_string())),
                Ok(policy) => {
                    let owner = bucket.owner_account.as_deref().unwrap_or("unknown");
                    let resource = policy.as_ref().map(|p| ("bucket policy".to_owned(), p));
                    for request in s3_requests(&writer, channel, &bucket.name, owner, &source) {
                        findings.extend(judge(
                            &writer,
                            &parsed,
                            resource.as_ref(),
                            Target::Bucket,
                            &request,
                            channel,
                            &source,
                        ));
                    }
                }
            },
        }
    }
    if let Some(key) = &snapshot.probes.key
        && matches!(key.metadata, Observed::Read(_))
    {
        match &key.policy {
            Observed::Unreadable(why) => findings.push(unverified("KMS key policy", why)),
            Observed::Read(text) => match parse_policy(text) {
                Err(err) => findings.push(unparsable("KMS key policy", &err.to_string())),
                Ok(policy) => {
                    let resource = ("key policy".to_owned(), &policy);
                    let target = Target::Key {
                        aws_managed: key.metadata.read().and_then(|m| m.key_manager.as_deref())
                            == Some("AWS"),
                    };
                    for request in kms_requests(&writer, &key.arn, key.source.describe(), &source) {
                        findings.extend(judge(
                            &writer,
                            &parsed,
                            Some(&resource),
                            target,
                            &request,
                            channel,
                            &source,
                        ));
                    }
                }
            },
        }
    }
    findings
}

fn parse_identity_side(probes: &Probes, writer: &Writer, findings: &mut Vec<Finding>) -> Parsed {
    let mut parsed = Parsed {
        identity_known: matches!(writer, Writer::Service),
        ..Parsed::default()
    };
    if matches!(writer, Writer::Service) {
        return parsed;
    }
    let parse_all =
        |docs: &[PolicyDocument], what: &str, findings: &mut Vec<Finding>| -> Option<Vec<(String, Policy)>> {
            docs.iter()
                .map(|d| parse_policy(&d.document).map(|p| (d.name.clone(), p)))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|err| findings.push(unparsable(what, &err.to_string())))
                .ok()
        };
    match probes
        .recorder_role
        .as_ref()
        .map(|role| (&role.policies, &role.boundary))
    {
        None => {}
        Some((Observed::Unreadable(why), _)) => findings.push(unverified("recorder role policies", why)),
        Some((Observed::Read(docs), boundary)) => {
            if let Some(role) = parse_all(docs, "recorder role policy", findings) {
                parsed.role = role;
                parsed.identity_known = true;
            }
            match boundary {
                Observed::Read(Some(doc)) => {
                    parsed.boundary = parse_all(std::slice::from_ref(doc), "permissions boundary", findings)
                        .and_then(|mut b| b.pop());
                    parsed.identity_known &= parsed.boundary.is_some();
                }
                Observed::Read(None) => {}
                Observed::Unreadable(why) => {
                    findings.push(unverified("recorder role permissions boundary", why));
                    parsed.identity_known = false;
                }
            }
        }
    }
    match &probes.scp_levels {
        None => {}
        Some(Observed::Unreadable(why)) => findings.push(unverified("SCPs on the account's path", why)),
        Some(Observed::Read(levels)) => {
            let mut parsed_levels = Vec::new();
            for level in levels {
                match parse_all(&level.policies, "SCP", findings) {
                    Some(policies) => parsed_levels.push(policies),
                    None => return parsed,
                }
            }
            parsed.scp_levels = parsed_levels;
        }
    }
    parsed
}

/// RCPs restrict every principal, the service included, so they are parsed whoever writes.
fn parse_rcps(probes: &Probes, findings: &mut Vec<Finding>) -> BTreeMap<String, Vec<Vec<(String, Policy)>>> {
    let mut by_owner = BTreeMap::new();
    for (owner, observed) in &probes.rcp_levels {
        match observed {
            Observed::Unreadable(why) => findings.push(unverified(&format!("RCPs of account {owner}"), why)),
            Observed::Read(levels) => {
                let parsed: Result<Vec<Vec<(String, Policy)>>, String> = levels
                    .iter()
                    .map(|level| {
                        level
                            .policies
                            .iter()
                            .map(|d| {
                                parse_policy(&d.document)
                                    .map(|p| (d.name.clone(), p))
                                    .map_err(|e| e.to_string())
                            })
                            .collect()
                    })
                    .collect();
                match parsed {
                    Ok(levels) => {
                        by_owner.insert(owner.clone(), levels);
                    }
                    Err(error) => findings.push(unparsable("RCP", &error)),
                }
            }
        }
    }
    by_owner
}

/// Whether a bucket, key or RCP document names `aws:SourceOrgID`: only then does the account's
/// Organization change a decision.
pub(super) fn conditions_on_source_org(probes: &Probes) -> bool {
    let bucket = probes.bucket.as_ref().and_then(|b| b.policy.read()?.as_deref());
    let key = probes
        .key
        .as_ref()
        .and_then(|k| k.policy.read().map(String::as_str));
    let rcps = probes
        .rcp_levels
        .values()
        .filter_map(|levels| levels.read())
        .flatten()
        .flat_map(|level| level.policies.iter().map(|p| p.document.as_str()));
    bucket
        .into_iter()
        .chain(key)
        .chain(rcps)
        .any(|text| text.to_ascii_lowercase().contains("aws:sourceorgid"))
}

fn judge(
    writer: &Writer,
    parsed: &Parsed,
    resource: Option<&(String, &Policy)>,
    target: Target,
    request: &DeliveryRequest,
    channel: &DeliveryChannel,
    source: &Source<'_>,
) -> Option<Finding> {
    let account = source.account;
    let is_key = matches!(target, Target::Key { .. });
    if !parsed.identity_known {
        return None; // already reported as unverified
    }
    fn named((name, policy): &(String, Policy)) -> Named<'_> {
        Named { name, policy }
    }
    let set = PolicySet {
        identity: parsed.role.iter().map(named).collect(),
        resource: resource.map(|(name, policy)| Named { name, policy }),
        resource_is_kms_key: is_key,
        boundary: parsed.boundary.as_ref().map(named),
        scp_levels: parsed
            .scp_levels
            .iter()
            .map(|level| level.iter().map(named).collect())
            .collect(),
        rcp_levels: parsed
            .rcp_levels
            .get(&request.request.resource_account)
            .map(|levels| {
                levels
                    .iter()
                    .map(|level| level.iter().map(named).collect())
                    .collect()
            })
            .unwrap_or_default(),
        management_account: parsed.management_account.as_deref(),
        resource_is_aws_managed_key: target == Target::Key { aws_managed: true },
    };
    let mut explanation = decide(&set, &request.request);
    if explanation.decision == Decision::Allow {
        return None;
    }
    let mut retry = Retry::None;
    if let Writer::Role {
        account: role_account,
        ..
    } = writer
        && *role_account != request.request.resource_account
    {
        let granted = explanation
            .matched
            .iter()
            .any(|m| m.kind == PolicyKind::Resource && m.effect == crate::policy::Effect::Allow);
        if granted {
            // The resource policy grants the role, something else denies it: AWS documents no retry.
            retry = Retry::Undocumented;
        } else {
            // Documented: without a grant to the role, Config writes as its service principal,
            // which no SCP, boundary or identity policy restricts; the resource policy and RCPs decide.
            let fallback = as_config_service(
                request.request.clone().as_principal(Writer::Service.principal()),
                source,
            );
            let service_set = PolicySet {
                identity: Vec::new(),
                boundary: None,
                scp_levels: Vec::new(),
                ..set
            };
            let service = decide(&service_set, &fallback);
            if service.decision == Decision::Allow {
                return None;
            }
            explanation = service;
            retry = Retry::Documented;
        }
    }
    let check = match (explanation.decided_by, is_key) {
        (Some(PolicyKind::Identity | PolicyKind::PermissionsBoundary), _) => CheckId::RoleDeniesDelivery,
        (Some(PolicyKind::Scp), _) => CheckId::ScpDeniesDelivery,
        (Some(PolicyKind::Rcp), _) => CheckId::RcpDeniesDelivery,
        (_, true) => CheckId::KeyPolicyDeniesDelivery,
        (_, false) => CheckId::BucketPolicyDeniesDelivery,
    };
    let who = match retry {
        Retry::Documented => format!("{CONFIG_SERVICE} (Config's retry for {})", writer.describe()),
        Retry::None | Retry::Undocumented => writer.describe(),
    };
    let message = match retry {
        Retry::Undocumented => format!(
            "undocumented: {who} cannot {}: {}; the {} grants the role, and AWS documents no retry as {CONFIG_SERVICE}",
            request.what,
            explanation.reason,
            if is_key { "key policy" } else { "bucket policy" }
        ),
        Retry::None | Retry::Documented => format!("{who} cannot {}: {}", request.what, explanation.reason),
    };
    let mut finding = Finding::new(check, message)
        .with("writer", who)
        .with("action", &request.request.action)
        .with("resource", &request.request.resource)
        .with("decision", format!("{:?}", explanation.decision))
        .with("reason", &explanation.reason);
    if let Some(deny) = explanation
        .matched
        .iter()
        .find(|m| m.effect == crate::policy::Effect::Deny)
    {
        finding = finding.with("denied_by", format!("{} {}", deny.policy, deny.statement));
    }
    if retry == Retry::Undocumented {
        // Lower than a documented break, never healthy: delivery may still work through a retry.
        finding.severity = Severity::Medium;
        finding = finding.with("retry", "undocumented");
    }
    if retry == Retry::Documented {
        finding = finding.with("retry", "documented: Config retried as its service principal");
    }
    let suggest_for_service = matches!(writer, Writer::Service) || retry == Retry::Documented;
    if explanation.decision == Decision::ImplicitDeny {
        match (writer, check) {
            _ if suggest_for_service => {
                finding = finding.with(
                    "suggested_statement",
                    suggestion(request, channel, account, is_key),
                );
            }
            // The role's own policy is what to extend.
            (Writer::Role { .. }, CheckId::RoleDeniesDelivery) => {
                let resource = match (request.request.action.as_str(), channel.s3_bucket_name.as_deref()) {
                    ("s3:PutObject", Some(bucket)) => {
                        format!("arn:aws:s3:::{bucket}/{}*", config_key_prefix(channel, account))
                    }
                    _ => request.request.resource.clone(),
                };
                let statement = format!(
                    r#"{{"Effect":"Allow","Action":"{}","Resource":"{resource}"}}"#,
                    request.request.action
                );
                finding = finding.with("suggested_statement", statement);
            }
            _ => {}
        }
    }
    Some(finding)
}

/// Whether Config's retry as its service principal decided the request (customer role, resource in
/// another account; AWS Config Developer Guide, "Permissions for the Amazon S3 Bucket").
#[derive(Clone, Copy, PartialEq, Eq)]
enum Retry {
    /// No retry applies: the writer's own path is the decision.
    None,
    /// The resource policy does not grant the role: Config wrote as the service principal.
    Documented,
    /// The resource policy grants the role but something else denies it: AWS documents no retry.
    Undocumented,
}

fn unparsable(what: &str, error: &str) -> Finding {
    Finding::new(
        CheckId::ProbeUnverified,
        format!("unverified: {what} could not be evaluated"),
    )
    .with("error", error)
}

/// The statement to add, from the reference policies (AWS Config Developer Guide).
fn suggestion(request: &DeliveryRequest, channel: &DeliveryChannel, account: &str, is_key: bool) -> String {
    let action = &request.request.action;
    let (resource, condition) = if is_key {
        (
            "*".to_owned(),
            format!(r#"{{"StringEquals":{{"AWS:SourceAccount":"{account}"}}}}"#),
        )
    } else if action == "s3:PutObject" {
        let bucket = channel.s3_bucket_name.as_deref().unwrap_or("<bucket>");
        (
            format!("arn:aws:s3:::{bucket}/{}*", config_key_prefix(channel, account)),
            format!(
                r#"{{"StringEquals":{{"s3:x-amz-acl":"bucket-owner-full-control","AWS:SourceAccount":"{account}"}}}}"#
            ),
        )
    } else {
        (
            request.request.resource.clone(),
            format!(r#"{{"StringEquals":{{"AWS:SourceAccount":"{account}"}}}}"#),
        )
    };
    format!(
        r#"{{"Effect":"Allow","Principal":{{"Service":"{CONFIG_SERVICE}"}},"Action":"{action}","Resource":"{resource}","Condition":{condition}}}"#
    )
}
