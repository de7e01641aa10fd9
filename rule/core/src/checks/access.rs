//! Can the writer deliver? Each request Config makes (S3 PutObject and GetBucketAcl, KMS
//! GenerateDataKey and Decrypt) is decided by the policy evaluator over everything the probes read:
//! the bucket or key policy, the recorder role's policies and boundary, and the SCPs on its path.
//! A check passes only when every request it concerns was decided on policies that were read.

use super::delivery_path::{
    CONFIG_SERVICE, DeliveryRequest, Source, Writer, as_config_service, config_key_prefix, kms_requests,
    s3_requests,
};
use super::outcome::Record;
use super::resources::{KeyOnPath, key_on_path, no_probe, unverified};
use super::{CheckId, NotEvaluated};
use crate::checks::{Finding, Severity};
use crate::policy::validate::{DocumentKind, refusals};
use crate::policy::{
    Condition, Decision, Explanation, Named, Policy, PolicyKind, PolicySet, decide, parse_policy,
};
use crate::snapshot::probes::{BucketExistence, BucketProbe, KeyProbe, PolicyDocument, Probes};
use crate::snapshot::{DeliveryChannel, Observed, Snapshot};
use std::collections::BTreeMap;

const ACCESS_CHECKS: [CheckId; 5] = [
    CheckId::BucketPolicyDeniesDelivery,
    CheckId::KeyPolicyDeniesDelivery,
    CheckId::RoleDeniesDelivery,
    CheckId::ScpDeniesDelivery,
    CheckId::RcpDeniesDelivery,
];
/// The checks a bucket request concerns.
const BUCKET_SIDE: [CheckId; 4] = [
    CheckId::BucketPolicyDeniesDelivery,
    CheckId::RoleDeniesDelivery,
    CheckId::ScpDeniesDelivery,
    CheckId::RcpDeniesDelivery,
];
/// The checks a key request concerns.
const KEY_SIDE: [CheckId; 4] = [
    CheckId::KeyPolicyDeniesDelivery,
    CheckId::RoleDeniesDelivery,
    CheckId::ScpDeniesDelivery,
    CheckId::RcpDeniesDelivery,
];

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

impl Target {
    const fn side(self) -> &'static [CheckId; 4] {
        match self {
            Self::Bucket => &BUCKET_SIDE,
            Self::Key { .. } => &KEY_SIDE,
        }
    }

    const fn policy_check(self) -> CheckId {
        match self {
            Self::Bucket => CheckId::BucketPolicyDeniesDelivery,
            Self::Key { .. } => CheckId::KeyPolicyDeniesDelivery,
        }
    }
}

/// The policies read, parsed; what could not be read or parsed became an unverified finding.
#[derive(Default)]
struct Parsed {
    role: Vec<(String, Policy)>,
    boundary: Option<(String, Policy)>,
    scp_levels: Vec<Vec<(String, Policy)>>,
    /// RCP levels by the account that owns the resource.
    rcp_levels: BTreeMap<String, Vec<Vec<(String, Policy)>>>,
    /// The Organization's management account, whose principals SCPs and resources RCPs spare.
    management_account: Option<String>,
    /// RCPs were read for some account (through OrganizationReadRoleArn), even if not parsed.
    rcps_read: bool,
}

/// Everything one request is judged in.
struct Judging<'a> {
    writer: &'a Writer,
    parsed: &'a Parsed,
    channel: &'a DeliveryChannel,
    source: Source<'a>,
}

