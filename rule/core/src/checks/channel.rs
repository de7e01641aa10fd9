//! The delivery channel: it exists, points where required, and its snapshot, history and stream
//! deliveries succeed and are recent.

use super::evidence::incomplete;
use super::outcome::Record;
use super::{CheckId, NotEvaluated};
use crate::checks::Finding;
use crate::parameters::RuleParameters;
use crate::snapshot::status::Status;
use crate::snapshot::{DeliveryChannel, DeliveryChannelStatus, DeliveryInfo, Observed, Snapshot};
use crate::timestamp::{Timestamp, describe_duration};
use std::time::Duration;

const HOUR: Duration = Duration::from_secs(3600);
/// Config's default snapshot delivery frequency when the channel sets none.
const DEFAULT_FREQUENCY: Duration = Duration::from_secs(24 * 3600);
/// How far Config's clock may run ahead of ours before a time it reports is taken as wrong.
const CLOCK_SKEW: Duration = Duration::from_secs(5 * 60);

const DESTINATION_CHECKS: [CheckId; 3] = [
    CheckId::ChannelUnexpectedBucket,
    CheckId::ChannelUnexpectedKeyPrefix,
    CheckId::ChannelUnexpectedKmsKey,
];
const DELIVERY_CHECKS: [CheckId; 5] = [
    CheckId::SnapshotDeliveryFailure,
    CheckId::HistoryDeliveryFailure,
    CheckId::StreamDeliveryFailure,
    CheckId::DeliveryStale,
    CheckId::DeliveryNeverSucceeded,
];
const AGE_CHECKS: [CheckId; 2] = [CheckId::DeliveryStale, CheckId::DeliveryNeverSucceeded];

pub(super) fn check(snapshot: &Snapshot, params: &RuleParameters, out: &mut Record) {
    let channels = match &snapshot.delivery_channels {
        Observed::Read(channels) => channels,
        Observed::Unreadable(why) => {
            let why = NotEvaluated::Unread(format!("{} {}", why.call, why.kind.describe()));
            out.skip(CheckId::ChannelMissing, why.clone());
            out.skip_all(&DESTINATION_CHECKS, &why);
            out.skip_all(&DELIVERY_CHECKS, &why);
            return;
        }
    };
    if channels.is_empty() {
        let moot = NotEvaluated::Moot(CheckId::ChannelMissing);
        out.skip_all(&DESTINATION_CHECKS, &moot);
        out.skip_all(&DELIVERY_CHECKS, &moot);
        out.fail(Finding::new(
            CheckId::ChannelMissing,
            "no delivery channel: recorded configuration never reaches S3",
        ));
        return;
    }
    out.pass(CheckId::ChannelMissing);
    for channel in channels {
        destination(channel, params, out);
        let statuses = match &snapshot.delivery_channel_statuses {
            Observed::Read(statuses) => statuses,
            Observed::Unreadable(why) => {
                let why = NotEvaluated::Unread(format!("{} {}", why.call, why.kind.describe()));
                out.skip_all(&DELIVERY_CHECKS, &why);
                continue;
            }
        };
        match statuses.iter().find(|s| s.name == channel.name) {
            Some(status) => delivery(channel, status, params, snapshot.observed_at, out),
            None => {
                let what = format!("no delivery status returned for channel '{}'", channel.name);
                out.skip_all(&DELIVERY_CHECKS, &NotEvaluated::Incomplete(what.clone()));
                out.fail(incomplete(&what).with("channel", &channel.name));
            }
        }
    }
}

/// The channel points at the bucket, prefix and key the parameters require (a parameter not set
/// requires nothing: the check passes on the channel as read).
fn destination(channel: &DeliveryChannel, params: &RuleParameters, out: &mut Record) {
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
    for (check, what, expected, actual) in required {
        out.pass(check);
        let Some(expected) = expected.as_deref() else {
            continue;
        };
        let actual = actual.as_deref().filter(|a| !a.is_empty());
        // Key ARNs are case-insensitive in their hex IDs; bucket names and prefixes are not.
        let same = match check {
            CheckId::ChannelUnexpectedKmsKey => actual.is_some_and(|a| a.eq_ignore_ascii_case(expected)),
            _ => actual == Some(expected),
        };
        if !same {
            let actual = actual.unwrap_or("(none)");
            out.fail(
                Finding::new(check, format!("channel {what} is {actual} instead of {expected}"))
                    .with("channel", &channel.name)
                    .with("expected", expected)
                    .with("actual", actual),
            );
        }
    }
}

