//! Account and organization modes: one account-region read, judged and reported, as this account
//! or as the member's audit role.

use super::accepted;
use super::delivery::{Judged, deliver, report};
use super::log::{self, Level};
use super::{HandlerError, Outcome, Recipient, Rule};
use crate::aws::clients::{self, Retries};
use crate::aws::read::{ConfigReader, DelegatedReaders, ProbeReaders, collect};
use crate::aws::write::security_hub::{self, HubSummary};
use delivery_guard_core::aws_names::{partition_of, role_arn};
use delivery_guard_core::checks::CheckId;
use delivery_guard_core::exceptions::{ExceptionReport, accept_region, exception_reports};
use delivery_guard_core::input::invocation::Invocation;
use delivery_guard_core::outbound::evaluation::Evaluation;
use delivery_guard_core::parameters::RuleParameters;
use delivery_guard_core::snapshot::{Observed, OrgAccount};
use delivery_guard_core::verdict::{
    AccountVerdict, Membership, RegionVerdict, Verdict, judge_snapshot, membership,
};
use serde_json::json;

/// The account-region the rule runs in, with the Lambda's own credentials.
pub(super) async fn account(
    rule: &Rule,
    invocation: &Invocation,
    to: &Recipient<'_>,
    params: &RuleParameters,
) -> Result<Outcome, HandlerError> {
    let delegated = match &rule.sdk {
        Some(sdk) => clients::delegated_readers(sdk, &rule.region, params).await,
        None => DelegatedReaders::default(),
    };
    let acting = Acting {
        config: &rule.config,
        probes: rule.probes(),
        delegated: &delegated,
        security_hub: rule.sdk.as_ref(),
    };
    judge_and_report(rule, invocation, to, params, &acting).await
}

/// An organization custom rule: the member's Config invoked us. Judge and report as the
/// member's audit role, so the evaluation lands in the member account.
pub(super) async fn organization(
    rule: &Rule,
    invocation: &Invocation,
    to: &Recipient<'_>,
    params: &RuleParameters,
) -> Result<Outcome, HandlerError> {
    let Some(sdk) = &rule.sdk else {
        let why = "organization mode needs AWS credentials to assume the audit role";
        let verdict = Verdict::cannot_verify(CheckId::AuditRoleUnassumable, &why);
        return report(rule, &rule.config, to, verdict, 1).await;
    };
    let role_name = params.audit_role_name.as_deref().unwrap_or_default();
    let arn = role_arn(partition_of(&rule.region), to.account_id, role_name);
    let session = match clients::audit_session(sdk, &arn, params.audit_role_external_id.as_deref()).await {
        Ok(session) => session,
        Err(why) => {
            log::emit(
                Level::Error,
                "audit-role-unassumable",
                json!({"account_id": to.account_id, "role_arn": arn, "error": why}),
            );
            // Without the member's credentials the result token may be refused: then the
            // handler fails, Lambda retries, and the on-failure destination keeps the event.
            let reason = format!("cannot assume the audit role {arn}: {}", why.brief());
            let verdict = Verdict::cannot_verify(CheckId::AuditRoleUnassumable, &reason);
            return report(rule, &rule.config, to, verdict, 1).await;
        }
    };
    let member_config = clients::config_client(&session, &rule.region, Retries::Member(to.account_id));
    let mut probes = clients::probe_readers(&session, &rule.region, Retries::Member(to.account_id));
    // The member's Organization is read once: for its membership, then as aws:SourceOrgID.
    probes.organizations = probes.organizations.remembering();
    // Before any delegated read: the event and its parameters are the invoking account's to
    // choose, so only an account of the function's own Organization is judged.
    match confirm_membership(rule, sdk, &probes, to.account_id).await {
        Membership::Member => {}
        Membership::Outsider(why) => {
            log::emit(
                Level::Error,
                "outside-organization",
                json!({"account_id": to.account_id, "why": why}),
            );
            return Err(HandlerError::Outsider { why });
        }
        Membership::Unverified(why) => {
            let verdict = Verdict::cannot_verify(CheckId::EvidenceUnreadable, &why);
            return report(rule, &member_config, to, verdict, 1).await;
        }
    }
    let delegated = clients::organization_delegates(sdk, &rule.region, params).await;
    let acting = Acting {
        config: &member_config,
        probes: Some(&probes),
        delegated: &delegated,
        security_hub: Some(&session),
    };
    judge_and_report(rule, invocation, to, params, &acting).await
}

