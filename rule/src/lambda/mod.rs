//! The Lambda only: one Config invocation parsed, judged in its mode (account, organization,
//! watchdog), delivered and published; the event path for CloudTrail calls beside it.
//!
//! | file | what it does |
//! | --- | --- |
//! | `mod.rs` | the invocation: parse, parameters, dispatch by mode |
//! | `config_rule.rs` | account and organization modes: one account-region judged, reported, sent to Security Hub |
//! | `watchdog.rs` | watchdog mode: the whole Organization swept, one evaluation per account |
//! | `delivery.rs` | PutEvaluations (full or delta), health-change events, fail-closed reports |
//! | `event_path.rs` | EventBridge's CloudTrail call: the account-regions it can break, checked at once |
//! | `log.rs` | the function's JSON log lines |
//! | `runtime_log.rs` | the runtime's and the SDK's `tracing` messages, filtered as Lambda's logging controls say |

mod accepted;
mod config_rule;
mod delivery;
pub mod event_path;
pub mod log;
pub mod runtime_log;
mod watchdog;

pub use watchdog::sweep_deadline;

use self::delivery::{report, report_malformed};
use self::log::Level;
use crate::aws::read::ProbeReaders;
use crate::aws::write::config::{ReportError, ReportSummary};
use crate::aws::write::eventbridge::EventsSummary;
use crate::aws::write::security_hub::HubSummary;
use delivery_guard_core::checks::CheckId;
use delivery_guard_core::input::invocation::{EventError, parse_invocation};
use delivery_guard_core::outbound::delta::DeltaSummary;
use delivery_guard_core::outbound::health_event::Trigger;
use delivery_guard_core::parameters::{Mode, parse_parameters};
use delivery_guard_core::timestamp::Timestamp;
use delivery_guard_core::verdict::{Compliance, FleetSummary, Verdict};
use serde::Serialize;
use serde_json::{Value, json};
use std::sync::OnceLock;
use std::time::SystemTime;

/// Built once at init and shared by every invocation.
#[derive(Clone, Debug)]
pub struct Rule {
    /// Config in the function's account and Region.
    pub config: aws_sdk_config::Client,
    /// The root-cause probes' readers (off: the delivery status checks still run).
    pub probes: ProbeClients,
    /// For the log-archive reader role; None where probes are off.
    pub sdk: Option<aws_config::SdkConfig>,
    /// The function's Region.
    pub region: String,
    /// PutEvaluations TestMode: Config validates but stores nothing.
    pub test_mode: bool,
    /// The Config rule this function serves, for the event-driven path (its parameters, its results).
    pub config_rule_name: Option<String>,
    /// Organization mode: the function's own Organization, read once per container. Every member
    /// invokes the function at about the same time, and Organizations throttles its API.
    pub own_organization: tokio::sync::OnceCell<String>,
}

/// The probes' S3, KMS, IAM and Organizations clients in the function's account.
#[derive(Clone, Debug, Default)]
pub enum ProbeClients {
    /// No root-cause probes.
    #[default]
    Off,
    /// Built by the first invocation that probes (account mode, the event path): organization and
    /// watchdog modes never use them, and the cold start does not wait for them.
    OnFirstUse(OnceLock<ProbeReaders>),
}

impl Rule {
    /// The probes' readers, built now if this is the first invocation to probe.
    pub fn probes(&self) -> Option<&ProbeReaders> {
        match (&self.probes, &self.sdk) {
            (ProbeClients::OnFirstUse(readers), Some(sdk)) => Some(readers.get_or_init(|| {
                crate::aws::clients::probe_readers(sdk, &self.region, crate::aws::clients::Retries::Shared)
            })),
            _ => None,
        }
    }
}