pub(super) fn check(snapshot: &Snapshot, out: &mut Record) {
    let Some((channel, writer)) = channel_and_writer(snapshot, out) else {
        return;
    };
    let mut parsed = Parsed {
        rcp_levels: parse_rcps(&snapshot.probes, out),
        management_account: snapshot.probes.management_account.clone(),
        rcps_read: !snapshot.probes.rcp_levels.is_empty(),
        ..Parsed::default()
    };
    if !parse_identity_side(snapshot, &writer, &mut parsed, out) {
        return;
    }
    if !organization_known(&snapshot.probes, out) {
        return;
    }
    let judging = Judging {
        writer: &writer,
        parsed: &parsed,
        channel,
        source: Source {
            account: snapshot.account_id.as_str(),
            region: snapshot.region.as_str(),
            // Unknown (not read): no aws:SourceOrgID is assumed; organization_known said so.
            organization: snapshot
                .probes
                .organization_id
                .as_ref()
                .and_then(|observed| observed.read())
                .and_then(|id| id.as_deref()),
            channel_key: channel.s3_kms_key_arn.as_deref(),
        },
    };
    match &snapshot.probes.bucket {
        Some(bucket) => bucket_side(&judging, bucket, out),
        None => out.skip_all(&BUCKET_SIDE, &no_probe(snapshot)),
    }
    match key_on_path(snapshot) {
        KeyOnPath::Probed(key) => key_side(&judging, key, out),
        KeyOnPath::Absent => out.pass(CheckId::KeyPolicyDeniesDelivery),
        KeyOnPath::Unknown(why) => out.skip_all(&KEY_SIDE, &why),
    }
}

/// The channel and who writes through it; without either, no access check can be judged.
fn channel_and_writer<'a>(snapshot: &'a Snapshot, out: &mut Record) -> Option<(&'a DeliveryChannel, Writer)> {
    let unread = |call: &str| NotEvaluated::Unread(call.to_owned());
    let channel = match &snapshot.delivery_channels {
        Observed::Read(channels) => channels.first(),
        Observed::Unreadable(_) => {
            out.skip_all(&ACCESS_CHECKS, &unread("DescribeDeliveryChannels"));
            return None;
        }
    };
    let Some(channel) = channel else {
        out.skip_all(&ACCESS_CHECKS, &NotEvaluated::Moot(CheckId::ChannelMissing));
        return None;
    };
    let recorder = match &snapshot.recorders {
        Observed::Read(recorders) => recorders.first(),
        Observed::Unreadable(_) => {
            out.skip_all(&ACCESS_CHECKS, &unread("DescribeConfigurationRecorders"));
            return None;
        }
    };
    let Some(recorder) = recorder else {
        out.skip_all(&ACCESS_CHECKS, &NotEvaluated::Moot(CheckId::RecorderMissing));
        return None;
    };
    match Writer::of(recorder) {
        Some(writer) => Some((channel, writer)),
        None => {
            // The recorder check already said "cannot verify": no roleARN.
            let why = NotEvaluated::Incomplete(format!("recorder '{}' names no roleARN", recorder.name));
            out.skip_all(&ACCESS_CHECKS, &why);
            None
        }
    }
}

/// Reads the writer's own policies; false when they are not known, so no request can be judged.
/// The service principal has none, and SCPs never restrict it: its role and SCP checks pass.
fn parse_identity_side(snapshot: &Snapshot, writer: &Writer, parsed: &mut Parsed, out: &mut Record) -> bool {
    let Writer::Role { arn, account, .. } = writer else {
        out.pass_all(&[CheckId::RoleDeniesDelivery, CheckId::ScpDeniesDelivery]);
        return true;
    };
    let probes = &snapshot.probes;
    let Some(role) = &probes.recorder_role else {
        let why = if *account != snapshot.account_id {
            out.fail(
                Finding::new(
                    CheckId::ProbeUnverified,
                    format!(
                        "unverified: recorder role {arn} is in account {account}, not {}: its policies are not read",
                        snapshot.account_id
                    ),
                )
                .with("probe", "recorder role policies")
                .with("role_arn", arn),
            );
            NotEvaluated::Unread(format!("recorder role {arn} in another account"))
        } else {
            no_probe(snapshot)
        };
        out.skip_all(&ACCESS_CHECKS, &why);
        return false;
    };
    let known = match (&role.policies, &role.boundary) {
        (Observed::Unreadable(why), _) => {
            out.fail(unverified("recorder role policies", why));
            false
        }
        (Observed::Read(docs), boundary) => parse_role(docs, boundary, parsed, out),
    };
    if !known {
        out.skip_all(
            &ACCESS_CHECKS,
            &NotEvaluated::Unread("recorder role policies".into()),
        );
        return false;
    }
    parse_scps(probes, parsed, out);
    true
}

