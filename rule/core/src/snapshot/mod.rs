//! Everything observed about one account-region's delivery pipeline, as plain data.
//!
//! Each API read is an [`Observed`]: either what came back, or why it could not be read.
//! Statuses keep the exact strings AWS sent; the checks normalise them.

pub mod probes;
pub mod status;

use crate::timestamp::Timestamp;
use serde::{Deserialize, Serialize};

/// A member of the Organization as `ListAccounts` names it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgAccount {
    /// The 12-digit account ID.
    pub id: String,
    /// The account's name; empty where it is not known (one account judged on its own).
    pub name: String,
}

impl OrgAccount {
    /// An account known only by its ID.
    pub fn unnamed(id: &str) -> Self {
        Self {
            id: id.to_owned(),
            name: String::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub account_id: String,
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
    pub delivery_channels: Observed<Vec<DeliveryChannel>>,
    pub delivery_channel_statuses: Observed<Vec<DeliveryChannelStatus>>,
    /// Root-cause probes; empty in snapshots saved before they existed.
    #[serde(default)]
    pub probes: crate::snapshot::probes::Probes,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Observed<T> {
    Read(T),
    Unreadable(Unreadable),
}

impl<T> Observed<T> {
    pub fn read(&self) -> Option<&T> {
        match self {
            Self::Read(value) => Some(value),
            Self::Unreadable(_) => None,
        }
    }

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
    pub kind: FailureKind,
    /// The service's error code, when it sent one.
    pub code: Option<String>,
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureKind {
    AccessDenied,
    Throttled,
    Timeout,
    Network,
    ServerError,
    MalformedResponse,
    Rejected,
}

impl FailureKind {
    pub const fn describe(self) -> &'static str {
        match self {
            Self::AccessDenied => "access denied",
            Self::Throttled => "throttled",
            Self::Timeout => "timed out",
            Self::Network => "network error",
            Self::ServerError => "server error",
            Self::MalformedResponse => "malformed response",
            Self::Rejected => "request rejected",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecorderSummary {
    pub name: String,
    pub arn: Option<String>,
    /// `PAID` (customer-managed, delivers) or `INTERNAL` (service-linked, delivers nothing).
    pub recording_scope: Option<String>,
    pub service_principal: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recorder {
    pub name: String,
    pub role_arn: Option<String>,
    pub recording_scope: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecorderStatus {
    pub name: String,
    pub recording: bool,
    pub last_status: Option<String>,
    pub last_error_code: Option<String>,
    pub last_error_message: Option<String>,
    pub last_stop_time: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryChannel {
    pub name: String,
    pub s3_bucket_name: Option<String>,
    pub s3_key_prefix: Option<String>,
    pub s3_kms_key_arn: Option<String>,
    pub sns_topic_arn: Option<String>,
    /// `One_Hour` .. `TwentyFour_Hours`; absent means Config's default of 24 hours.
    pub delivery_frequency: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryChannelStatus {
    pub name: String,
    pub snapshot: Option<DeliveryInfo>,
    pub history: Option<DeliveryInfo>,
    pub stream: Option<StreamInfo>,
}

/// Snapshot and history delivery carry times; the stream does not.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryInfo {
    pub last_status: Option<String>,
    pub last_error_code: Option<String>,
    pub last_error_message: Option<String>,
    pub last_attempt_time: Option<Timestamp>,
    pub last_successful_time: Option<Timestamp>,
    pub next_delivery_time: Option<Timestamp>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StreamInfo {
    pub last_status: Option<String>,
    pub last_error_code: Option<String>,
    pub last_error_message: Option<String>,
    pub last_status_change_time: Option<Timestamp>,
}
