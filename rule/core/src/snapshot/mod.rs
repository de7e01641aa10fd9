//! Everything observed about one account-region's delivery pipeline, as plain data.
//!
//! Each API read is an [`Observed`]: either what came back, or why it could not be read.
//! Statuses keep the exact strings AWS sent; the checks normalise them.

pub mod probes;
pub mod status;
pub mod trails;

use crate::timestamp::Timestamp;
use serde::{Deserialize, Serialize};

/// A member of the Organization as `ListAccounts` names it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgAccount {
    /// The 12-digit account ID.
    pub id: String,
    /// The account's name; empty where it is not known (one account judged on its own).
    pub name: String,
    /// Where it sits in the Organization: `Root` or `Root/workloads/prod`; None where unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ou: Option<String>,
}

impl OrgAccount {
    /// An account known only by its ID.
    pub fn unnamed(id: &str) -> Self {
        Self {
            id: id.to_owned(),
            name: String::new(),
            ou: None,
        }
    }
}

/// Everything observed about one account-region's delivery pipeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// The account.
    pub account_id: String,
    /// The Region.
    pub region: String,
    /// When the reads were made; the checks judge ages against this, so a saved snapshot
    /// evaluates the same way tomorrow.
    pub observed_at: Timestamp,
    /// ListConfigurationRecorders: customer-managed and service-linked recorders.
    pub recorder_summaries: Observed<Vec<RecorderSummary>>,
    /// DescribeConfigurationRecorders (no argument: the customer-managed recorder only).
    pub recorders: Observed<Vec<Recorder>>,
    /// DescribeConfigurationRecorderStatus for the customer-managed recorder.
    pub recorder_statuses: Observed<Vec<RecorderStatus>>,
    /// `DescribeDeliveryChannels`.
    pub delivery_channels: Observed<Vec<DeliveryChannel>>,
    /// `DescribeDeliveryChannelStatus`.
    pub delivery_channel_statuses: Observed<Vec<DeliveryChannelStatus>>,
    /// Root-cause probes; empty in snapshots saved before they existed.
    #[serde(default)]
    pub probes: crate::snapshot::probes::Probes,
}

/// One read: what came back, or why it could not be read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Observed<T> {
    /// The answer.
    Read(T),
    /// Why there is none.
    Unreadable(Unreadable),
}

impl<T> Observed<T> {
    /// The answer, if it was read.
    pub fn read(&self) -> Option<&T> {
        match self {
            Self::Read(value) => Some(value),
            Self::Unreadable(_) => None,
        }
    }

    /// Why it was not read, if it was not.
    pub fn unreadable(&self) -> Option<&Unreadable> {
        match self {
            Self::Read(_) => None,
            Self::Unreadable(why) => Some(why),
        }
    }
}

/// A call that failed, kept as evidence so the verdict can say "cannot verify" and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unreadable {
    /// The API operation, e.g. `DescribeDeliveryChannelStatus`.
    pub call: String,
    /// The class of failure.
    pub kind: FailureKind,
    /// The service's error code, when it sent one.
    pub code: Option<String>,
    /// The service's message.
    pub message: String,
}

impl Unreadable {
    /// "access denied AccessDenied": the kind of failure and the service's code, for a message.
    pub fn brief(&self) -> String {
        match &self.code {
            Some(code) => format!("{} {code}", self.kind.describe()),
            None => self.kind.describe().to_owned(),
        }
    }
}

/// Why a read failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureKind {
    /// AccessDenied and its kin.
    AccessDenied,
    /// Throttled past the retries.
    Throttled,
    /// No answer in time.
    Timeout,
    /// No connection.
    Network,
    /// A 5xx.
    ServerError,
    /// An answer the SDK could not read.
    MalformedResponse,
    /// An answer that parsed but is incomplete or inconsistent: a required field missing, a short
    /// or repeated page, an entry without its ID.
    Incomplete,
    /// Refused for another reason (a 4xx).
    Rejected,
}

impl FailureKind {
    /// How annotations say it.
    pub const fn describe(self) -> &'static str {
        match self {
            Self::AccessDenied => "access denied",
            Self::Throttled => "throttled",
            Self::Timeout => "timed out",
            Self::Network => "network error",
            Self::ServerError => "server error",
            Self::MalformedResponse => "malformed response",
            Self::Incomplete => "incomplete answer",
            Self::Rejected => "request rejected",
        }
    }
}

/// A recorder as `ListConfigurationRecorders` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecorderSummary {
    /// Its name.
    pub name: String,
    /// Its ARN.
    pub arn: Option<String>,
    /// `PAID` (customer-managed, delivers) or `INTERNAL` (service-linked, delivers nothing).
    pub recording_scope: Option<String>,
    /// The service that owns a service-linked recorder.
    pub service_principal: Option<String>,
}

/// A customer-managed recorder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recorder {
    /// Its name.
    pub name: String,
    /// The role it records and delivers with.
    pub role_arn: Option<String>,
    /// `INTERNAL` for service-linked recorders.
    pub recording_scope: Option<String>,
}

/// A recorder's status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecorderStatus {
    /// The recorder's name.
    pub name: String,
    /// It is recording.
    pub recording: bool,
    /// The last status, as AWS sent it.
    pub last_status: Option<String>,
    /// The last error code.
    pub last_error_code: Option<String>,
    /// The last error message.
    pub last_error_message: Option<String>,
    /// When it was stopped.
    pub last_stop_time: Option<Timestamp>,
}

/// A delivery channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryChannel {
    /// Its name.
    pub name: String,
    /// The bucket it delivers to.
    pub s3_bucket_name: Option<String>,
    /// The key prefix.
    pub s3_key_prefix: Option<String>,
    /// The KMS key it encrypts with.
    pub s3_kms_key_arn: Option<String>,
    /// The SNS topic it streams to.
    pub sns_topic_arn: Option<String>,
    /// `One_Hour` .. `TwentyFour_Hours`; absent means Config's default of 24 hours.
    pub delivery_frequency: Option<String>,
}

/// A delivery channel's status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryChannelStatus {
    /// The channel's name.
    pub name: String,
    /// Snapshot delivery.
    pub snapshot: Option<DeliveryInfo>,
    /// History delivery.
    pub history: Option<DeliveryInfo>,
    /// The SNS stream.
    pub stream: Option<StreamInfo>,
}

/// Snapshot and history delivery carry times; the stream does not.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryInfo {
    /// The last status, as AWS sent it.
    pub last_status: Option<String>,
    /// The last error code.
    pub last_error_code: Option<String>,
    /// The last error message.
    pub last_error_message: Option<String>,
    /// The last attempt.
    pub last_attempt_time: Option<Timestamp>,
    /// The last success.
    pub last_successful_time: Option<Timestamp>,
    /// When the next delivery is due.
    pub next_delivery_time: Option<Timestamp>,
}

/// The SNS stream's status.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StreamInfo {
    /// The last status, as AWS sent it.
    pub last_status: Option<String>,
    /// The last error code.
    pub last_error_code: Option<String>,
    /// The last error message.
    pub last_error_message: Option<String>,
    /// When the status last changed.
    pub last_status_change_time: Option<Timestamp>,
}
