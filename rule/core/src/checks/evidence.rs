//! Fail closed: every primary read that failed is a finding, so nothing unseen reads as healthy.
//! Config's answers that came back incomplete are found by the recorder and channel checks; what
//! they found is concluded here.

use super::outcome::Record;
use super::{CheckId, NotEvaluated};
use crate::checks::Finding;
use crate::snapshot::{Snapshot, Unreadable};

fn primary_unread(snapshot: &Snapshot) -> impl Iterator<Item = &Unreadable> {
    [
        snapshot.recorder_summaries.unreadable(),
        snapshot.recorders.unreadable(),
        snapshot.recorder_statuses.unreadable(),
        snapshot.delivery_channels.unreadable(),
        snapshot.delivery_channel_statuses.unreadable(),
    ]
    .into_iter()
    .flatten()
}

pub(super) fn check(snapshot: &Snapshot, out: &mut Record) {
    for why in primary_unread(snapshot) {
        out.fail(unreadable_finding(why));
    }
    out.pass(CheckId::EvidenceUnreadable);
}

/// `evidence.incomplete` passes only when every Config read came back and no check found an
/// answer incomplete (those checks fail it with their own findings).
pub(super) fn conclude(snapshot: &Snapshot, out: &mut Record) {
    match primary_unread(snapshot).next() {
        Some(why) => out.skip(
            CheckId::EvidenceIncomplete,
            NotEvaluated::Unread(format!("{} {}", why.call, why.kind.describe())),
        ),
        None => out.pass(CheckId::EvidenceIncomplete),
    }
}

/// An answer that parsed but lacks what the check needs: "cannot verify", naming the channel or
/// recorder and what is missing.
pub(super) fn incomplete(what: &str) -> Finding {
    Finding::new(CheckId::EvidenceIncomplete, format!("cannot verify: {what}"))
}

fn unreadable_finding(why: &Unreadable) -> Finding {
    let code = why.code.as_deref().map(|c| format!(" {c}")).unwrap_or_default();
    Finding::new(
        CheckId::EvidenceUnreadable,
        format!("cannot verify: {} {}{}", why.call, why.kind.describe(), code),
    )
    .with("call", &why.call)
    .with("kind", why.kind.describe())
    .with_opt("code", why.code.as_deref())
    .with("message", &why.message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::fixtures::healthy;
    use crate::snapshot::{FailureKind, Observed};

    fn check(snapshot: &Snapshot) -> Vec<Finding> {
        let mut record = Record::new();
        super::check(snapshot, &mut record);
        record.findings
    }

    #[test]
    fn a_healthy_snapshot_has_no_evidence_findings() {
        assert!(check(&healthy()).is_empty());
    }

    #[test]
    fn each_unreadable_call_is_named() {
        let mut snapshot = healthy();
        snapshot.delivery_channel_statuses = Observed::Unreadable(Unreadable {
            call: "DescribeDeliveryChannelStatus".into(),
            kind: FailureKind::AccessDenied,
            code: Some("AccessDeniedException".into()),
            message: "not authorized to perform config:DescribeDeliveryChannelStatus".into(),
        });
        let findings = check(&snapshot);
        assert_eq!(findings.len(), 1);
        assert_eq!(
            findings[0].message,
            "cannot verify: DescribeDeliveryChannelStatus access denied AccessDeniedException"
        );
        assert_eq!(
            findings[0].evidence.get("call").unwrap(),
            "DescribeDeliveryChannelStatus"
        );
    }
}