/// Whether AWS would accept the document; a refusal is said ("AWS would not accept this policy")
/// and the policy is never evaluated as if it applied.
fn accepted(what: &str, policy: &Policy, kind: DocumentKind, out: &mut Record) -> bool {
    let refused = refusals(policy, kind);
    if refused.is_empty() {
        return true;
    }
    let reasons: Vec<String> = refused.iter().map(ToString::to_string).collect();
    out.fail(
        Finding::new(
            CheckId::ProbeUnverified,
            format!("unverified: AWS would not accept this {what}, so it was not evaluated"),
        )
        .with("probe", what)
        .with("refusal", reasons.join("; ")),
    );
    false
}

fn parse_all(docs: &[PolicyDocument], what: &str, out: &mut Record) -> Option<Vec<(String, Policy)>> {
    docs.iter()
        .map(|d| parse_policy(&d.document).map(|p| (d.name.clone(), p)))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|err| out.fail(unparsable(what, &err.to_string())))
        .ok()
}

fn parse_role(
    docs: &[PolicyDocument],
    boundary: &Observed<Option<PolicyDocument>>,
    parsed: &mut Parsed,
    out: &mut Record,
) -> bool {
    let Some(role) = parse_all(docs, "recorder role policy", out) else {
        return false;
    };
    parsed.role = role;
    match boundary {
        Observed::Read(Some(doc)) => {
            parsed.boundary =
                parse_all(std::slice::from_ref(doc), "permissions boundary", out).and_then(|mut b| b.pop());
            parsed.boundary.is_some()
        }
        Observed::Read(None) => true,
        Observed::Unreadable(why) => {
            out.fail(unverified("recorder role permissions boundary", why));
            false
        }
    }
}

/// SCPs on the account's path; unread, the SCP check is not evaluated (the others still are: an
/// SCP can only deny more).
fn parse_scps(probes: &Probes, parsed: &mut Parsed, out: &mut Record) {
    // DescribeOrganization said the account is in no Organization: no SCP can apply, whatever the
    // SCP walk answered (AWSOrganizationsNotInUseException, or a denial of a reader role).
    if matches!(probes.organization_id, Some(Observed::Read(None))) {
        return;
    }
    let why = match &probes.scp_levels {
        None => NotEvaluated::NotApplicable("root-cause probes are off"),
        Some(Observed::Unreadable(why)) => {
            out.fail(unverified("SCPs on the account's path", why));
            NotEvaluated::Unread("SCPs on the account's path".into())
        }
        Some(Observed::Read(levels)) => {
            let parsed_levels: Option<Vec<_>> = levels
                .iter()
                .map(|level| parse_all(&level.policies, "SCP", out))
                .collect();
            match parsed_levels {
                Some(levels) => {
                    parsed.scp_levels = levels;
                    return;
                }
                None => NotEvaluated::Unread("an SCP that does not parse".into()),
            }
        }
    };
    out.skip(CheckId::ScpDeniesDelivery, why);
}

/// RCPs restrict every principal, the service included, so they are parsed whoever writes.
fn parse_rcps(probes: &Probes, out: &mut Record) -> BTreeMap<String, Vec<Vec<(String, Policy)>>> {
    let mut by_owner = BTreeMap::new();
    for (owner, observed) in &probes.rcp_levels {
        match observed {
            Observed::Unreadable(why) => out.fail(unverified(&format!("RCPs of account {owner}"), why)),
            Observed::Read(levels) => {
                let parsed: Option<Vec<_>> = levels
                    .iter()
                    .map(|level| parse_all(&level.policies, "RCP", out))
                    .collect();
                // Only what Organizations would store is evaluated: refused RCPs are said.
                let accepted_levels = parsed.filter(|levels| {
                    levels.iter().all(|level| {
                        level
                            .iter()
                            .all(|(name, p)| accepted(&format!("RCP {name}"), p, DocumentKind::Rcp, out))
                    })
                });
                if let Some(levels) = accepted_levels {
                    by_owner.insert(owner.clone(), levels);
                }
            }
        }
    }
    by_owner
}

