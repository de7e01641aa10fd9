//! AWS Control Tower owns the recorder, the delivery channel, the log archive bucket and the roles
//! of the accounts it governs, and its mandatory controls deny everyone but
//! `AWSControlTowerExecution` the calls the catalogue's remediations name (AWS Control Tower
//! Controls Reference, "Mandatory controls": "Disallow Configuration Changes to AWS Config",
//! `GRCONFIGENABLED`, denies Put/Delete of the recorder, channel and retention configuration and
//! `StopConfigurationRecorder`; "Disallow Changes to Bucket Policy for AWS Control Tower Created
//! Amazon S3 Buckets in Log Archive"; "Disallow Changes to AWS IAM Roles Set Up by AWS Control
//! Tower and AWS CloudFormation"). A finding in a Control Tower account says what Control Tower
//! allows instead: its own repair paths (AWS Control Tower User Guide, "Detect and resolve drift":
//! re-register the OU, update the account, repair the landing zone).

use super::{CheckId, Finding};
use crate::parameters::{LandingZone, RuleParameters};
use crate::snapshot::Snapshot;

/// Control Tower's name for every resource it creates in an account begins with this.
pub const NAME_PREFIX: &str = "aws-controltower-";
/// Control Tower's recorder (AWS Control Tower User Guide, "Resources created in enrolled accounts").
pub const RECORDER_NAME: &str = "aws-controltower-BaselineConfigRecorder";
/// Control Tower's delivery channel (same page).
pub const CHANNEL_NAME: &str = "aws-controltower-BaselineConfigDeliveryChannel";
/// Control Tower's log archive bucket: `aws-controltower-logs-<log archive account>-<home Region>`.
pub const BUCKET_PREFIX: &str = "aws-controltower-logs-";
/// The only principal Control Tower's mandatory SCPs exempt.
pub const EXECUTION_ROLE: &str = "AWSControlTowerExecution";

const UPDATE_ACCOUNT: &str = "Control Tower owns this account's recorder and channel, and its mandatory control GRCONFIGENABLED denies changing them to all but AWSControlTowerExecution: update the account in Account Factory, or re-register its OU, and Control Tower restores them.";

/// Whether the account's Config setup is Control Tower's: the rule was told so, or the recorder,
/// channel or bucket carries Control Tower's names.
pub fn governed(snapshot: &Snapshot, params: &RuleParameters) -> bool {
    if params.landing_zone == LandingZone::ControlTower {
        return true;
    }
    let recorder = snapshot
        .recorders
        .read()
        .is_some_and(|all| all.iter().any(|r| r.name.starts_with(NAME_PREFIX)));
    let channel = snapshot.delivery_channels.read().is_some_and(|all| {
        all.iter().any(|c| {
            c.name.starts_with(NAME_PREFIX)
                || c.s3_bucket_name
                    .as_deref()
                    .is_some_and(|b| b.starts_with(BUCKET_PREFIX))
        })
    });
    recorder || channel
}

