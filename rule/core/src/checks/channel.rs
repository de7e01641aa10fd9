//! The delivery channel: it exists, points where required, and its snapshot, history and stream
//! deliveries succeed and are recent.

use super::CheckId;
use crate::checks::Finding;
use crate::parameters::RuleParameters;
use crate::snapshot::status::Status;
use crate::snapshot::{DeliveryChannel, DeliveryChannelStatus, DeliveryInfo, Snapshot};
use crate::timestamp::{Timestamp, describe_duration};
use std::time::Duration;

const HOUR: Duration = Duration::from_secs(3600);
/// Config's default snapshot delivery frequency when the channel sets none.
const DEFAULT_FREQUENCY: Duration = Duration::from_secs(24 * 3600);

pub fn check(snapshot: &Snapshot, params: &RuleParameters) -> Vec<Finding> {
    let Some(channels) = snapshot.delivery_channels.read() else {
        return Vec::new();
    };
    if channels.is_empty() {
        return vec![Finding::new(
            CheckId::ChannelMissing,
            "no delivery channel: recorded configuration never reaches S3",
        )];
    }
    let mut findings = Vec::new();
    for channel in channels {
        findings.extend(destination(channel, params));
        let Some(statuses) = snapshot.delivery_channel_statuses.read() else {
            continue;
        };
        match statuses.iter().find(|s| s.name == channel.name) {
            Some(status) => findings.extend(delivery(channel, status, params, snapshot.observed_at)),
            None => findings.push(
                Finding::new(
                    CheckId::EvidenceIncomplete,
                    format!(
                        "cannot verify: no delivery status returned for channel '{}'",
                        channel.name
                    ),
                )
                .with("channel", &channel.name),
            ),
        }
    }
    findings
}

/// The channel points at the bucket, prefix and key the parameters require.
fn destination(channel: &DeliveryChannel, params: &RuleParameters) -> Vec<Finding> {
    let required = [
        (
            CheckId::ChannelUnexpectedBucket,
            "bucket",
            &params.expected_bucket,
            &channel.s3_bucket_name,
        ),
        (
            CheckId::ChannelUnexpectedKeyPrefix,
            "key prefix",
            &params.expected_key_prefix,
            &channel.s3_key_prefix,
        ),
        (
            CheckId::ChannelUnexpectedKmsKey,
            "KMS key",
            &params.expected_kms_key_arn,
            &channel.s3_kms_key_arn,
        ),
    ];
    required
        .into_iter()
        .filter_map(|(check, what, expected, actual)| {
            let expected = expected.as_deref()?;
            let actual = actual.as_deref().filter(|a| !a.is_empty());
            // Key ARNs are case-insensitive in their hex IDs; bucket names and prefixes are not.
            let same = match check {
                CheckId::ChannelUnexpectedKmsKey => actual.is_some_and(|a| a.eq_ignore_ascii_case(expected)),
                _ => actual == Some(expected),
            };
            let actual = actual.unwrap_or("(none)");
            (!same).then(|| {
                Finding::new(check, format!("channel {what} is {actual} instead of {expected}"))
                    .with("channel", &channel.name)
                    .with("expected", expected)
                    .with("actual", actual)
            })
        })
        .collect()
}