/// The account's Organization, where a policy conditions on `aws:SourceOrgID`: unread, no
/// access check can be judged (Config sends it on every service-principal write).
fn organization_known(probes: &Probes, out: &mut Record) -> bool {
    if let Some(Observed::Unreadable(why)) = &probes.organization_id
        && conditions_on_source_org(probes)
    {
        out.fail(unverified("the account's Organization (aws:SourceOrgID)", why));
        out.skip_all(
            &ACCESS_CHECKS,
            &NotEvaluated::Unread("the account's Organization".into()),
        );
        return false;
    }
    true
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

/// The bucket's policy and its owner, then each S3 request Config makes.
fn bucket_side(judging: &Judging<'_>, bucket: &BucketProbe, out: &mut Record) {
    if matches!(bucket.existence, Observed::Read(BucketExistence::Missing)) {
        out.skip_all(&BUCKET_SIDE, &NotEvaluated::Moot(CheckId::BucketMissing));
        return;
    }
    let policy = match &bucket.policy {
        Observed::Unreadable(why) => {
            out.fail(unverified("bucket policy", why));
            out.skip_all(&BUCKET_SIDE, &NotEvaluated::Unread("bucket policy".into()));
            return;
        }
        Observed::Read(text) => match text.as_deref().map(parse_policy).transpose() {
            Err(err) => {
                out.fail(unparsable("bucket policy", &err.to_string()));
                out.skip_all(
                    &BUCKET_SIDE,
                    &NotEvaluated::Unread("bucket policy that does not parse".into()),
                );
                return;
            }
            Ok(policy) => policy,
        },
    };
    if let Some(policy) = &policy
        && !accepted("bucket policy", policy, DocumentKind::Resource, out)
    {
        out.skip_all(
            &BUCKET_SIDE,
            &NotEvaluated::Unread("a bucket policy AWS would not accept".into()),
        );
        return;
    }
    let Some(owner) = bucket_owner(judging.writer, bucket, out) else {
        return;
    };
    let resource = policy.as_ref().map(|p| ("bucket policy".to_owned(), p));
    for request in s3_requests(
        judging.writer,
        judging.channel,
        &bucket.name,
        owner,
        &judging.source,
    ) {
        judge(judging, resource.as_ref(), Target::Bucket, &request, out);
    }
}

/// Who owns the bucket decides who writes (the role, or Config's retry as its service principal,
/// for a bucket in another account) and whose RCPs apply. Unknown, a role's requests cannot be
/// judged and no RCP is; the service principal's bucket policy still can be.
fn bucket_owner<'a>(writer: &Writer, bucket: &'a BucketProbe, out: &mut Record) -> Option<&'a str> {
    if let Some(owner) = bucket.owner_account.as_deref() {
        return Some(owner);
    }
    let why = bucket.owner_unknown.as_deref().unwrap_or("not established");
    out.fail(
        Finding::new(
            CheckId::ProbeUnverified,
            format!("unverified: bucket owner of {} ({why})", bucket.name),
        )
        .with("probe", "bucket owner")
        .with("bucket", &bucket.name),
    );
    out.skip(
        CheckId::RcpDeniesDelivery,
        NotEvaluated::Unread("bucket owner".into()),
    );
    match writer {
        Writer::Service => Some("unknown"),
        Writer::Role { .. } => {
            out.skip_all(&BUCKET_SIDE, &NotEvaluated::Unread("bucket owner".into()));
            None
        }
    }
}

