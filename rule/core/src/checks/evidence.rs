//! Fail closed: every primary read that failed is a finding, so nothing unseen reads as healthy.

use super::CheckId;
use crate::checks::Finding;
use crate::snapshot::{Snapshot, Unreadable};

pub fn check(snapshot: &Snapshot) -> Vec<Finding> {
    [
        snapshot.recorder_summaries.unreadable(),
        snapshot.recorders.unreadable(),
        snapshot.recorder_statuses.unreadable(),
        snapshot.delivery_channels.unreadable(),
        snapshot.delivery_channel_statuses.unreadable(),
    ]
    .into_iter()
    .flatten()
    .map(unreadable_finding)
    .collect()
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