fn delivery(
    channel: &DeliveryChannel,
    status: &DeliveryChannelStatus,
    params: &RuleParameters,
    now: Timestamp,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    let freshest = [&status.snapshot, &status.history]
        .into_iter()
        .flatten()
        .filter_map(|info| info.last_successful_time)
        .max();
    // Times, not ages: an annotation that changes every hour would defeat delta reporting.
    let last_success = freshest.map(|t| format!(" (last success {t})"));
    let last_success = last_success.as_deref().unwrap_or(" (never succeeded)");

    for (kind, check, info) in [
        ("snapshot", CheckId::SnapshotDeliveryFailure, &status.snapshot),
        ("history", CheckId::HistoryDeliveryFailure, &status.history),
    ] {
        let Some(info) = info else { continue };
        match info.last_status.as_deref().map(Status::parse) {
            Some(Status::Failure) => {
                let mut finding = failure(check, kind, info, last_success, channel);
                // The annotation has 256 characters: say a repeated error once.
                let same_error = findings.iter().any(|f: &Finding| {
                    f.check == CheckId::SnapshotDeliveryFailure
                        && f.evidence.get("last_error_code") == info.last_error_code.as_deref()
                });
                if same_error {
                    finding.message = format!("{kind} delivery failing too, same error");
                }
                findings.push(finding);
            }
            Some(Status::Other(raw)) => findings.push(unrecognised(kind, &raw, channel)),
            Some(Status::Success | Status::NotApplicable | Status::Pending) | None => {}
        }
    }
    if let Some(stream) = &status.stream {
        // Not_Applicable only means the channel has no SNS topic; the stream has no success times.
        match stream.last_status.as_deref().map(Status::parse) {
            Some(Status::Failure) => {
                let code = stream.last_error_code.as_deref().unwrap_or("no error code");
                findings.push(
                    Finding::new(
                        CheckId::StreamDeliveryFailure,
                        format!("stream delivery to SNS failing: {code}"),
                    )
                    .with("channel", &channel.name)
                    .with_opt("sns_topic_arn", channel.sns_topic_arn.as_deref())
                    .with_opt("last_error_code", stream.last_error_code.as_deref())
                    .with_opt("last_error_message", stream.last_error_message.as_deref()),
                );
            }
            Some(Status::Other(raw)) => findings.push(unrecognised("stream", &raw, channel)),
            _ => {}
        }
    }
    // A failure already says delivery is broken and for how long; staleness adds nothing then.
    if findings
        .iter()
        .all(|f| f.check.severity() != crate::checks::Severity::Critical)
    {
        findings.extend(staleness(channel, status, freshest, params, now));
    }
    findings
}

fn failure(
    check: CheckId,
    kind: &str,
    info: &DeliveryInfo,
    last_success: &str,
    channel: &DeliveryChannel,
) -> Finding {
    let code = info.last_error_code.as_deref().unwrap_or("no error code");
    Finding::new(check, format!("{kind} delivery failing: {code}{last_success}"))
        .with("channel", &channel.name)
        .with_opt("bucket", channel.s3_bucket_name.as_deref())
        .with_opt("last_error_code", info.last_error_code.as_deref())
        .with_opt("last_error_message", info.last_error_message.as_deref())
        .with_opt("last_attempt_time", info.last_attempt_time.map(|t| t.to_string()))
        .with_opt(
            "last_successful_time",
            info.last_successful_time.map(|t| t.to_string()),
        )
}

fn unrecognised(kind: &str, raw: &str, channel: &DeliveryChannel) -> Finding {
    Finding::new(
        CheckId::EvidenceIncomplete,
        format!("cannot verify: {kind} delivery status '{raw}' is not one Config documents"),
    )
    .with("channel", &channel.name)
    .with("last_status", raw)
}

fn staleness(
    channel: &DeliveryChannel,
    status: &DeliveryChannelStatus,
    freshest: Option<Timestamp>,
    params: &RuleParameters,
    now: Timestamp,
) -> Option<Finding> {
    let frequency = channel
        .delivery_frequency
        .as_deref()
        .and_then(frequency)
        .unwrap_or(DEFAULT_FREQUENCY);
    // One missed periodic snapshot is tolerated; two are not.
    let max_age = params.max_delivery_age.unwrap_or(frequency * 2);
    let Some(last) = freshest else {
        return Some(
            Finding::new(
                CheckId::DeliveryNeverSucceeded,
                "no successful snapshot or history delivery recorded yet",
            )
            .with("channel", &channel.name)
            .with_opt("bucket", channel.s3_bucket_name.as_deref()),
        );
    };
    let age = last.age_at(now);
    let overdue_since = status
        .snapshot
        .as_ref()
        .and_then(|s| s.next_delivery_time)
        .filter(|next| next.age_at(now) > frequency);
    if age <= max_age && overdue_since.is_none() {
        return None;
    }
    // Times, not ages, so the annotation stays the same from run to run (delta reporting).
    let message = match overdue_since {
        Some(due) if age <= max_age => format!("delivery stale: next snapshot was due {due}"),
        _ => format!(
            "delivery stale: last success {last}, limit {}",
            describe_duration(max_age)
        ),
    };
    Some(
        Finding::new(CheckId::DeliveryStale, message)
            .with("channel", &channel.name)
            .with("last_successful_time", last.to_string())
            .with("max_delivery_age", describe_duration(max_age))
            .with_opt("delivery_frequency", channel.delivery_frequency.as_deref()),
    )
}

