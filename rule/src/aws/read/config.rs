//! AWS Config reads for one account-region. Each returns `Observed`: data, or why not.

use super::pages::Pages;
use super::sdk_error::unreadable;
use aws_sdk_config::Client;
use aws_sdk_config::types::{ConfigExportDeliveryInfo, ConfigStreamDeliveryInfo};
use aws_smithy_types::DateTime;
use delivery_guard_core::snapshot::*;
use delivery_guard_core::timestamp::Timestamp;

/// ListConfigurationRecorders pages hold at most 20; an account has a handful. A bound keeps a
/// misbehaving endpoint from looping forever.
const MAX_PAGES: usize = 50;

/// Config's recorder and channel reads.
#[derive(Clone, Debug)]
pub struct ConfigReader {
    client: Client,
}

impl ConfigReader {
    /// Reads with this client.
    pub fn new(client: Client) -> Self {
        Self { client }
    }

    /// `ListConfigurationRecorders`: service-linked recorders included.
    pub async fn recorder_summaries(&self) -> Observed<Vec<RecorderSummary>> {
        const CALL: &str = "ListConfigurationRecorders";
        let mut summaries = Vec::new();
        let mut pages = Pages::new(CALL, MAX_PAGES);
        let mut next_token: Option<String> = None;
        loop {
            let page = match self
                .client
                .list_configuration_recorders()
                .set_next_token(next_token.take())
                .send()
                .await
            {
                Ok(page) => page,
                Err(err) => return Observed::Unreadable(unreadable(CALL, &err)),
            };
            summaries.extend(
                page.configuration_recorder_summaries()
                    .iter()
                    .map(|s| RecorderSummary {
                        name: s.name().to_owned(),
                        arn: Some(s.arn().to_owned()).filter(|a| !a.is_empty()),
                        recording_scope: Some(s.recording_scope().as_str().to_owned()),
                        service_principal: s.service_principal().map(str::to_owned),
                    }),
            );
            match pages.next(page.next_token()) {
                Ok(Some(token)) => next_token = Some(token),
                Ok(None) => return Observed::Read(summaries),
                Err(why) => return Observed::Unreadable(why),
            }
        }
    }

    /// Without arguments, only the customer-managed recorder comes back, which is the one that delivers.
    pub async fn recorders(&self) -> Observed<Vec<Recorder>> {
        match self.client.describe_configuration_recorders().send().await {
            Ok(out) => Observed::Read(
                out.configuration_recorders()
                    .iter()
                    .map(|r| Recorder {
                        name: r.name().unwrap_or_default().to_owned(),
                        role_arn: r.role_arn().map(str::to_owned),
                        recording_scope: r.recording_scope().map(|s| s.as_str().to_owned()),
                    })
                    .collect(),
            ),
            Err(err) => Observed::Unreadable(unreadable("DescribeConfigurationRecorders", &err)),
        }
    }

    /// `DescribeConfigurationRecorderStatus`.
    pub async fn recorder_statuses(&self) -> Observed<Vec<RecorderStatus>> {
        match self.client.describe_configuration_recorder_status().send().await {
            Ok(out) => Observed::Read(
                out.configuration_recorders_status()
                    .iter()
                    .map(|s| RecorderStatus {
                        name: s.name().unwrap_or_default().to_owned(),
                        recording: s.recording(),
                        last_status: s.last_status().map(|v| v.as_str().to_owned()),
                        last_error_code: s.last_error_code().map(str::to_owned),
                        last_error_message: s.last_error_message().map(str::to_owned),
                        last_stop_time: timestamp(s.last_stop_time()),
                    })
                    .collect(),
            ),
            Err(err) => Observed::Unreadable(unreadable("DescribeConfigurationRecorderStatus", &err)),
        }
    }

    /// `DescribeDeliveryChannels`.
    pub async fn delivery_channels(&self) -> Observed<Vec<DeliveryChannel>> {
        match self.client.describe_delivery_channels().send().await {
            Ok(out) => Observed::Read(
                out.delivery_channels()
                    .iter()
                    .map(|c| DeliveryChannel {
                        name: c.name().unwrap_or_default().to_owned(),
                        s3_bucket_name: c.s3_bucket_name().map(str::to_owned),
                        s3_key_prefix: c.s3_key_prefix().map(str::to_owned),
                        s3_kms_key_arn: c.s3_kms_key_arn().map(str::to_owned),
                        sns_topic_arn: c.sns_topic_arn().map(str::to_owned),
                        delivery_frequency: c
                            .config_snapshot_delivery_properties()
                            .and_then(|p| p.delivery_frequency())
                            .map(|f| f.as_str().to_owned()),
                    })
                    .collect(),
            ),
            Err(err) => Observed::Unreadable(unreadable("DescribeDeliveryChannels", &err)),
        }
    }

    /// `DescribeDeliveryChannelStatus`.
    pub async fn delivery_channel_statuses(&self) -> Observed<Vec<DeliveryChannelStatus>> {
        match self.client.describe_delivery_channel_status().send().await {
            Ok(out) => Observed::Read(
                out.delivery_channels_status()
                    .iter()
                    .map(|s| DeliveryChannelStatus {
                        name: s.name().unwrap_or_default().to_owned(),
                        snapshot: s.config_snapshot_delivery_info().map(export_info),
                        history: s.config_history_delivery_info().map(export_info),
                        stream: s.config_stream_delivery_info().map(stream_info),
                    })
                    .collect(),
            ),
            Err(err) => Observed::Unreadable(unreadable("DescribeDeliveryChannelStatus", &err)),
        }
    }
}

fn export_info(info: &ConfigExportDeliveryInfo) -> DeliveryInfo {
    DeliveryInfo {
        last_status: info.last_status().map(|v| v.as_str().to_owned()),
        last_error_code: info.last_error_code().map(str::to_owned),
        last_error_message: info.last_error_message().map(str::to_owned),
        last_attempt_time: timestamp(info.last_attempt_time()),
        last_successful_time: timestamp(info.last_successful_time()),
        next_delivery_time: timestamp(info.next_delivery_time()),
    }
}

fn stream_info(info: &ConfigStreamDeliveryInfo) -> StreamInfo {
    StreamInfo {
        last_status: info.last_status().map(|v| v.as_str().to_owned()),
        last_error_code: info.last_error_code().map(str::to_owned),
        last_error_message: info.last_error_message().map(str::to_owned),
        last_status_change_time: timestamp(info.last_status_change_time()),
    }
}

fn timestamp(time: Option<&DateTime>) -> Option<Timestamp> {
    time.and_then(|t| t.to_millis().ok())
        .map(Timestamp::from_epoch_millis)
}