/// What the invocation decided and reported; the Lambda's response.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Outcome {
    /// The account the verdict is about.
    pub account_id: String,
    /// The function's Region.
    pub region: String,
    /// The verdict.
    pub compliance: Compliance,
    /// Why.
    pub annotation: Option<String>,
    /// How many findings.
    pub findings: usize,
    /// What `PutEvaluations` did.
    pub report: ReportSummary,
    /// Delta reporting: what was reported, refreshed and left as Config holds it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delta: Option<DeltaSummary>,
    /// The health-change events published.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub health_events: Option<EventsSummary>,
    /// Watchdog mode: the accounts judged.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sweep: Option<FleetSummary>,
    /// What Security Hub received.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub security_hub: Option<HubSummary>,
    /// `ExceptionsObject`: what each exception did, or why the document was not used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exceptions: Option<serde_json::Value>,
}

/// Why an invocation failed; Lambda retries it and the on-failure destination keeps it.
#[derive(Debug, thiserror::Error)]
pub enum HandlerError {
    /// The event names no account and token to report "cannot verify" to.
    #[error("{0}; nothing was reported because the event names no usable account and result token")]
    Unreportable(EventError),
    /// Organization mode was invoked for an account outside the function's Organization: nothing
    /// was read or reported (docs/threat-model.md, "Confused deputy").
    #[error("refused: {why}; nothing was read or reported for it")]
    Outsider {
        /// Whose rule invoked the function, and why it is not judged.
        why: String,
    },
    /// The verdict could not be reported.
    #[error("the verdict for account {account_id} was not reported: {source}")]
    Report {
        /// The account whose verdict was not reported.
        account_id: String,
        /// Why.
        source: ReportError,
    },
    /// Security Hub findings or health-change events were not published; what could be reported
    /// was, nothing was resolved on their account, and the retry publishes them again.
    #[error("not everything was published: {what}")]
    Publish {
        /// What was not published, and why.
        what: String,
    },
    /// The accounts could not be listed nor Config's results read: the members cannot be named,
    /// so the run fails rather than leave their last results standing.
    #[error(
        "{what}; Config's results for the rule could not be read either, so the members' results were not marked"
    )]
    StoredResultsUnreadable {
        /// Why the accounts were not judged.
        what: String,
    },
}

/// Handles one invocation without a deadline (tests).
pub async fn handle(rule: &Rule, payload: &Value) -> Result<Outcome, HandlerError> {
    handle_until(rule, payload, None).await
}

/// `deadline`: when Lambda stops the invocation (the context's deadline); watchdog sweeps end
/// before it, with room to report.
pub async fn handle_until(
    rule: &Rule,
    payload: &Value,
    deadline: Option<SystemTime>,
) -> Result<Outcome, HandlerError> {
    let invocation = match parse_invocation(payload) {
        Ok(invocation) => invocation,
        Err(err) => return report_malformed(rule, err).await,
    };
    let to = Recipient {
        account_id: &invocation.account_id,
        token: &invocation.result_token,
        when: invocation.notification_creation_time,
        rule_name: invocation.config_rule_name.as_deref(),
        trigger: Trigger::Config {
            message_type: invocation.message_type.as_str().to_owned(),
        },
    };
    if invocation.event_left_scope {
        return report(
            rule,
            &rule.config,
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
            return report(
                rule,
                &rule.config,
                &to,
                Verdict::cannot_verify(CheckId::InvalidParameters, &err),
                1,
            )
            .await;
        }
    };
    match params.mode {
        Mode::Account => config_rule::account(rule, &invocation, &to, &params).await,
        Mode::Organization => config_rule::organization(rule, &invocation, &to, &params).await,
        Mode::Watchdog => watchdog::watchdog(rule, &invocation, &to, &params, deadline).await,
    }
}

/// Where a verdict goes: the account it is about, the invocation's token and the trigger time, and
/// the rule whose results Config holds (for delta reporting).
struct Recipient<'a> {
    account_id: &'a str,
    token: &'a str,
    when: Timestamp,
    rule_name: Option<&'a str>,
    trigger: Trigger,
}
