//! The configuration recorder: a customer-managed one exists, records, and its last status is not failure.

use super::evidence::incomplete;
use super::outcome::Record;
use super::{CheckId, NotEvaluated};
use crate::checks::Finding;
use crate::snapshot::status::Status;
use crate::snapshot::{Observed, Recorder, RecorderStatus, RecorderSummary, Snapshot};

const STATUS_CHECKS: [CheckId; 2] = [CheckId::RecorderNotRecording, CheckId::RecorderLastStatusFailure];

pub(super) fn check(snapshot: &Snapshot, out: &mut Record) {
    // DescribeConfigurationRecorders without arguments returns exactly the customer-managed
    // recorder; if it could not be read, the evidence check already says so.
    let recorders = match &snapshot.recorders {
        Observed::Read(recorders) => recorders,
        Observed::Unreadable(why) => {
            let why = NotEvaluated::Unread(format!("{} {}", why.call, why.kind.describe()));
            out.skip_all(
                &[CheckId::RecorderMissing, CheckId::RecorderServiceLinkedOnly],
                &why,
            );
            out.skip_all(&STATUS_CHECKS, &why);
            return;
        }
    };
    if recorders.is_empty() {
        let finding = missing(snapshot, out);
        let moot = NotEvaluated::Moot(finding.check);
        out.skip_all(&STATUS_CHECKS, &moot);
        out.fail(finding);
        return;
    }
    // A customer-managed recorder exists: neither "none" nor "only service-linked" holds.
    out.pass_all(&[CheckId::RecorderMissing, CheckId::RecorderServiceLinkedOnly]);
    for recorder in recorders {
        if recorder.role_arn.as_deref().is_none_or(str::is_empty) {
            out.fail(no_role(recorder));
        }
    }
    let statuses = match &snapshot.recorder_statuses {
        Observed::Read(statuses) => statuses,
        Observed::Unreadable(why) => {
            let why = NotEvaluated::Unread(format!("{} {}", why.call, why.kind.describe()));
            out.skip_all(&STATUS_CHECKS, &why);
            return;
        }
    };
    for recorder in recorders {
        match statuses.iter().find(|s| s.name == recorder.name) {
            Some(status) => judge_status(recorder, status, out),
            None => {
                let what = format!("no status returned for recorder '{}'", recorder.name);
                out.skip_all(&STATUS_CHECKS, &NotEvaluated::Incomplete(what.clone()));
                out.fail(incomplete(&what).with("recorder", &recorder.name));
            }
        }
    }
}

/// Config requires a role on every customer-managed recorder: without one, who delivers (the
/// service principal or a role) is unknown, and the access checks cannot be judged.
fn no_role(recorder: &Recorder) -> Finding {
    incomplete(&format!(
        "recorder '{}' names no roleARN (Config requires one), so who delivers is unknown",
        recorder.name
    ))
    .with("recorder", &recorder.name)
}

fn judge_status(recorder: &Recorder, status: &RecorderStatus, out: &mut Record) {
    if status.recording {
        out.pass(CheckId::RecorderNotRecording);
    } else {
        let stopped = status
            .last_stop_time
            .map(|t| format!(" since {t}"))
            .unwrap_or_default();
        out.fail(
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
        out.fail(
            Finding::new(
                CheckId::RecorderLastStatusFailure,
                format!("recorder '{}' last status Failure: {code}", recorder.name),
            )
            .with("recorder", &recorder.name)
            .with_opt("last_error_code", status.last_error_code.as_deref())
            .with_opt("last_error_message", status.last_error_message.as_deref()),
        );
    } else {
        out.pass(CheckId::RecorderLastStatusFailure);
    }
}

/// No customer-managed recorder: none at all, or only service-linked ones (which the summaries
/// tell; unread, which of the two is not known).
fn missing(snapshot: &Snapshot, out: &mut Record) -> Finding {
    let service_linked: Vec<&RecorderSummary> = match &snapshot.recorder_summaries {
        Observed::Read(summaries) => summaries.iter().filter(|s| is_service_linked(s)).collect(),
        Observed::Unreadable(why) => {
            out.skip(
                CheckId::RecorderServiceLinkedOnly,
                NotEvaluated::Unread(format!("{} {}", why.call, why.kind.describe())),
            );
            Vec::new()
        }
    };
    if service_linked.is_empty() {
        out.pass(CheckId::RecorderServiceLinkedOnly);
        return Finding::new(
            CheckId::RecorderMissing,
            "no customer-managed configuration recorder: Config records and delivers nothing",
        );
    }
    let names: Vec<&str> = service_linked.iter().map(|s| s.name.as_str()).collect();
    out.skip(
        CheckId::RecorderMissing,
        NotEvaluated::Moot(CheckId::RecorderServiceLinkedOnly),
    );
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

    fn check(snapshot: &Snapshot) -> Vec<Finding> {
        let mut record = Record::new();
        super::check(snapshot, &mut record);
        record.findings
    }

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