/// Snapshot and history, then the stream, then the age of the last success: each part judged on
/// what Config said of it, and the age only when both parts were said in full.
fn delivery(
    channel: &DeliveryChannel,
    status: &DeliveryChannelStatus,
    params: &RuleParameters,
    now: Timestamp,
    out: &mut Record,
) {
    let failing = judge_parts(channel, status, out);
    stream(channel, status, out);
    // A failure already says delivery is broken and for how long; the age adds nothing then.
    if let Some(check) = failing {
        out.skip_all(&AGE_CHECKS, &NotEvaluated::Moot(check));
        return;
    }
    judge_age(channel, status, params, now, out);
}

/// The snapshot and history parts; the first failing one's check.
fn judge_parts(
    channel: &DeliveryChannel,
    status: &DeliveryChannelStatus,
    out: &mut Record,
) -> Option<CheckId> {
    let snapshot_part = Part {
        kind: "snapshot",
        field: "configSnapshotDeliveryInfo",
        check: CheckId::SnapshotDeliveryFailure,
    };
    let history_part = Part {
        kind: "history",
        field: "configHistoryDeliveryInfo",
        check: CheckId::HistoryDeliveryFailure,
    };
    let last_success = last_success(status);
    let snapshot_failure = judge_part(
        &snapshot_part,
        status.snapshot.as_ref(),
        channel,
        &last_success,
        None,
        out,
    );
    let history_failure = judge_part(
        &history_part,
        status.history.as_ref(),
        channel,
        &last_success,
        snapshot_failure.as_deref(),
        out,
    );
    match (snapshot_failure, history_failure) {
        (Some(_), _) => Some(CheckId::SnapshotDeliveryFailure),
        (None, Some(_)) => Some(CheckId::HistoryDeliveryFailure),
        (None, None) => None,
    }
}

/// How long since the last success, when both parts were said in full and no time lies ahead.
fn judge_age(
    channel: &DeliveryChannel,
    status: &DeliveryChannelStatus,
    params: &RuleParameters,
    now: Timestamp,
    out: &mut Record,
) {
    if let Some(what) = incomplete_times(channel, status, now, out) {
        out.skip_all(&AGE_CHECKS, &NotEvaluated::Incomplete(what));
        return;
    }
    // A part Config did not say in full may hold the fresher success: no age from the other alone.
    if out.is_skipped(CheckId::DeliveryStale) {
        return;
    }
    match staleness(channel, status, freshest(status), params, now) {
        Some(finding) => {
            if finding.check == CheckId::DeliveryNeverSucceeded {
                out.skip(
                    CheckId::DeliveryStale,
                    NotEvaluated::Moot(CheckId::DeliveryNeverSucceeded),
                );
            }
            out.fail(finding);
        }
        None => out.pass_all(&AGE_CHECKS),
    }
}

/// One of the two parts Config delivers to S3.
struct Part {
    kind: &'static str,
    field: &'static str,
    check: CheckId,
}

/// Judges one part; returns its error code (or "") when it is failing. A part Config did not say
/// in full (no info, no lastStatus, a status it does not document) is not evaluated.
fn judge_part(
    part: &Part,
    info: Option<&DeliveryInfo>,
    channel: &DeliveryChannel,
    last_success: &str,
    earlier_failure: Option<&str>,
    out: &mut Record,
) -> Option<String> {
    let not_said = |what: String, out: &mut Record| {
        out.skip(part.check, NotEvaluated::Incomplete(what.clone()));
        out.skip_all(&AGE_CHECKS, &NotEvaluated::Incomplete(what.clone()));
        out.fail(incomplete(&what).with("channel", &channel.name));
    };
    let Some(info) = info else {
        not_said(
            format!(
                "Config's status for channel '{}' has no {}",
                channel.name, part.field
            ),
            out,
        );
        return None;
    };
    match info.last_status.as_deref().map(Status::parse) {
        None => {
            not_said(
                format!(
                    "{} delivery status of channel '{}' has no lastStatus",
                    part.kind, channel.name
                ),
                out,
            );
            None
        }
        Some(Status::Failure) => {
            let mut finding = failure(part.check, part.kind, info, last_success, channel);
            // The annotation has 256 characters: say a repeated error once.
            if earlier_failure.is_some() && earlier_failure == info.last_error_code.as_deref().or(Some("")) {
                finding.message = format!("{} delivery failing too, same error", part.kind);
            }
            out.fail(finding);
            Some(info.last_error_code.clone().unwrap_or_default())
        }
        Some(Status::Other(raw)) => {
            let what = NotEvaluated::Incomplete(format!("{} status '{raw}'", part.kind));
            out.skip(part.check, what.clone());
            out.skip_all(&AGE_CHECKS, &what);
            out.fail(unrecognised(part.kind, &raw, channel));
            None
        }
        Some(Status::Success | Status::NotApplicable | Status::Pending) => {
            out.pass(part.check);
            None
        }
    }
}