/// What to do about a failing check where Control Tower owns the pipeline; None where the
/// catalogue's remediation is already allowed (a customer-managed KMS key, a reader role).
pub const fn remediation(check: CheckId) -> Option<&'static str> {
    Some(match check {
        CheckId::RecorderMissing | CheckId::ChannelMissing => {
            "Enroll the account in Control Tower (or re-register its OU, or update the account in Account Factory): Control Tower creates its recorder and channel. Do not create your own: GRCONFIGENABLED denies PutConfigurationRecorder and PutDeliveryChannel to all but AWSControlTowerExecution."
        }
        CheckId::RecorderServiceLinkedOnly => {
            "A service-linked recorder delivers nothing: enroll the account in Control Tower (or re-register its OU), which creates Control Tower's customer-managed recorder and channel."
        }
        CheckId::RecorderNotRecording => {
            "Start it (StartConfigurationRecorder is not among the calls GRCONFIGENABLED denies), or update the account in Account Factory; then find who stopped it: only AWSControlTowerExecution or the management account may call StopConfigurationRecorder."
        }
        CheckId::RecorderLastStatusFailure | CheckId::RoleDeniesDelivery => {
            "Control Tower's recorder role (aws-controltower-ConfigRecorderRole) may only be changed by Control Tower: update the account in Account Factory, or re-register its OU, to restore it."
        }
        CheckId::ChannelUnexpectedBucket
        | CheckId::ChannelUnexpectedKeyPrefix
        | CheckId::ChannelUnexpectedKmsKey => UPDATE_ACCOUNT,
        CheckId::SnapshotDeliveryFailure
        | CheckId::HistoryDeliveryFailure
        | CheckId::DeliveryStale
        | CheckId::DeliveryNeverSucceeded => {
            "Fix the cause the other findings name through Control Tower: its recorder, channel, role and log archive bucket policy are changed only by Control Tower (repair the landing zone, update the account); the landing zone's KMS key is yours to fix."
        }
        CheckId::BucketMissing => {
            "Control Tower's log archive bucket is gone: repair the landing zone (Control Tower console, Landing zone settings). Unverified: whether a repair recreates a deleted bucket depends on Control Tower; its drift page does not say."
        }
        CheckId::BucketPolicyDeniesDelivery => {
            "Only Control Tower may change its log archive bucket policy (mandatory control: Disallow Changes to Bucket Policy for AWS Control Tower Created Amazon S3 Buckets in Log Archive): repair the landing zone to restore its policy."
        }
        CheckId::ScpDeniesDelivery => {
            "Exempt Control Tower's recorder role (arn:aws:iam::*:role/aws-controltower-ConfigRecorderRole) from the SCP named in the evidence; Control Tower's own SCPs never deny delivery."
        }
        _ => return None,
    })
}

/// Gives each finding the remediation Control Tower allows, where it differs.
pub fn apply(findings: &mut [Finding]) {
    for finding in findings {
        if let Some(text) = remediation(finding.check) {
            finding.remediation = text;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::CATALOGUE;
    use crate::snapshot::{Observed, Recorder};

    #[test]
    fn no_control_tower_remediation_names_a_call_its_mandatory_controls_deny() {
        // GRCONFIGENABLED's denied calls, and the bucket-policy and role changes of the others.
        let denied = [
            "put-delivery-channel",
            "put-configuration-recorder",
            "put-bucket-policy",
            "aws iam",
            "terraform module config-recorder",
            "terraform module log-archive",
        ];
        for row in &CATALOGUE {
            let Some(text) = remediation(row.id) else {
                continue;
            };
            for call in denied {
                assert!(!text.to_ascii_lowercase().contains(call), "{:?}: {text}", row.id);
            }
            // The catalogue's own remediations that name such a call are all replaced.
            assert_ne!(text, row.id.remediation());
        }
        for row in &CATALOGUE {
            let catalogue = row.id.remediation().to_ascii_lowercase();
            let names_denied_call = denied.iter().any(|call| catalogue.contains(call));
            assert!(
                !names_denied_call || remediation(row.id).is_some(),
                "{:?}",
                row.id
            );
        }
    }

    #[test]
    fn control_tower_is_recognised_by_its_names_or_the_parameter() {
        let mut snapshot = crate::checks::fixtures::probed();
        let params = RuleParameters::default();
        assert!(!governed(&snapshot, &params));
        let told = RuleParameters {
            landing_zone: LandingZone::ControlTower,
            ..RuleParameters::default()
        };
        assert!(governed(&snapshot, &told));
        snapshot.recorders = Observed::Read(vec![Recorder {
            name: RECORDER_NAME.into(),
            role_arn: Some("arn:aws:iam::111111111111:role/aws-controltower-ConfigRecorderRole".into()),
            recording_scope: None,
        }]);
        assert!(governed(&snapshot, &params));
    }

    #[test]
    fn a_control_tower_accounts_findings_say_what_control_tower_allows() {
        let mut snapshot = crate::checks::fixtures::probed();
        snapshot.delivery_channels = Observed::Read(Vec::new());
        let remediation_of = |params: &RuleParameters| {
            crate::checks::run_checks(&snapshot, params)
                .into_iter()
                .find(|f| f.check == CheckId::ChannelMissing)
                .map(|f| f.remediation)
        };
        let told = RuleParameters {
            landing_zone: LandingZone::ControlTower,
            ..RuleParameters::default()
        };
        assert_eq!(remediation_of(&told), remediation(CheckId::ChannelMissing));
        assert_eq!(
            remediation_of(&RuleParameters::default()),
            Some(CheckId::ChannelMissing.remediation())
        );
    }
}
