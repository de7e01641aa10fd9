//! CloudTrail reads for the event path: the trails that apply to a Region, and what each records.

use super::sdk_error::{incomplete, unreadable};
use aws_config::Region;
use aws_sdk_cloudtrail::Client;
use aws_sdk_cloudtrail::types::{AdvancedEventSelector, AdvancedFieldSelector, EventSelector};
use delivery_guard_core::snapshot::Observed;
use delivery_guard_core::snapshot::trails::{
    BasicSelector, EventSelectors, FieldSelector, Trail, TrailRecording,
};

/// CloudTrail reads in one account.
#[derive(Clone, Debug)]
pub struct TrailReader {
    client: Client,
}

impl TrailReader {
    /// Reads with this client; its Region is the one `trails` lists for.
    pub fn new(client: Client) -> Self {
        Self { client }
    }

    /// `DescribeTrails` with shadow trails: every trail that applies to the client's Region, the
    /// account's multi-Region trails and the Organization's trail included.
    pub async fn trails(&self) -> Observed<Vec<Trail>> {
        match self
            .client
            .describe_trails()
            .include_shadow_trails(true)
            .send()
            .await
        {
            Ok(out) => {
                let trails = out
                    .trail_list()
                    .iter()
                    .filter_map(|t| {
                        Some(Trail {
                            arn: t.trail_arn()?.to_owned(),
                            home_region: t.home_region()?.to_owned(),
                            multi_region: t.is_multi_region_trail().unwrap_or(false),
                            organization: t.is_organization_trail().unwrap_or(false),
                        })
                    })
                    .collect::<Vec<_>>();
                if trails.len() == out.trail_list().len() {
                    Observed::Read(trails)
                } else {
                    Observed::Unreadable(incomplete(
                        "DescribeTrails",
                        "a trail without TrailARN or HomeRegion",
                    ))
                }
            }
            Err(err) => Observed::Unreadable(unreadable("DescribeTrails", &err)),
        }
    }

    /// `GetTrailStatus` and `GetEventSelectors` by ARN in the trail's home Region (a member must
    /// name an organization trail by ARN).
    pub async fn recording(&self, trail: &Trail) -> Observed<TrailRecording> {
        let home =
            || aws_sdk_cloudtrail::config::Builder::default().region(Region::new(trail.home_region.clone()));
        let status = self
            .client
            .get_trail_status()
            .name(&trail.arn)
            .customize()
            .config_override(home())
            .send();
        let selectors = self
            .client
            .get_event_selectors()
            .trail_name(&trail.arn)
            .customize()
            .config_override(home())
            .send();
        let (status, selectors) = tokio::join!(status, selectors);
        let logging = match status {
            Ok(out) => match out.is_logging() {
                Some(logging) => logging,
                None => return Observed::Unreadable(incomplete("GetTrailStatus", "no IsLogging")),
            },
            Err(err) => return Observed::Unreadable(unreadable("GetTrailStatus", &err)),
        };
        let selectors = match selectors {
            Ok(out) if !out.advanced_event_selectors().is_empty() => {
                EventSelectors::Advanced(out.advanced_event_selectors().iter().map(advanced).collect())
            }
            Ok(out) => match out
                .event_selectors()
                .iter()
                .map(basic)
                .collect::<Option<Vec<_>>>()
            {
                Some(basic) => EventSelectors::Basic(basic),
                // Assuming CloudTrail's defaults would call an unread selector a seeing one.
                None => {
                    return Observed::Unreadable(incomplete(
                        "GetEventSelectors",
                        "an event selector without IncludeManagementEvents or ReadWriteType",
                    ));
                }
            },
            Err(err) => return Observed::Unreadable(unreadable("GetEventSelectors", &err)),
        };
        Observed::Read(TrailRecording { logging, selectors })
    }
}

fn basic(selector: &EventSelector) -> Option<BasicSelector> {
    Some(BasicSelector {
        include_management_events: selector.include_management_events()?,
        read_write_type: selector.read_write_type()?.as_str().to_owned(),
        excluded_sources: selector.exclude_management_event_sources().to_vec(),
    })
}

fn advanced(selector: &AdvancedEventSelector) -> Vec<FieldSelector> {
    selector.field_selectors().iter().map(field).collect()
}

fn field(selector: &AdvancedFieldSelector) -> FieldSelector {
    FieldSelector {
        field: selector.field().to_owned(),
        equals: selector.equals().to_vec(),
        not_equals: selector.not_equals().to_vec(),
        starts_with: selector.starts_with().to_vec(),
        not_starts_with: selector.not_starts_with().to_vec(),
    }
}
