//! Publish health-change events with PutEvents: at most 10 entries a call, entries EventBridge
//! refuses counted, named by their place and the first reason kept, so the caller can hold back
//! their evaluations and fail the invocation: Lambda's retry sends them again.

use crate::aws::read::unreadable;
use aws_sdk_eventbridge::Client;
use aws_sdk_eventbridge::types::PutEventsRequestEntry;
use delivery_guard_core::outbound::health_event::{Outgoing, SOURCE};
use serde::Serialize;

/// `PutEvents` takes at most 10 entries a call.
pub const MAX_PER_CALL: usize = 10;

/// What `publish` did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct EventsSummary {
    /// Events accepted.
    pub published: usize,
    /// Events refused or not sent.
    pub failed: usize,
    /// The first error, for the log.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_error: Option<String>,
    /// The places, in the events given, of those not published.
    #[serde(skip)]
    pub unpublished: Vec<usize>,
}

/// Puts the health-change events on the bus, 10 a call.
pub async fn publish(client: &Client, bus: &str, events: &[Outgoing]) -> EventsSummary {
    let mut summary = EventsSummary::default();
    for (number, batch) in events.chunks(MAX_PER_CALL).enumerate() {
        let offset = number * MAX_PER_CALL;
        let entries: Vec<PutEventsRequestEntry> = batch
            .iter()
            .map(|event| {
                PutEventsRequestEntry::builder()
                    .source(SOURCE)
                    .detail_type(event.detail_type())
                    .detail(event.detail().to_string())
                    .event_bus_name(bus)
                    .build()
            })
            .collect();
        match client.put_events().set_entries(Some(entries)).send().await {
            Ok(output) => {
                let refused: Vec<_> = output
                    .entries()
                    .iter()
                    .enumerate()
                    .filter(|(_, e)| e.error_code().is_some())
                    .map(|(place, e)| {
                        summary.unpublished.push(offset + place);
                        e
                    })
                    .collect();
                summary.failed += refused.len();
                summary.published += batch.len().saturating_sub(refused.len());
                if let Some(first) = refused.first()
                    && summary.first_error.is_none()
                {
                    summary.first_error = Some(format!(
                        "PutEvents refused an entry: {} {}",
                        first.error_code().unwrap_or_default(),
                        first.error_message().unwrap_or_default()
                    ));
                }
            }
            Err(err) => {
                summary.failed += batch.len();
                summary.unpublished.extend(offset..offset + batch.len());
                if summary.first_error.is_none() {
                    let why = unreadable("PutEvents", &err);
                    summary.first_error = Some(format!("PutEvents {}: {}", why.kind.describe(), why.message));
                }
            }
        }
    }
    summary
}