/// Whether the account is in the function's own Organization: `DescribeOrganization` as the
/// function and as the member's audit role, compared.
async fn confirm_membership(
    rule: &Rule,
    sdk: &aws_config::SdkConfig,
    member: &ProbeReaders,
    account_id: &str,
) -> Membership {
    let own = async {
        if let Some(id) = rule.own_organization.get() {
            return Observed::Read(Some(id.clone()));
        }
        let (read, _) = clients::own_organization_reader(sdk).organization().await;
        if let Observed::Read(Some(id)) = &read {
            // Only what was read is kept: an unread Organization is asked again next time.
            let _ = rule.own_organization.set(id.clone());
        }
        read
    };
    let (own, (theirs, _)) = tokio::join!(own, member.organizations.organization());
    membership(account_id, &own, &theirs)
}

/// The clients one account-region is read, judged and reported with.
struct Acting<'a> {
    /// Reads Config and reports: the account that owns the result token.
    config: &'a aws_sdk_config::Client,
    probes: Option<&'a ProbeReaders>,
    delegated: &'a DelegatedReaders,
    /// Imports Security Hub findings as the judged account, when `SecurityHubFindings` asks.
    security_hub: Option<&'a aws_config::SdkConfig>,
}

async fn judge_and_report(
    rule: &Rule,
    invocation: &Invocation,
    to: &Recipient<'_>,
    params: &RuleParameters,
    acting: &Acting<'_>,
) -> Result<Outcome, HandlerError> {
    let snapshot = collect(
        &ConfigReader::new(acting.config.clone()),
        acting.probes,
        acting.delegated,
        to.account_id,
        &rule.region,
    )
    .await;
    let mut judgement = judge_snapshot(&snapshot, params);
    // One account judged on its own: its OU is not read, so only account-scoped exceptions apply.
    let loaded = accepted::load(rule, params).await;
    accept_region(&loaded.exceptions, &mut judgement, None);
    // Of one account, only the exceptions that concern it are worth saying.
    let reports: Vec<ExceptionReport> = if loaded.exceptions.entries.is_empty() {
        Vec::new()
    } else {
        let account = AccountVerdict::new(OrgAccount::unnamed(to.account_id), vec![judgement.clone()]);
        exception_reports(&loaded.exceptions, &[&account])
            .into_iter()
            .filter(|r| r.applied || r.account_regions > 0)
            .collect()
    };
    let exceptions = accepted::said(params, &loaded, &reports);
    log_result(invocation, &judgement);
    let hub = match (acting.security_hub, params.security_hub_findings) {
        (Some(sdk), true) => publish_findings(sdk, &rule.region, &judgement).await,
        _ => None,
    };
    let verdict = judgement.verdict.clone();
    let evaluation = Evaluation::for_account(to.account_id, verdict.clone(), to.when);
    let judged = [(to.account_id, vec![&judgement])];
    let judged = Judged {
        regions: &judged,
        causes: &[],
    };
    let delivered = deliver(rule, acting.config, to, params, vec![evaluation], &judged, None).await?;
    // Config has its evaluation; a retry imports the findings again (their IDs are stable).
    if let Some(HubSummary {
        failed,
        first_error: Some(error),
        ..
    }) = &hub
    {
        return Err(HandlerError::Publish {
            what: format!("Security Hub: {failed} finding(s) not imported: {error}"),
        });
    }
    Ok(Outcome {
        account_id: to.account_id.to_owned(),
        region: rule.region.clone(),
        compliance: verdict.compliance,
        annotation: verdict.annotation,
        findings: judgement.findings.len(),
        report: delivered.report,
        delta: delivered.delta,
        health_events: delivered.health_events,
        sweep: None,
        security_hub: hub,
        exceptions,
    })
}

/// A Security Hub failure is logged and said in the outcome; the Config evaluation still goes out,
/// then the invocation fails so that Lambda retries.
async fn publish_findings(
    sdk: &aws_config::SdkConfig,
    region: &str,
    judgement: &RegionVerdict,
) -> Option<HubSummary> {
    let published = match clients::securityhub_client(sdk, region, Retries::Member(&judgement.account_id)) {
        Ok(client) => security_hub::publish(&client, judgement, partition_of(region)).await,
        Err(why) => Err(why),
    };
    match published {
        Ok(summary) => Some(summary),
        Err(why) => {
            log::emit(
                Level::Error,
                "security-hub-failed",
                json!({"account_id": judgement.account_id, "region": region, "error": why}),
            );
            Some(HubSummary {
                first_error: Some(format!("{}: {}", why.call, why.message)),
                ..HubSummary::default()
            })
        }
    }
}

fn log_result(invocation: &Invocation, judgement: &RegionVerdict) {
    log::emit(
        Level::Info,
        "verdict",
        json!({
            "account_id": judgement.account_id,
            "region": judgement.region,
            "observed_at": judgement.observed_at,
            "run_at": invocation.notification_creation_time,
            "config_rule_name": invocation.config_rule_name,
            "message_type": invocation.message_type.as_str(),
            "compliance": judgement.verdict.compliance,
            "annotation": judgement.verdict.annotation,
            "findings": judgement.findings,
            "accepted": judgement.accepted,
        }),
    );
}