/// The stream has no success times; `Not_Applicable` only means the channel has no SNS topic.
fn stream(channel: &DeliveryChannel, status: &DeliveryChannelStatus, out: &mut Record) {
    let has_topic = channel.sns_topic_arn.as_deref().is_some_and(|t| !t.is_empty());
    let stream_status = status
        .stream
        .as_ref()
        .and_then(|s| s.last_status.as_deref())
        .map(Status::parse);
    match (stream_status, &status.stream) {
        (Some(Status::Failure), Some(stream)) => {
            let code = stream.last_error_code.as_deref().unwrap_or("no error code");
            out.fail(
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
        (Some(Status::Other(raw)), _) => out.fail(unrecognised("stream", &raw, channel)),
        (Some(_), _) => out.pass(CheckId::StreamDeliveryFailure),
        // Without a topic there is nothing to stream, so nothing Config must say of it.
        (None, _) if !has_topic => out.pass(CheckId::StreamDeliveryFailure),
        (None, _) => {
            let what = format!(
                "stream delivery status of channel '{}' (it has an SNS topic) has no lastStatus",
                channel.name
            );
            out.skip(
                CheckId::StreamDeliveryFailure,
                NotEvaluated::Incomplete(what.clone()),
            );
            out.fail(incomplete(&what).with("channel", &channel.name));
        }
    }
}

fn freshest(status: &DeliveryChannelStatus) -> Option<Timestamp> {
    [&status.snapshot, &status.history]
        .into_iter()
        .flatten()
        .filter_map(|info| info.last_successful_time)
        .max()
}

/// " (last success <time>)", or " (never succeeded)". Times, not ages: an annotation that changes
/// every hour would defeat delta reporting.
fn last_success(status: &DeliveryChannelStatus) -> String {
    freshest(status).map_or_else(
        || " (never succeeded)".to_owned(),
        |t| format!(" (last success {t})"),
    )
}

/// A success or attempt Config dates after our own reading is an answer we cannot use: judged by
/// it, a pipeline would read as fresh for as long as the date lies ahead.
fn incomplete_times(
    channel: &DeliveryChannel,
    status: &DeliveryChannelStatus,
    now: Timestamp,
    out: &mut Record,
) -> Option<String> {
    let ahead = [("snapshot", &status.snapshot), ("history", &status.history)]
        .into_iter()
        .filter_map(|(kind, info)| Some((kind, info.as_ref()?)))
        .flat_map(|(kind, info)| {
            [
                (
                    "lastSuccessfulTime",
                    "last_successful_time",
                    info.last_successful_time,
                ),
                ("lastAttemptTime", "last_attempt_time", info.last_attempt_time),
            ]
            .into_iter()
            .filter_map(move |(field, key, time)| Some((kind, field, key, time?)))
        })
        .find(|(_, _, _, time)| time.epoch_millis() > now.plus(CLOCK_SKEW).epoch_millis())?;
    let (kind, field, key, time) = ahead;
    let what = format!(
        "{kind} {field} {time} of channel '{}' is after this reading ({now})",
        channel.name
    );
    out.fail(
        incomplete(&what)
            .with("channel", &channel.name)
            .with(key, time.to_string()),
    );
    Some(what)
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

    fn check(snapshot: &Snapshot, params: &RuleParameters) -> Vec<Finding> {
        let mut record = Record::new();
        super::check(snapshot, params, &mut record);
        record.findings
    }

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
