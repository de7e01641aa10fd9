//! The configuration recorder: a customer-managed one exists, records, and its last status is not failure.

use super::CheckId;
use crate::checks::Finding;
use crate::snapshot::status::Status;
use crate::snapshot::{RecorderSummary, Snapshot};

pub fn check(snapshot: &Snapshot) -> Vec<Finding> {
    // DescribeConfigurationRecorders without arguments returns exactly the customer-managed
    // recorder; if it could not be read, the evidence check already says so.
    let Some(recorders) = snapshot.recorders.read() else {
        return Vec::new();
    };
    if recorders.is_empty() {
        return vec![missing(snapshot)];
    }
    let Some(statuses) = snapshot.recorder_statuses.read() else {
        return Vec::new();
    };
    let mut findings = Vec::new();
    for recorder in recorders {
        let Some(status) = statuses.iter().find(|s| s.name == recorder.name) else {
            findings.push(
                Finding::new(
                    CheckId::EvidenceIncomplete,
                    format!(
                        "cannot verify: no status returned for recorder '{}'",
                        recorder.name
                    ),
                )
                .with("recorder", &recorder.name),
            );
            continue;
        };
        if !status.recording {
            let stopped = status
                .last_stop_time
                .map(|t| format!(" since {t}"))
                .unwrap_or_default();
            findings.push(
                Finding::new(
                    CheckId::RecorderNotRecording,
                    format!(
                        "recorder '{}' is stopped{stopped}: nothing new is recorded or delivered",
                        recorder.name
                    ),
                )
                .with("recorder", &recorder.name)
                .with_opt("last_stop_time", status.last_stop_time.map(|t| t.to_string())),
            );
        }
        if status.last_status.as_deref().map(Status::parse) == Some(Status::Failure) {
            let code = status.last_error_code.as_deref().unwrap_or("no error code");
            findings.push(
                Finding::new(
                    CheckId::RecorderLastStatusFailure,
                    format!("recorder '{}' last status Failure: {code}", recorder.name),
                )
                .with("recorder", &recorder.name)
                .with_opt("last_error_code", status.last_error_code.as_deref())
                .with_opt("last_error_message", status.last_error_message.as_deref()),
            );
        }
    }
    findings
}

fn missing(snapshot: &Snapshot) -> Finding {
    let service_linked: Vec<&RecorderSummary> = snapshot
        .recorder_summaries
        .read()
        .map(|summaries| summaries.iter().filter(|s| is_service_linked(s)).collect())
        .unwrap_or_default();
    if service_linked.is_empty() {
        return Finding::new(
            CheckId::RecorderMissing,
            "no customer-managed configuration recorder: Config records and delivers nothing",
        );
    }
    let names: Vec<&str> = service_linked.iter().map(|s| s.name.as_str()).collect();
    Finding::new(
        CheckId::RecorderServiceLinkedOnly,
        format!(
            "only service-linked recorder(s) {} exist; they deliver nothing to S3",
            names.join(", ")
        ),
    )
    .with("service_linked_recorders", names.join(", "))
}

fn is_service_linked(summary: &RecorderSummary) -> bool {
    summary.service_principal.is_some()
        || summary
            .recording_scope
            .as_deref()
            .is_some_and(|s| s.eq_ignore_ascii_case("INTERNAL"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::fixtures::{healthy, hours_ago};
    use crate::snapshot::{Observed, RecorderStatus};

    fn ids(snapshot: &Snapshot) -> Vec<&'static str> {
        check(snapshot).iter().map(|f| f.check.id()).collect()
    }

    #[test]
    fn a_recording_recorder_passes() {
        assert!(ids(&healthy()).is_empty());
    }

    #[test]
    fn no_recorder_at_all() {
        let mut snapshot = healthy();
        snapshot.recorders = Observed::Read(vec![]);
        snapshot.recorder_summaries = Observed::Read(vec![]);
        assert_eq!(ids(&snapshot), ["recorder.missing"]);
    }

    #[test]
    fn only_an_internal_service_linked_recorder() {
        let mut snapshot = healthy();
        snapshot.recorders = Observed::Read(vec![]);
        snapshot.recorder_summaries = Observed::Read(vec![RecorderSummary {
            name: "AWSConfigurationRecorderForSecurityHub".into(),
            arn: None,
            recording_scope: Some("INTERNAL".into()),
            service_principal: Some("securityhub.amazonaws.com".into()),
        }]);
        let findings = check(&snapshot);
        assert_eq!(findings[0].check, CheckId::RecorderServiceLinkedOnly);
        assert!(
            findings[0]
                .message
                .contains("AWSConfigurationRecorderForSecurityHub")
        );
    }

    #[test]
    fn stopped_recorder_says_since_when() {
        let mut snapshot = healthy();
        snapshot.recorder_statuses = Observed::Read(vec![RecorderStatus {
            name: "default".into(),
            recording: false,
            last_status: Some("Success".into()),
            last_error_code: None,
            last_error_message: None,
            last_stop_time: Some(hours_ago(5)),
        }]);
        let findings = check(&snapshot);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].check, CheckId::RecorderNotRecording);
        assert!(
            findings[0].message.contains("since 2025-12-31T19:00:00Z"),
            "{}",
            findings[0].message
        );
    }

    #[test]
    fn failure_status_in_any_casing_carries_the_error_code() {
        for raw in ["Failure", "FAILURE"] {
            let mut snapshot = healthy();
            snapshot.recorder_statuses = Observed::Read(vec![RecorderStatus {
                name: "default".into(),
                recording: true,
                last_status: Some(raw.into()),
                last_error_code: Some("AccessDenied".into()),
                last_error_message: Some("role cannot describe resources".into()),
                last_stop_time: None,
            }]);
            let findings = check(&snapshot);
            assert_eq!(findings[0].check, CheckId::RecorderLastStatusFailure, "{raw}");
            assert!(findings[0].message.ends_with("AccessDenied"));
        }
    }

    #[test]
    fn a_recorder_without_a_status_cannot_be_verified() {
        let mut snapshot = healthy();
        snapshot.recorder_statuses = Observed::Read(vec![]);
        assert_eq!(ids(&snapshot), ["evidence.incomplete"]);
    }
}