/// The key's policy, then each KMS request Config makes.
fn key_side(judging: &Judging<'_>, key: &KeyProbe, out: &mut Record) {
    let metadata = match &key.metadata {
        Observed::Read(metadata) => metadata,
        Observed::Unreadable(why) if why.code.as_deref() == Some("NotFoundException") => {
            out.skip_all(&KEY_SIDE, &NotEvaluated::Moot(CheckId::KeyMissing));
            return;
        }
        // The key state check already said why.
        Observed::Unreadable(_) => {
            out.skip_all(&KEY_SIDE, &NotEvaluated::Unread("KMS key state".into()));
            return;
        }
    };
    let policy = match &key.policy {
        Observed::Unreadable(why) => {
            out.fail(unverified("KMS key policy", why));
            out.skip_all(&KEY_SIDE, &NotEvaluated::Unread("KMS key policy".into()));
            return;
        }
        Observed::Read(text) => match parse_policy(text) {
            Err(err) => {
                out.fail(unparsable("KMS key policy", &err.to_string()));
                out.skip_all(
                    &KEY_SIDE,
                    &NotEvaluated::Unread("KMS key policy that does not parse".into()),
                );
                return;
            }
            Ok(policy) => policy,
        },
    };
    if !accepted("KMS key policy", &policy, DocumentKind::Resource, out) {
        out.skip_all(
            &KEY_SIDE,
            &NotEvaluated::Unread("a key policy AWS would not accept".into()),
        );
        return;
    }
    let resource = ("key policy".to_owned(), &policy);
    let target = Target::Key {
        aws_managed: metadata.key_manager.as_deref() == Some("AWS"),
    };
    for request in kms_requests(judging.writer, &key.arn, key.source.describe(), &judging.source) {
        judge(judging, Some(&resource), target, &request, out);
    }
}

/// One request decided: allowed, every check it concerns passes (but those whose policies were
/// not read, which stay not evaluated); denied, the deciding check fails and the rest are moot.
fn judge(
    judging: &Judging<'_>,
    resource: Option<&(String, &Policy)>,
    target: Target,
    request: &DeliveryRequest,
    out: &mut Record,
) {
    let parsed = judging.parsed;
    let rcps = parsed.rcp_levels.get(&request.request.resource_account);
    if rcps.is_none() {
        let why = if !parsed.rcps_read {
            NotEvaluated::NotApplicable("RCPs are read only through OrganizationReadRoleArn")
        } else {
            NotEvaluated::Unread(format!("RCPs of account {}", request.request.resource_account))
        };
        out.skip(CheckId::RcpDeniesDelivery, why);
    }
    let set = policy_set(parsed, resource, target, rcps);
    let (explanation, retry) = match decide_with_retry(judging.writer, &set, request, &judging.source) {
        Ok(None) => {
            out.pass_all(target.side());
            return;
        }
        Ok(Some(denied)) => denied,
        Err(keys) => {
            out.fail(depends_on(judging, request, &keys));
            out.skip_all(target.side(), &NotEvaluated::Unread(format!("depends on {keys}")));
            return;
        }
    };
    let check = match explanation.decided_by {
        Some(PolicyKind::Identity | PolicyKind::PermissionsBoundary) => CheckId::RoleDeniesDelivery,
        Some(PolicyKind::Scp) => CheckId::ScpDeniesDelivery,
        Some(PolicyKind::Rcp) => CheckId::RcpDeniesDelivery,
        _ => target.policy_check(),
    };
    for other in target.side().iter().filter(|c| **c != check) {
        out.skip(*other, NotEvaluated::Moot(check));
    }
    out.fail(finding(judging, target, request, &explanation, retry, check));
}

