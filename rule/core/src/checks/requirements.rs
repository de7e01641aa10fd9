//! Which compliance requirements each check gives evidence for: the catalogue's mapping to CIS AWS
//! Foundations, NIST SP 800-53 r5 and PCI DSS, each with where it comes from. A published mapping
//! (Security Hub's control page for Config.1) says so; every other one is ours, with its reason.
//! `docs/checks.md` lists them; ASFF, OCSF, SARIF and `report --framework` carry them.

use crate::checks::CheckId;

/// A framework a requirement belongs to, at one version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Framework {
    /// CIS AWS Foundations Benchmark v1.2.0.
    CisAws120,
    /// CIS AWS Foundations Benchmark v1.4.0.
    CisAws140,
    /// CIS AWS Foundations Benchmark v3.0.0.
    CisAws300,
    /// CIS AWS Foundations Benchmark v5.0.0.
    CisAws500,
    /// NIST SP 800-53 Revision 5.
    Nist80053R5,
    /// PCI DSS v3.2.1.
    PciDss321,
}

impl Framework {
    /// Every framework, in the order reports list them.
    pub const ALL: [Self; 6] = [
        Self::CisAws120,
        Self::CisAws140,
        Self::CisAws300,
        Self::CisAws500,
        Self::Nist80053R5,
        Self::PciDss321,
    ];

    /// The name `report --framework` takes.
    pub const fn slug(self) -> &'static str {
        match self {
            Self::CisAws120 => "cis-aws-1.2.0",
            Self::CisAws140 => "cis-aws-1.4.0",
            Self::CisAws300 => "cis-aws-3.0.0",
            Self::CisAws500 => "cis-aws-5.0.0",
            Self::Nist80053R5 => "nist-800-53-r5",
            Self::PciDss321 => "pci-dss-3.2.1",
        }
    }

    /// The framework's name and version, as people write it.
    pub const fn title(self) -> &'static str {
        match self {
            Self::CisAws120 => "CIS AWS Foundations Benchmark v1.2.0",
            Self::CisAws140 => "CIS AWS Foundations Benchmark v1.4.0",
            Self::CisAws300 => "CIS AWS Foundations Benchmark v3.0.0",
            Self::CisAws500 => "CIS AWS Foundations Benchmark v5.0.0",
            Self::Nist80053R5 => "NIST SP 800-53 Rev. 5",
            Self::PciDss321 => "PCI DSS v3.2.1",
        }
    }

    /// The framework of a `report --framework` name.
    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.slug() == slug)
    }
}

/// Where a mapping comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A published mapping, and where it is published.
    Published(&'static str),
    /// Ours, and why the check is evidence for the requirement.
    Ours(&'static str),
}

impl Source {
    /// "published: <where>" or "ours: <why>", as the docs and reports say it.
    pub fn describe(self) -> String {
        match self {
            Self::Published(where_) => format!("published: {where_}"),
            Self::Ours(why) => format!("ours: {why}"),
        }
    }
}

/// One requirement a check gives evidence for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Requirement {
    /// Its framework.
    pub framework: Framework,
    /// The control or requirement number within it (`3.3`, `CM-8(2)`, `10.5.2`).
    pub control: &'static str,
    /// Where the mapping comes from.
    pub source: Source,
}

impl Requirement {
    /// The requirement as Security Hub writes `Compliance.RelatedRequirements`:
    /// `CIS AWS Foundations Benchmark v1.2.0/2.5`, `NIST.800-53.r5 CM-3`, `PCI DSS v3.2.1/10.5.2`.
    pub fn related_requirement(&self) -> String {
        match self.framework {
            Framework::Nist80053R5 => format!("NIST.800-53.r5 {}", self.control),
            other => format!("{}/{}", other.title(), self.control),
        }
    }
}

/// Security Hub User Guide, "Security Hub controls for AWS Config", Config.1 ("AWS Config should
/// be enabled and use the service-linked role for resource recording"): its related requirements.
const CONFIG_1: &str =
    "Security Hub User Guide, Security Hub controls for AWS Config: Config.1 related requirements";

const fn published(framework: Framework, control: &'static str) -> Requirement {
    Requirement {
        framework,
        control,
        source: Source::Published(CONFIG_1),
    }
}

const fn ours(framework: Framework, control: &'static str, why: &'static str) -> Requirement {
    Requirement {
        framework,
        control,
        source: Source::Ours(why),
    }
}

