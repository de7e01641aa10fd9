//! Report evaluations to AWS Config with PutEvaluations: at most 100 per call, FailedEvaluations
//! retried, and every failure an error the Lambda returns (so it is retried, then caught by the
//! on-failure destination) rather than a silent drop.

use crate::aws::read::unreadable;
use aws_sdk_config::Client;
use aws_sdk_config::types::{ComplianceType, Evaluation as SdkEvaluation};
use aws_smithy_types::DateTime;
use delivery_guard_core::outbound::evaluation::Evaluation;
use serde::Serialize;
use std::time::Duration;

/// `PutEvaluations` takes at most 100 evaluations a call.
pub const MAX_PER_CALL: usize = 100;
/// Attempts per batch at evaluations Config lists in FailedEvaluations.
pub const MAX_ATTEMPTS: usize = 3;
const BACKOFF: Duration = Duration::from_millis(200);

/// Codes that no retry can fix: the request itself is wrong.
const PERMANENT: [&str; 4] = [
    "ValidationException",
    "InvalidParameterValueException",
    "InvalidResultTokenException",
    "NoSuchConfigRuleException",
];

/// What `put_evaluations` did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ReportSummary {
    /// Evaluations sent.
    pub evaluations: usize,
    /// Calls made.
    pub calls: usize,
    /// Evaluations sent again after `FailedEvaluations`.
    pub retried: usize,
}

/// Why a verdict was not reported.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ReportError {
    /// Config refused the request (validation, token, rule).
    #[error("PutEvaluations rejected the request ({code}): {message}")]
    Rejected {
        /// The error code.
        code: String,
        /// The service's message.
        message: String,
    },
    /// The call failed (network, throttling past retries, 5xx).
    #[error("PutEvaluations failed ({kind}{code}): {message}")]
    Call {
        /// The failure's class.
        kind: &'static str,
        /// The error code, if any.
        code: String,
        /// The service's message.
        message: String,
    },
    #[error(
        "PutEvaluations still failed {count} evaluation(s) after {MAX_ATTEMPTS} attempts, first for {resource}"
    )]
    /// Config kept failing some evaluations.
    StillFailing {
        /// How many still failed.
        count: usize,
        /// The first resource that failed.
        resource: String,
    },
    /// The SDK would not build the evaluation.
    #[error("evaluation for {resource} could not be built: {message}")]
    Build {
        /// The resource.
        resource: String,
        /// What was wrong.
        message: String,
    },
}

/// Ask Config to run the rule now (the event-driven path has no result token of its own).
pub async fn start_rule_evaluation(
    client: &Client,
    rule_name: &str,
) -> Result<(), delivery_guard_core::snapshot::Unreadable> {
    client
        .start_config_rules_evaluation()
        .config_rule_names(rule_name)
        .send()
        .await
        .map(|_| ())
        .map_err(|err| unreadable("StartConfigRulesEvaluation", &err))
}

/// Reports evaluations in batches of 100, sending `FailedEvaluations` again.
pub async fn put_evaluations(
    client: &Client,
    result_token: &str,
    evaluations: &[Evaluation],
    test_mode: bool,
) -> Result<ReportSummary, ReportError> {
    let mut summary = ReportSummary {
        evaluations: evaluations.len(),
        ..ReportSummary::default()
    };
    for batch in evaluations.chunks(MAX_PER_CALL) {
        let mut pending: Vec<&Evaluation> = batch.iter().collect();
        for attempt in 1..=MAX_ATTEMPTS {
            let request: Vec<SdkEvaluation> = pending.iter().map(|e| to_sdk(e)).collect::<Result<_, _>>()?;
            summary.calls += 1;
            let output = client
                .put_evaluations()
                .result_token(result_token)
                .set_evaluations(Some(request))
                .test_mode(test_mode)
                .send()
                .await
                .map_err(|err| call_error(&unreadable("PutEvaluations", &err)))?;
            let failed = output.failed_evaluations();
            if failed.is_empty() {
                pending.clear();
                break;
            }
            pending = still_pending(&pending, failed);
            if attempt < MAX_ATTEMPTS {
                summary.retried += pending.len();
                tokio::time::sleep(BACKOFF * u32::try_from(attempt).unwrap_or(1)).await;
            }
        }
        if let Some(first) = pending.first() {
            return Err(ReportError::StillFailing {
                count: pending.len(),
                resource: format!("{} {}", first.resource_type, first.resource_id),
            });
        }
    }
    Ok(summary)
}

/// The evaluations Config listed as failed, matched back by resource (its echo may differ in detail).
fn still_pending<'a>(sent: &[&'a Evaluation], failed: &[SdkEvaluation]) -> Vec<&'a Evaluation> {
    let mut matched: Vec<&'a Evaluation> = sent
        .iter()
        .copied()
        .filter(|e| {
            failed.iter().any(|f| {
                f.compliance_resource_type() == e.resource_type && f.compliance_resource_id() == e.resource_id
            })
        })
        .collect();
    // Config failed something we cannot match: retry the whole batch rather than lose it.
    if matched.is_empty() {
        matched = sent.to_vec();
    }
    matched
}

fn to_sdk(evaluation: &Evaluation) -> Result<SdkEvaluation, ReportError> {
    SdkEvaluation::builder()
        .compliance_resource_type(evaluation.resource_type)
        .compliance_resource_id(&evaluation.resource_id)
        .compliance_type(ComplianceType::from(evaluation.compliance.as_str()))
        .set_annotation(evaluation.annotation.clone().filter(|a| !a.is_empty()))
        .ordering_timestamp(DateTime::from_millis(
            evaluation.ordering_timestamp.epoch_millis(),
        ))
        .build()
        .map_err(|err| ReportError::Build {
            resource: evaluation.resource_id.clone(),
            message: err.to_string(),
        })
}

fn call_error(why: &delivery_guard_core::snapshot::Unreadable) -> ReportError {
    match why.code.as_deref() {
        Some(code) if PERMANENT.contains(&code) => ReportError::Rejected {
            code: code.to_owned(),
            message: why.message.clone(),
        },
        code => ReportError::Call {
            kind: why.kind.describe(),
            code: code.map(|c| format!(" {c}")).unwrap_or_default(),
            message: why.message.clone(),
        },
    }
}
