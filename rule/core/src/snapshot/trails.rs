//! The CloudTrail trails that apply to an account-region, as `DescribeTrails`, `GetTrailStatus` and
//! `GetEventSelectors` return them. "AWS API Call via CloudTrail" events reach EventBridge only
//! while such a trail logs the call's management events: without one the event path is blind.

use crate::snapshot::Observed;
use serde::{Deserialize, Serialize};

/// One trail that applies to the Region read, with whether it records what the event path needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrailEvidence {
    /// The trail as `DescribeTrails` lists it.
    pub trail: Trail,
    /// Its logging switch and event selectors.
    pub recording: Observed<TrailRecording>,
}

/// A trail as `DescribeTrails` (with shadow trails) lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trail {
    /// The trail's ARN (a member must name an organization trail by ARN).
    pub arn: String,
    /// The Region the trail was created in.
    pub home_region: String,
    /// Applies to every Region.
    pub multi_region: bool,
    /// Created by the management account for every account of the Organization.
    pub organization: bool,
}

/// What a trail records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrailRecording {
    /// `GetTrailStatus`'s `IsLogging`.
    pub logging: bool,
    /// `GetEventSelectors`: a trail has basic or advanced selectors, never both.
    pub selectors: EventSelectors,
}

/// A trail's event selectors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventSelectors {
    /// `EventSelectors`.
    Basic(Vec<BasicSelector>),
    /// `AdvancedEventSelectors`: each selects the events matching all of its field selectors.
    Advanced(Vec<Vec<FieldSelector>>),
}

/// One basic event selector.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BasicSelector {
    /// `IncludeManagementEvents`.
    pub include_management_events: bool,
    /// `ReadWriteType`: `All`, `ReadOnly` or `WriteOnly`.
    pub read_write_type: String,
    /// `ExcludeManagementEventSources`, e.g. `kms.amazonaws.com`.
    pub excluded_sources: Vec<String>,
}

/// One field selector of an advanced event selector.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldSelector {
    /// `eventCategory`, `readOnly`, `eventSource`, ...
    pub field: String,
    /// `Equals`.
    pub equals: Vec<String>,
    /// `NotEquals`.
    pub not_equals: Vec<String>,
    /// `StartsWith`.
    pub starts_with: Vec<String>,
    /// `NotStartsWith`.
    pub not_starts_with: Vec<String>,
}

impl Trail {
    /// The trail's events include this Region's.
    pub fn applies_to(&self, region: &str) -> bool {
        self.multi_region || self.home_region == region
    }

    /// The last part of the ARN, for messages.
    pub fn name(&self) -> &str {
        self.arn.rsplit('/').next().unwrap_or(&self.arn)
    }
}

/// What a trail's listing and reads came to in one account-region; `None` in a snapshot: not read.
pub type EventPathEvidence = Observed<Vec<TrailEvidence>>;
