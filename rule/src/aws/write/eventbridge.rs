//! Publish health-change events with PutEvents: at most 10 entries a call, entries EventBridge
//! refuses counted, named by their place and the first reason kept, so the caller can hold back
//! their evaluations and fail the invocation: Lambda's retry sends them again.

use crate::aws::read::unreadable;
use aws_sdk_eventbridge::Client;
use aws_sdk_eventbridge::operation::put_events::PutEventsOutput;
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

/// The entries EventBridge refused, by place, with why. An entry without its EventId is refused
/// too; an answer with fewer (or more) entries than were sent, or whose FailedEntryCount
/// disagrees with its entries, is incomplete: an error, so nothing of the batch counts as published.
fn refused_entries(output: &PutEventsOutput, sent: usize) -> Result<Vec<(usize, String)>, String> {
    let entries = output.entries();
    if entries.len() != sent {
        return Err(format!(
            "PutEvents incomplete answer: {} entries for {sent} sent",
            entries.len()
        ));
    }
    let refused: Vec<(usize, String)> = entries
        .iter()
        .enumerate()
        .filter(|(_, e)| e.error_code().is_some() || e.event_id().is_none_or(str::is_empty))
        .map(|(place, e)| {
            let why = match e.error_code() {
                Some(code) => format!(
                    "PutEvents refused an entry: {code} {}",
                    e.error_message().unwrap_or_default()
                ),
                None => "PutEvents incomplete answer: an entry without its EventId".to_owned(),
            };
            (place, why)
        })
        .collect();
    let counted = usize::try_from(output.failed_entry_count()).unwrap_or(usize::MAX);
    if counted != refused.len() {
        return Err(format!(
            "PutEvents incomplete answer: FailedEntryCount {} for {} refused entries",
            output.failed_entry_count(),
            refused.len()
        ));
    }
    Ok(refused)
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
            Ok(output) => match refused_entries(&output, batch.len()) {
                Ok(refused) => {
                    summary.failed += refused.len();
                    summary.published += batch.len().saturating_sub(refused.len());
                    summary
                        .unpublished
                        .extend(refused.iter().map(|(place, _)| offset + place));
                    if let Some((_, why)) = refused.into_iter().next()
                        && summary.first_error.is_none()
                    {
                        summary.first_error = Some(why);
                    }
                }
                // An answer that does not account for every entry sent: none counts as published.
                Err(why) => {
                    summary.failed += batch.len();
                    summary.unpublished.extend(offset..offset + batch.len());
                    summary.first_error.get_or_insert(why);
                }
            },
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
