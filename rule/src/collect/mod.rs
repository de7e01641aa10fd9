//! Adapters: read an account-region's pipeline into a `Snapshot`, all reads concurrently.

mod config;
mod sdk_error;
mod sts;

pub use config::ConfigReader;
pub use sdk_error::unreadable;
pub use sts::caller_account;

use crate::snapshot::Snapshot;
use crate::timestamp::Timestamp;

/// The five reads are independent, so they run at once: one round trip of latency, not five.
pub async fn collect(config: &ConfigReader, account_id: &str, region: &str) -> Snapshot {
    let (recorder_summaries, recorders, recorder_statuses, delivery_channels, delivery_channel_statuses) = tokio::join!(
        config.recorder_summaries(),
        config.recorders(),
        config.recorder_statuses(),
        config.delivery_channels(),
        config.delivery_channel_statuses(),
    );
    // Stamped when the reads are done: nothing they returned can be newer than this.
    let observed_at = Timestamp::now();
    Snapshot {
        account_id: account_id.to_owned(),
        region: region.to_owned(),
        observed_at,
        recorder_summaries,
        recorders,
        recorder_statuses,
        delivery_channels,
        delivery_channel_statuses,
    }
}
