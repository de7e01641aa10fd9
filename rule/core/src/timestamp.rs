//! A point in time as the snapshot stores it: RFC 3339 in JSON, epoch milliseconds inside.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A point in time, to the millisecond; RFC 3339 in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    epoch_millis: i64,
}

impl Timestamp {
    /// From milliseconds since the Unix epoch.
    pub const fn from_epoch_millis(epoch_millis: i64) -> Self {
        Self { epoch_millis }
    }

    /// Milliseconds since the Unix epoch.
    pub const fn epoch_millis(self) -> i64 {
        self.epoch_millis
    }

    /// The current time.
    pub fn now() -> Self {
        Self::from_system_time(SystemTime::now())
    }

    /// From a system time (before the epoch counts as negative).
    pub fn from_system_time(time: SystemTime) -> Self {
        let epoch_millis = match time.duration_since(UNIX_EPOCH) {
            Ok(after) => i64::try_from(after.as_millis()).unwrap_or(i64::MAX),
            Err(before) => i64::try_from(before.duration().as_millis()).map_or(i64::MIN, |ms| -ms),
        };
        Self { epoch_millis }
    }

    /// Parses RFC 3339 with a `Z` offset, as Config writes `notificationCreationTime`.
    pub fn parse_rfc3339(text: &str) -> Result<Self, String> {
        humantime::parse_rfc3339_weak(text.trim_end_matches(['Z', 'z']))
            .map(Self::from_system_time)
            .map_err(|err| format!("'{text}' is not an RFC 3339 time: {err}"))
    }

    /// How long before `later` this is; zero when `later` is not later.
    pub fn age_at(self, later: Self) -> Duration {
        let millis = later.epoch_millis.saturating_sub(self.epoch_millis);
        Duration::from_millis(u64::try_from(millis).unwrap_or(0))
    }

    /// The time `duration` later.
    pub fn plus(self, duration: Duration) -> Self {
        let millis = i64::try_from(duration.as_millis()).unwrap_or(i64::MAX);
        Self::from_epoch_millis(self.epoch_millis.saturating_add(millis))
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // humantime formats only times after the epoch; earlier ones never come from AWS.
        let millis = u64::try_from(self.epoch_millis).unwrap_or(0);
        let time = UNIX_EPOCH + Duration::from_millis(millis);
        if millis % 1000 == 0 {
            write!(f, "{}", humantime::format_rfc3339_seconds(time))
        } else {
            write!(f, "{}", humantime::format_rfc3339_millis(time))
        }
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse_rfc3339(&text).map_err(serde::de::Error::custom)
    }
}

/// "3 days 4 hours" style, to the minute: what a person reading an annotation wants.
pub fn describe_duration(duration: Duration) -> String {
    let minutes = duration.as_secs() / 60;
    let (days, hours, minutes) = (minutes / 1440, (minutes / 60) % 24, minutes % 60);
    let parts: Vec<String> = [(days, "d"), (hours, "h"), (minutes, "m")]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, unit)| format!("{n}{unit}"))
        .collect();
    if parts.is_empty() {
        "0m".to_owned()
    } else {
        parts.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_config_notification_time_with_millis() {
        let t = Timestamp::parse_rfc3339("2016-07-13T21:50:00.373Z").unwrap();
        assert_eq!(t.epoch_millis(), 1_468_446_600_373);
        assert_eq!(t.to_string(), "2016-07-13T21:50:00.373Z");
    }

    #[test]
    fn rejects_garbage() {
        let err = Timestamp::parse_rfc3339("yesterday").unwrap_err();
        assert!(err.contains("yesterday"), "{err}");
    }

    #[test]
    fn serde_round_trip_is_rfc3339() {
        let t = Timestamp::from_epoch_millis(1_700_000_000_000);
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(json, "\"2023-11-14T22:13:20Z\"");
        assert_eq!(serde_json::from_str::<Timestamp>(&json).unwrap(), t);
    }

    #[test]
    fn age_is_zero_for_future_times() {
        let earlier = Timestamp::from_epoch_millis(1_000);
        let later = Timestamp::from_epoch_millis(61_000);
        assert_eq!(earlier.age_at(later), Duration::from_secs(60));
        assert_eq!(later.age_at(earlier), Duration::ZERO);
    }

    #[test]
    fn durations_read_like_a_person_writes_them() {
        assert_eq!(
            describe_duration(Duration::from_secs(3 * 86_400 + 3_600 * 4)),
            "3d 4h"
        );
        assert_eq!(describe_duration(Duration::from_secs(59)), "0m");
        assert_eq!(describe_duration(Duration::from_secs(90 * 60)), "1h 30m");
    }
}