/// Config is not recording in the Region: what Config.1 itself fails on.
const CONFIG_NOT_ENABLED: [Requirement; 10] = [
    published(Framework::CisAws120, "2.5"),
    published(Framework::CisAws140, "3.5"),
    published(Framework::CisAws300, "3.3"),
    published(Framework::CisAws500, "3.3"),
    published(Framework::Nist80053R5, "CM-3"),
    published(Framework::Nist80053R5, "CM-6(1)"),
    published(Framework::Nist80053R5, "CM-8"),
    published(Framework::Nist80053R5, "CM-8(2)"),
    published(Framework::PciDss321, "10.5.2"),
    published(Framework::PciDss321, "11.5"),
];

const RECORDS_NOTHING: &str =
    "Config is on but records or keeps nothing: the configuration history CIS 3.3 asks for does not exist";
const NOT_DELIVERED: &str = "Config records but its history and snapshots do not reach the archive: the record CIS 3.3 exists for is lost";
const LOGGING_FAILURE: &str =
    "an audit logging process (Config's delivery) is failing, and the check is the alert AU-5 asks for";
const AUDIT_PROTECTION: &str = "the archive's protection (bucket, key, their policies, the Organization's policies) keeps audit records from being written";
const SETTINGS: &str =
    "the delivery channel's settings differ from the Organization's baseline configuration";
const MONITORING: &str = "the continuous monitoring of the delivery pipeline could not judge: the evidence for this account-Region is missing";
const TRAIL: &str = "no CloudTrail trail delivers the management events the event path detects breakage from";

/// A delivery failure as Config reports it.
const DELIVERY_SYMPTOM: [Requirement; 3] = [
    ours(Framework::CisAws300, "3.3", NOT_DELIVERED),
    ours(Framework::CisAws500, "3.3", NOT_DELIVERED),
    ours(Framework::Nist80053R5, "AU-5", LOGGING_FAILURE),
];

/// A cause in the archive's protection that stops delivery.
const ARCHIVE_PROTECTION: [Requirement; 4] = [
    ours(Framework::CisAws300, "3.3", NOT_DELIVERED),
    ours(Framework::CisAws500, "3.3", NOT_DELIVERED),
    ours(Framework::Nist80053R5, "AU-9", AUDIT_PROTECTION),
    ours(Framework::PciDss321, "10.5.2", AUDIT_PROTECTION),
];

/// A channel that delivers elsewhere than the baseline says.
const CHANNEL_SETTINGS: [Requirement; 2] = [
    ours(Framework::Nist80053R5, "CM-6", SETTINGS),
    ours(Framework::Nist80053R5, "AU-9", AUDIT_PROTECTION),
];

/// The check could not judge: continuous monitoring has a gap.
const NOT_JUDGED: [Requirement; 1] = [ours(Framework::Nist80053R5, "CA-7", MONITORING)];

const RECORDER_INEFFECTIVE: [Requirement; 3] = [
    ours(Framework::CisAws300, "3.3", RECORDS_NOTHING),
    ours(Framework::CisAws500, "3.3", RECORDS_NOTHING),
    ours(Framework::Nist80053R5, "CM-8", RECORDS_NOTHING),
];

const EVENT_PATH: [Requirement; 2] = [
    ours(Framework::CisAws300, "3.1", TRAIL),
    ours(Framework::Nist80053R5, "SI-4", TRAIL),
];

