//! The Lambda's work for one Config invocation: parse, collect, judge, log, report.

use crate::checks::CheckId;
use crate::collect::{ConfigReader, DelegatedReaders, ProbeReaders, collect};
use crate::evaluation::Evaluation;
use crate::event::{EventError, Invocation, is_account_id, parse_invocation};
use crate::finding::Finding;
use crate::judgement::{Judgement, judge_snapshot};
use crate::log::{self, Level};
use crate::parameters::parse_parameters;
use crate::report::{ReportError, ReportSummary, put_evaluations};
use crate::timestamp::Timestamp;
use crate::verdict::{Compliance, Verdict, judge};
use serde::Serialize;
use serde_json::{Value, json};

/// Built once at init and shared by every invocation.
#[derive(Clone, Debug)]
pub struct Rule {
    pub config: aws_sdk_config::Client,
    /// None: no root-cause probes (the delivery status checks still run).
    pub probes: Option<ProbeReaders>,
    /// For the log-archive reader role; None where probes are off.
    pub sdk: Option<aws_config::SdkConfig>,
    pub region: String,
    /// PutEvaluations TestMode: Config validates but stores nothing.
    pub test_mode: bool,
}

/// What the invocation decided and reported; the Lambda's response.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Outcome {
    pub account_id: String,
    pub region: String,
    pub compliance: Compliance,
    pub annotation: Option<String>,
    pub findings: usize,
    pub report: ReportSummary,
}

#[derive(Debug, thiserror::Error)]
pub enum HandlerError {
    #[error("{0}; nothing was reported because the event names no usable account and result token")]
    Unreportable(EventError),
    #[error("the verdict for account {account_id} was not reported: {source}")]
    Report { account_id: String, source: ReportError },
}

pub async fn handle(rule: &Rule, payload: &Value) -> Result<Outcome, HandlerError> {
    let invocation = match parse_invocation(payload) {
        Ok(invocation) => invocation,
        Err(err) => return report_malformed(rule, err).await,
    };
    let to = Recipient {
        account_id: &invocation.account_id,
        token: &invocation.result_token,
        when: invocation.notification_creation_time,
    };
    if invocation.event_left_scope {
        return report(
            rule,
            &to,
            Verdict::not_applicable("account left the rule's scope"),
            0,
        )
        .await;
    }
    let params = match parse_parameters(&invocation.rule_parameters) {
        Ok(params) => params,
        Err(err) => {
            log::emit(
                Level::Error,
                "invalid-parameters",
                json!({"account_id": to.account_id, "parameter": err.parameter, "error": err.to_string()}),
            );
            return report(rule, &to, cannot_verify(CheckId::InvalidParameters, &err), 1).await;
        }
    };
    let reader = ConfigReader::new(rule.config.clone());
    let delegated = match &rule.sdk {
        Some(sdk) => crate::clients::delegated_readers(sdk, &rule.region, &params).await,
        None => DelegatedReaders::default(),
    };
    let snapshot = collect(
        &reader,
        rule.probes.as_ref(),
        &delegated,
        to.account_id,
        &rule.region,
    )
    .await;
    let judgement = judge_snapshot(&snapshot, &params);
    log_result(&invocation, &judgement);
    let verdict = Verdict {
        compliance: judgement.compliance,
        annotation: judgement.annotation,
    };
    report(rule, &to, verdict, judgement.findings.len()).await
}

/// Where a verdict goes: the account it is about, the invocation's token and the trigger time.
struct Recipient<'a> {
    account_id: &'a str,
    token: &'a str,
    when: Timestamp,
}

/// Fail closed: if the event still names an account and a token, Config hears "cannot verify".
async fn report_malformed(rule: &Rule, err: EventError) -> Result<Outcome, HandlerError> {
    log::emit(Level::Error, "malformed-event", json!({"error": err.to_string()}));
    match (err.account_id.as_deref(), err.result_token.as_deref()) {
        (Some(account_id), Some(token)) if is_account_id(account_id) => {
            let to = Recipient {
                account_id,
                token,
                when: Timestamp::now(),
            };
            report(rule, &to, cannot_verify(CheckId::MalformedEvent, &err), 1).await
        }
        _ => Err(HandlerError::Unreportable(err)),
    }
}

fn cannot_verify(check: CheckId, why: &dyn std::fmt::Display) -> Verdict {
    judge(&[Finding::new(check, format!("cannot verify: {why}"))])
}

async fn report(
    rule: &Rule,
    to: &Recipient<'_>,
    verdict: Verdict,
    findings: usize,
) -> Result<Outcome, HandlerError> {
    let evaluation = Evaluation::for_account(to.account_id, verdict.clone(), to.when);
    let summary = put_evaluations(
        &rule.config,
        to.token,
        std::slice::from_ref(&evaluation),
        rule.test_mode,
    )
    .await
    .map_err(|source| {
        log::emit(
            Level::Error,
            "report-failed",
            json!({"account_id": to.account_id, "error": source.to_string()}),
        );
        HandlerError::Report {
            account_id: to.account_id.to_owned(),
            source,
        }
    })?;
    Ok(Outcome {
        account_id: to.account_id.to_owned(),
        region: rule.region.clone(),
        compliance: verdict.compliance,
        annotation: verdict.annotation,
        findings,
        report: summary,
    })
}

fn log_result(invocation: &Invocation, judgement: &Judgement) {
    log::emit(
        Level::Info,
        "verdict",
        json!({
            "account_id": judgement.account_id,
            "region": judgement.region,
            "config_rule_name": invocation.config_rule_name,
            "message_type": invocation.message_type.as_str(),
            "compliance": judgement.compliance,
            "annotation": judgement.annotation,
            "findings": judgement.findings,
        }),
    );
}