fn frequency(raw: &str) -> Option<Duration> {
    let hours = match raw.to_ascii_lowercase().as_str() {
        "one_hour" => 1,
        "three_hours" => 3,
        "six_hours" => 6,
        "twelve_hours" => 12,
        "twentyfour_hours" => 24,
        _ => return None,
    };
    Some(HOUR * hours)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::fixtures::{healthy, hours_ago};
    use crate::snapshot::{Observed, StreamInfo};

    fn run(snapshot: &Snapshot) -> Vec<Finding> {
        check(snapshot, &RuleParameters::default())
    }

    fn status_mut(snapshot: &mut Snapshot) -> &mut DeliveryChannelStatus {
        match &mut snapshot.delivery_channel_statuses {
            Observed::Read(statuses) => &mut statuses[0],
            Observed::Unreadable(_) => unreachable!(),
        }
    }

    fn ids(findings: &[Finding]) -> Vec<&'static str> {
        findings.iter().map(|f| f.check.id()).collect()
    }

    #[test]
    fn healthy_channel_passes() {
        assert!(run(&healthy()).is_empty());
    }

    #[test]
    fn missing_channel() {
        let mut snapshot = healthy();
        snapshot.delivery_channels = Observed::Read(vec![]);
        assert_eq!(ids(&run(&snapshot)), ["channel.missing"]);
    }

    #[test]
    fn history_failure_names_the_code_and_how_long_ago_it_last_worked() {
        for casing in ["Failure", "FAILURE"] {
            let mut snapshot = healthy();
            let history = status_mut(&mut snapshot).history.as_mut().unwrap();
            history.last_status = Some(casing.into());
            history.last_error_code = Some("InsufficientDeliveryPolicyException".into());
            history.last_error_message = Some("unable to write to bucket".into());
            history.last_successful_time = Some(hours_ago(50));
            status_mut(&mut snapshot)
                .snapshot
                .as_mut()
                .unwrap()
                .last_successful_time = Some(hours_ago(30));
            let findings = run(&snapshot);
            assert_eq!(ids(&findings), ["channel.history-delivery-failure"], "{casing}");
            assert_eq!(
                findings[0].message,
                "history delivery failing: InsufficientDeliveryPolicyException (last success 2025-12-30T18:00:00Z)"
            );
            assert_eq!(
                findings[0].evidence.get("last_error_message").unwrap(),
                "unable to write to bucket"
            );
        }
    }

    #[test]
    fn snapshot_failure_without_any_success() {
        let mut snapshot = healthy();
        let status = status_mut(&mut snapshot);
        status.history = None;
        let info = status.snapshot.as_mut().unwrap();
        info.last_status = Some("Failure".into());
        info.last_error_code = Some("NoSuchBucket".into());
        info.last_successful_time = None;
        let findings = run(&snapshot);
        assert_eq!(
            findings[0].message,
            "snapshot delivery failing: NoSuchBucket (never succeeded)"
        );
    }

    #[test]
    fn the_same_error_on_snapshot_and_history_is_said_once() {
        let mut snapshot = healthy();
        let status = status_mut(&mut snapshot);
        for info in [&mut status.snapshot, &mut status.history] {
            let info = info.as_mut().unwrap();
            info.last_status = Some("Failure".into());
            info.last_error_code = Some("NoSuchBucket".into());
        }
        let findings = run(&snapshot);
        assert_eq!(
            ids(&findings),
            [
                "channel.snapshot-delivery-failure",
                "channel.history-delivery-failure"
            ]
        );
        assert_eq!(findings[1].message, "history delivery failing too, same error");
    }

    #[test]
    fn stream_not_applicable_is_fine_and_failure_is_reported() {
        let mut snapshot = healthy();
        status_mut(&mut snapshot).stream = Some(StreamInfo {
            last_status: Some("NOT_APPLICABLE".into()),
            ..StreamInfo::default()
        });
        assert!(run(&snapshot).is_empty());
        status_mut(&mut snapshot).stream = Some(StreamInfo {
            last_status: Some("Failure".into()),
            last_error_code: Some("AuthorizationError".into()),
            ..StreamInfo::default()
        });
        assert_eq!(ids(&run(&snapshot)), ["channel.stream-delivery-failure"]);
    }

    #[test]
    fn success_three_days_ago_is_stale_at_the_default_limit() {
        let mut snapshot = healthy();
        let status = status_mut(&mut snapshot);
        for info in [&mut status.snapshot, &mut status.history] {
            let info = info.as_mut().unwrap();
            info.last_successful_time = Some(hours_ago(72));
            info.next_delivery_time = Some(hours_ago(48));
        }
        let findings = run(&snapshot);
        assert_eq!(ids(&findings), ["channel.delivery-stale"]);
        assert_eq!(
            findings[0].message,
            "delivery stale: last success 2025-12-29T00:00:00Z, limit 2d"
        );
        // The same pipeline an hour later says the same: delta reporting reports it once.
        let mut later = snapshot.clone();
        later.observed_at = later.observed_at.plus(HOUR);
        assert_eq!(run(&later)[0].message, findings[0].message);
    }

    #[test]
    fn the_limit_follows_the_frequency_or_the_parameter() {
        let mut snapshot = healthy();
        let status = status_mut(&mut snapshot);
        for info in [&mut status.snapshot, &mut status.history] {
            let info = info.as_mut().unwrap();
            info.last_successful_time = Some(hours_ago(5));
            info.next_delivery_time = None;
        }
        assert!(run(&snapshot).is_empty(), "5h is fresh for a 24h channel");
        let params = RuleParameters {
            max_delivery_age: Some(HOUR * 4),
            ..RuleParameters::default()
        };
        assert_eq!(ids(&check(&snapshot, &params)), ["channel.delivery-stale"]);
        if let Observed::Read(channels) = &mut snapshot.delivery_channels {
            channels[0].delivery_frequency = Some("One_Hour".into());
        }
        assert_eq!(
            ids(&run(&snapshot)),
            ["channel.delivery-stale"],
            "5h is two periods late for 1h"
        );
    }

    #[test]
    fn an_overdue_next_delivery_is_stale_even_with_a_recent_success() {
        let mut snapshot = healthy();
        status_mut(&mut snapshot)
            .snapshot
            .as_mut()
            .unwrap()
            .next_delivery_time = Some(hours_ago(30));
        let findings = run(&snapshot);
        assert_eq!(
            findings[0].message,
            "delivery stale: next snapshot was due 2025-12-30T18:00:00Z"
        );
    }

    #[test]
    fn no_success_ever_is_reported() {
        let mut snapshot = healthy();
        let status = status_mut(&mut snapshot);
        for info in [&mut status.snapshot, &mut status.history] {
            let info = info.as_mut().unwrap();
            info.last_status = Some("PENDING".into());
            info.last_successful_time = None;
        }
        assert_eq!(ids(&run(&snapshot)), ["channel.never-delivered"]);
    }

    #[test]
    fn an_undocumented_status_is_not_taken_as_success() {
        let mut snapshot = healthy();
        status_mut(&mut snapshot).history.as_mut().unwrap().last_status = Some("Degraded".into());
        assert_eq!(ids(&run(&snapshot)), ["evidence.incomplete"]);
    }

    #[test]
    fn destination_must_match_the_parameters() {
        let snapshot = healthy();
        let params = RuleParameters {
            expected_bucket: Some("other-bucket".into()),
            expected_key_prefix: Some("o-abc123".into()),
            expected_kms_key_arn: Some("arn:aws:kms:us-east-1:222222222222:key/k-2".into()),
            ..RuleParameters::default()
        };
        let findings = check(&snapshot, &params);
        assert_eq!(
            ids(&findings),
            ["channel.unexpected-bucket", "channel.unexpected-kms-key"]
        );
        assert_eq!(
            findings[0].message,
            "channel bucket is central-config-logs instead of other-bucket"
        );
    }

    #[test]
    fn a_channel_without_status_cannot_be_verified() {
        let mut snapshot = healthy();
        snapshot.delivery_channel_statuses = Observed::Read(vec![]);
        assert_eq!(ids(&run(&snapshot)), ["evidence.incomplete"]);
    }
}