impl CheckId {
    /// The requirements this check gives evidence for (at least one for every check).
    pub const fn requirements(self) -> &'static [Requirement] {
        match self {
            Self::RecorderMissing | Self::RecorderNotRecording => &CONFIG_NOT_ENABLED,
            Self::RecorderServiceLinkedOnly | Self::RecorderLastStatusFailure | Self::ChannelMissing => {
                &RECORDER_INEFFECTIVE
            }
            Self::SnapshotDeliveryFailure
            | Self::HistoryDeliveryFailure
            | Self::StreamDeliveryFailure
            | Self::DeliveryStale
            | Self::DeliveryNeverSucceeded
            | Self::BucketObjectLockRetention => &DELIVERY_SYMPTOM,
            Self::BucketMissing
            | Self::BucketPolicyDeniesDelivery
            | Self::RoleDeniesDelivery
            | Self::KeyMissing
            | Self::KeyDisabled
            | Self::KeyPendingDeletion
            | Self::KeyOtherRegion
            | Self::KeyPolicyDeniesDelivery
            | Self::ScpDeniesDelivery
            | Self::RcpDeniesDelivery => &ARCHIVE_PROTECTION,
            Self::ChannelUnexpectedBucket
            | Self::ChannelUnexpectedKeyPrefix
            | Self::ChannelUnexpectedKmsKey => &CHANNEL_SETTINGS,
            Self::MalformedEvent
            | Self::InvalidParameters
            | Self::EvidenceUnreadable
            | Self::EvidenceIncomplete
            | Self::ProbeUnverified
            | Self::AuditRoleUnassumable
            | Self::RegionsUnreadable
            | Self::DeadlineReached => &NOT_JUDGED,
            Self::EventPathBlind => &EVENT_PATH,
        }
    }

    /// `requirements` as Security Hub's `Compliance.RelatedRequirements` strings.
    pub fn related_requirements(self) -> Vec<String> {
        self.requirements()
            .iter()
            .map(Requirement::related_requirement)
            .collect()
    }
}

/// The controls of one framework, in order, each with the checks that give evidence for it.
pub fn controls(framework: Framework) -> Vec<(&'static str, Vec<CheckId>)> {
    let mut controls: Vec<(&'static str, Vec<CheckId>)> = Vec::new();
    for check in CheckId::ALL {
        for requirement in check.requirements().iter().filter(|r| r.framework == framework) {
            match controls
                .iter_mut()
                .find(|(control, _)| *control == requirement.control)
            {
                Some((_, checks)) => checks.push(check),
                None => controls.push((requirement.control, vec![check])),
            }
        }
    }
    controls.sort_by_key(|(control, _)| control_order(control));
    controls
}

/// `3.3` before `3.10`, `CM-6` before `CM-6(1)`: numbers compared as numbers.
fn control_order(control: &str) -> Vec<(String, u32)> {
    control
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|part| !part.is_empty())
        .map(|part| {
            let digits: String = part.chars().filter(char::is_ascii_digit).collect();
            let letters: String = part.chars().filter(|c| !c.is_ascii_digit()).collect();
            (letters, digits.parse().unwrap_or(0))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_check_gives_evidence_for_a_requirement_with_a_source_or_a_reason() {
        for check in CheckId::ALL {
            assert!(!check.requirements().is_empty(), "{}", check.id());
            for requirement in check.requirements() {
                let (Source::Published(why) | Source::Ours(why)) = requirement.source;
                assert!(why.len() > 20, "{}: {why}", check.id());
            }
        }
    }

    #[test]
    fn the_requirements_are_written_as_security_hub_writes_them() {
        let written = CheckId::RecorderMissing.related_requirements();
        assert!(written.contains(&"CIS AWS Foundations Benchmark v1.2.0/2.5".to_owned()));
        assert!(written.contains(&"NIST.800-53.r5 CM-8(2)".to_owned()));
        assert!(written.contains(&"PCI DSS v3.2.1/11.5".to_owned()));
    }

    #[test]
    fn only_what_config_1_fails_on_carries_its_published_mapping() {
        // A service-linked recorder passes Config.1 (Security Hub User Guide): ours, not published.
        for check in CheckId::ALL {
            let published = check
                .requirements()
                .iter()
                .any(|r| matches!(r.source, Source::Published(_)));
            assert_eq!(
                published,
                matches!(check, CheckId::RecorderMissing | CheckId::RecorderNotRecording),
                "{}",
                check.id()
            );
        }
    }

    #[test]
    fn a_frameworks_controls_come_in_numeric_order_with_their_checks() {
        let nist = controls(Framework::Nist80053R5);
        let names: Vec<&str> = nist.iter().map(|(c, _)| *c).collect();
        assert_eq!(
            names,
            [
                "AU-5", "AU-9", "CA-7", "CM-3", "CM-6", "CM-6(1)", "CM-8", "CM-8(2)", "SI-4"
            ]
        );
        let cm8 = nist
            .iter()
            .find(|(c, _)| *c == "CM-8")
            .map(|(_, checks)| checks.clone());
        assert!(cm8.is_some_and(|checks| checks.contains(&CheckId::RecorderMissing)));
        assert_eq!(Framework::from_slug("cis-aws-3.0.0"), Some(Framework::CisAws300));
        assert_eq!(Framework::from_slug("cis"), None);
    }
}