fn policy_set<'a>(
    parsed: &'a Parsed,
    resource: Option<&'a (String, &'a Policy)>,
    target: Target,
    rcps: Option<&'a Vec<Vec<(String, Policy)>>>,
) -> PolicySet<'a> {
    fn named((name, policy): &(String, Policy)) -> Named<'_> {
        Named { name, policy }
    }
    let levels = |levels: &'a [Vec<(String, Policy)>]| -> Vec<Vec<Named<'a>>> {
        levels
            .iter()
            .map(|level| level.iter().map(named).collect())
            .collect()
    };
    PolicySet {
        identity: parsed.role.iter().map(named).collect(),
        resource: resource.map(|(name, policy)| Named { name, policy }),
        resource_is_kms_key: matches!(target, Target::Key { .. }),
        boundary: parsed.boundary.as_ref().map(named),
        scp_levels: levels(&parsed.scp_levels),
        rcp_levels: rcps.map(|r| levels(r)).unwrap_or_default(),
        management_account: parsed.management_account.as_deref(),
        resource_is_aws_managed_key: target == Target::Key { aws_managed: true },
    }
}

/// The request's decision for the writer, with Config's documented retry as its service
/// principal for a role writing to another account's resource that does not grant it; Ok(None)
/// when delivery is allowed (first time or on the retry); Err naming the keys the decision turns on
/// when it differs with the values an undocumented key may take (request_context).
fn decide_with_retry(
    writer: &Writer,
    set: &PolicySet<'_>,
    request: &DeliveryRequest,
    source: &Source<'_>,
) -> Result<Option<(Explanation, Retry)>, String> {
    let Some(explanation) = decided(set, request)? else {
        return Ok(None);
    };
    let Writer::Role {
        account: role_account,
        ..
    } = writer
    else {
        return Ok(Some((explanation, Retry::None)));
    };
    if *role_account == request.request.resource_account {
        return Ok(Some((explanation, Retry::None)));
    }
    let granted = explanation
        .matched
        .iter()
        .any(|m| m.kind == PolicyKind::Resource && m.effect == crate::policy::Effect::Allow);
    if granted {
        // The resource policy grants the role, something else denies it: AWS documents no retry.
        return Ok(Some((explanation, Retry::Undocumented)));
    }
    // Documented: without a grant to the role, Config writes as its service principal, which no
    // SCP, boundary or identity policy restricts; the resource policy and RCPs decide.
    let fallback = as_config_service(request, source);
    let service_set = PolicySet {
        identity: Vec::new(),
        boundary: None,
        scp_levels: Vec::new(),
        ..set.clone()
    };
    Ok(decided(&service_set, &fallback)?.map(|service| (service, Retry::Documented)))
}

/// The decision over every value the open keys may take (absent, or each candidate): None when
/// all allow, the first denial when all deny, Err with the keys when they disagree.
fn decided(set: &PolicySet<'_>, request: &DeliveryRequest) -> Result<Option<Explanation>, String> {
    let open = open_keys(set, request);
    let names = || {
        open.iter()
            .map(|(key, _)| key.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let count = open
        .iter()
        .try_fold(1usize, |n, (_, values)| n.checked_mul(values.len() + 1))
        .filter(|n| *n <= MAX_VARIANTS);
    if count.is_none() {
        // Too many combinations to try: say which keys, never guess.
        return Err(names());
    }
    let mut variants = vec![request.request.clone()];
    for (key, values) in &open {
        variants = variants
            .into_iter()
            .flat_map(|variant| {
                let mut with = vec![variant.clone()];
                with.extend(values.iter().map(|value| variant.clone().with(key, value)));
                with
            })
            .collect();
    }
    let explanations: Vec<Explanation> = variants.iter().map(|variant| decide(set, variant)).collect();
    let allowed = explanations
        .iter()
        .filter(|e| e.decision == Decision::Allow)
        .count();
    if allowed == explanations.len() {
        return Ok(None);
    }
    if allowed > 0 {
        return Err(names());
    }
    Ok(explanations.into_iter().next())
}

/// At most this many requests are decided for one write (the product of the open keys' values).
const MAX_VARIANTS: usize = 256;

/// The keys whose value in Config's request is not known, that a condition of the set names: the
/// table's undocumented keys with their candidate values, and every key the table does not model at
/// all (`aws:SourceOrgPaths`, `aws:ResourceOrgID`, an encryption context...) with the values the
/// conditions compare it to. Keys no policy names change nothing and are not tried.
fn open_keys(set: &PolicySet<'_>, request: &DeliveryRequest) -> Vec<(String, Vec<String>)> {
    let conditions: Vec<&Condition> = set
        .identity
        .iter()
        .chain(set.resource.iter())
        .chain(set.boundary.iter())
        .chain(set.scp_levels.iter().flatten())
        .chain(set.rcp_levels.iter().flatten())
        .flat_map(|named| named.policy.statements.iter())
        .flat_map(|statement| statement.conditions.iter())
        .collect();
    let mut open: Vec<(String, Vec<String>)> = request
        .unknown
        .iter()
        .filter(|(key, _)| {
            let key = key.to_ascii_lowercase();
            conditions.iter().any(|c| c.key == key)
        })
        .map(|(key, values)| ((*key).to_owned(), values.clone()))
        .collect();
    let modelled = |key: &str| {
        request
            .write
            .keys
            .iter()
            .any(|k| k.name.eq_ignore_ascii_case(key))
            || request.request.context(key).is_some()
    };
    for condition in &conditions {
        if modelled(&condition.key) {
            continue;
        }
        match open.iter_mut().find(|(key, _)| *key == condition.key) {
            Some((_, values)) => values.extend(condition.values.iter().cloned()),
            None => open.push((condition.key.clone(), condition.values.clone())),
        }
    }
    for (_, values) in &mut open {
        values.sort_unstable();
        values.dedup();
    }
    open
}

/// "unverified": the decision turns on a key AWS does not document for Config's writes.
fn depends_on(judging: &Judging<'_>, request: &DeliveryRequest, keys: &str) -> Finding {
    Finding::new(
        CheckId::ProbeUnverified,
        format!(
            "unverified: whether {} can {} depends on {keys}, which AWS does not document for Config's writes",
            judging.writer.describe(),
            request.what
        ),
    )
    .with("probe", "request context")
    .with("depends_on", keys)
    .with("action", &request.request.action)
}

/// The finding for a denied request: who, what, why, and the statement to add.
fn finding(
    judging: &Judging<'_>,
    target: Target,
    request: &DeliveryRequest,
    explanation: &Explanation,
    retry: Retry,
    check: CheckId,
) -> Finding {
    let writer = judging.writer;
    let is_key = matches!(target, Target::Key { .. });
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
    match retry {
        // Lower than a documented break, never healthy: delivery may still work through a retry.
        Retry::Undocumented => {
            finding.severity = Severity::Medium;
            finding = finding.with("retry", "undocumented");
        }
        Retry::Documented => {
            finding = finding.with("retry", "documented: Config retried as its service principal");
        }
        Retry::None => {}
    }
    if explanation.decision == Decision::ImplicitDeny
        && let Some(statement) = suggested_statement(judging, is_key, request, retry, check)
    {
        finding = finding.with("suggested_statement", statement);
    }
    finding
}

/// What to add for an implicit denial: the service principal's statement to the resource policy,
/// or the role's own statement when its policy is what lacks it.
fn suggested_statement(
    judging: &Judging<'_>,
    is_key: bool,
    request: &DeliveryRequest,
    retry: Retry,
    check: CheckId,
) -> Option<String> {
    let (channel, account) = (judging.channel, judging.source.account);
    if matches!(judging.writer, Writer::Service) || retry == Retry::Documented {
        return Some(suggestion(request, channel, account, is_key));
    }
    if check != CheckId::RoleDeniesDelivery {
        return None;
    }
    let resource = match (request.request.action.as_str(), channel.s3_bucket_name.as_deref()) {
        ("s3:PutObject", Some(bucket)) => {
            format!("arn:aws:s3:::{bucket}/{}*", config_key_prefix(channel, account))
        }
        _ => request.request.resource.clone(),
    };
    Some(format!(
        r#"{{"Effect":"Allow","Action":"{}","Resource":"{resource}"}}"#,
        request.request.action
    ))
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
