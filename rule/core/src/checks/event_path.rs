//! The event path's eyes: a CloudTrail trail that applies to the account-region, is logging, and
//! records the management write events of every service whose calls can break a pipeline. Without
//! one, "AWS API Call via CloudTrail" events never reach EventBridge and only the periodic
//! evaluation notices a break. Reported, never failing: delivery is judged on its own evidence.

use super::outcome::Record;
use super::resources::unverified;
use super::{CheckId, Finding, NotEvaluated};
use crate::input::cloudtrail_call::breaking_calls;
use crate::snapshot::Observed;
use crate::snapshot::Snapshot;
use crate::snapshot::trails::{BasicSelector, EventSelectors, FieldSelector, TrailEvidence};
use std::collections::BTreeSet;

/// The event path's finding for the snapshot's Region, if the trails were read (watchdog, `scan`).
/// Where the account-region cannot be read at all, its "cannot verify" already says the trails
/// were unreadable too, so that is not said twice.
pub(super) fn check(snapshot: &Snapshot, out: &mut Record) {
    let unreachable = out.has_finding(CheckId::EvidenceUnreadable);
    let unread = |finding: Finding, out: &mut Record| {
        out.skip(
            CheckId::EventPathBlind,
            NotEvaluated::Unread("event path trails".into()),
        );
        if unreachable {
            out.skip(
                CheckId::ProbeUnverified,
                NotEvaluated::Unread("event path trails".into()),
            );
        } else {
            out.fail(finding);
        }
    };
    match &snapshot.probes.event_path {
        None => out.skip(
            CheckId::EventPathBlind,
            NotEvaluated::NotApplicable("the trails are read by the watchdog and scan only"),
        ),
        Some(Observed::Unreadable(why)) => unread(unverified("event path trails", why), out),
        Some(Observed::Read(trails)) => match judge(&snapshot.region, trails) {
            Some(finding) if finding.check == CheckId::ProbeUnverified => unread(finding, out),
            Some(finding) => out.fail(finding),
            None if decided(snapshot) => out.pass(CheckId::EventPathBlind),
            // Another trail sees everything, but an unread one might not be what it seems.
            None => out.skip(
                CheckId::EventPathBlind,
                NotEvaluated::Unread("an event path trail".into()),
            ),
        },
    }
}

/// The trails were read and every one that applies to the Region was read too: the check was
/// evaluated on evidence, whether it found the path blind or not. Without the list of breaking
/// calls (it always parses; its tests see to it) nothing was needed, so nothing was judged.
fn decided(snapshot: &Snapshot) -> bool {
    if breaking_calls().is_empty() {
        return false;
    }
    match &snapshot.probes.event_path {
        Some(Observed::Read(trails)) => trails
            .iter()
            .filter(|t| t.trail.applies_to(&snapshot.region))
            .all(|t| t.recording.read().is_some()),
        _ => false,
    }
}

fn judge(region: &str, trails: &[TrailEvidence]) -> Option<Finding> {
    let needed: BTreeSet<&str> = breaking_calls().keys().map(String::as_str).collect();
    let mut missing = needed.clone();
    let mut why_not = Vec::new();
    let mut unread = None;
    let applying: Vec<&TrailEvidence> = trails.iter().filter(|t| t.trail.applies_to(region)).collect();
    for evidence in &applying {
        let name = evidence.trail.name();
        match &evidence.recording {
            Observed::Unreadable(why) => {
                unread.get_or_insert((name, why));
            }
            Observed::Read(recording) if !recording.logging => why_not.push(format!("{name} is not logging")),
            Observed::Read(recording) => {
                let seen = recorded_sources(&recording.selectors, &needed);
                if seen.is_empty() {
                    why_not.push(format!("{name} records no management write events"));
                } else if seen.len() < needed.len() {
                    let skipped: Vec<&str> = needed.difference(&seen).copied().collect();
                    why_not.push(format!("{name} skips {}", skipped.join(", ")));
                }
                missing.retain(|source| !seen.contains(source));
            }
        }
    }
    if missing.is_empty() {
        return None;
    }
    // An unread trail may be the one that records them: cannot verify, not blind.
    if let Some((name, why)) = unread {
        return Some(unverified(&format!("event path trail {name}"), why));
    }
    let message = if applying.is_empty() {
        format!(
            "event path blind in {region}: no CloudTrail trail applies, so no API call reaches EventBridge"
        )
    } else if missing.len() == needed.len() {
        format!("event path blind in {region}: {}", why_not.join("; "))
    } else {
        let sources: Vec<&str> = missing.iter().copied().collect();
        format!(
            "event path blind in {region} to {}: {}",
            sources.join(", "),
            why_not.join("; ")
        )
    };
    let trail_arns: Vec<&str> = applying.iter().map(|t| t.trail.arn.as_str()).collect();
    let missing: Vec<&str> = missing.into_iter().collect();
    Some(
        Finding::new(CheckId::EventPathBlind, message)
            .with("region", region)
            .with("missing_event_sources", missing.join(","))
            .with("trails", trail_arns.join(",")),
    )
}

/// The needed event sources whose management write events the selectors record.
fn recorded_sources<'a>(selectors: &EventSelectors, needed: &BTreeSet<&'a str>) -> BTreeSet<&'a str> {
    match selectors {
        EventSelectors::Basic(basic) => basic
            .iter()
            .filter(|s| records_writes(s))
            .flat_map(|s| {
                needed
                    .iter()
                    .filter(|source| !s.excluded_sources.iter().any(|x| x == *source))
                    .copied()
            })
            .collect(),
        EventSelectors::Advanced(advanced) => advanced
            .iter()
            .filter(|fields| records_management_writes(fields))
            .flat_map(|fields| {
                needed
                    .iter()
                    .filter(|source| selects(fields, "eventSource", source))
                    .copied()
            })
            .collect(),
    }
}

fn records_writes(selector: &BasicSelector) -> bool {
    selector.include_management_events && selector.read_write_type != "ReadOnly"
}

/// CloudTrail requires `eventCategory` on every advanced selector; without it nothing is selected.
fn records_management_writes(fields: &[FieldSelector]) -> bool {
    fields.iter().any(|f| f.field == "eventCategory")
        && selects(fields, "eventCategory", "Management")
        && selects(fields, "readOnly", "false")
}

/// An advanced selector lets an event whose `field` is `value` through: every field selector on
/// that field matches it (a field it does not name lets every value through).
fn selects(fields: &[FieldSelector], field: &str, value: &str) -> bool {
    fields.iter().filter(|f| f.field == field).all(|f| {
        (f.equals.is_empty() || f.equals.iter().any(|v| v == value))
            && !f.not_equals.iter().any(|v| v == value)
            && (f.starts_with.is_empty() || f.starts_with.iter().any(|p| value.starts_with(p.as_str())))
            && !f.not_starts_with.iter().any(|p| value.starts_with(p.as_str()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Severity;
    use crate::checks::fixtures::healthy;
    use crate::snapshot::trails::{Trail, TrailRecording};
    use crate::snapshot::{FailureKind, Unreadable};

    const REGION: &str = "eu-west-1";

    fn trail(name: &str, home: &str, multi_region: bool) -> Trail {
        Trail {
            arn: format!("arn:aws:cloudtrail:{home}:111122223333:trail/{name}"),
            home_region: home.to_owned(),
            multi_region,
            organization: false,
        }
    }

    fn basic(read_write_type: &str, excluded: &[&str]) -> EventSelectors {
        EventSelectors::Basic(vec![BasicSelector {
            include_management_events: true,
            read_write_type: read_write_type.to_owned(),
            excluded_sources: excluded.iter().map(|s| (*s).to_owned()).collect(),
        }])
    }

    fn logging(trail: Trail, selectors: EventSelectors) -> TrailEvidence {
        TrailEvidence {
            trail,
            recording: Observed::Read(TrailRecording {
                logging: true,
                selectors,
            }),
        }
    }

    fn denied(call: &str) -> Unreadable {
        Unreadable {
            call: call.to_owned(),
            kind: FailureKind::AccessDenied,
            code: Some("AccessDeniedException".to_owned()),
            message: "not authorized".to_owned(),
        }
    }

    fn field(field: &str, equals: &[&str]) -> FieldSelector {
        FieldSelector {
            field: field.to_owned(),
            equals: equals.iter().map(|s| (*s).to_owned()).collect(),
            ..FieldSelector::default()
        }
    }

    fn check(snapshot: &Snapshot) -> Vec<Finding> {
        let mut record = Record::new();
        super::check(snapshot, &mut record);
        record.findings
    }

    fn findings(trails: Vec<TrailEvidence>) -> Vec<Finding> {
        let mut snapshot = healthy();
        snapshot.region = REGION.to_owned();
        snapshot.probes.event_path = Some(Observed::Read(trails));
        check(&snapshot)
    }

    #[test]
    fn a_logging_multi_region_trail_with_every_management_event_sees_everything() {
        let found = findings(vec![logging(trail("org", "us-east-1", true), basic("All", &[]))]);
        assert!(found.is_empty(), "{found:?}");
        let found = findings(vec![logging(
            trail("own", REGION, false),
            basic("WriteOnly", &[]),
        )]);
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn no_trail_is_blind_and_said_so_without_failing_the_pipeline() {
        let found = findings(vec![]);
        assert_eq!(found.len(), 1);
        let finding = &found[0];
        assert_eq!(finding.check, CheckId::EventPathBlind);
        assert_eq!(finding.severity, Severity::Info);
        assert!(
            finding.message.contains("no CloudTrail trail applies"),
            "{}",
            finding.message
        );
    }

    #[test]
    fn a_single_region_trail_elsewhere_does_not_cover_this_region() {
        let found = findings(vec![logging(
            trail("elsewhere", "us-east-1", false),
            basic("All", &[]),
        )]);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("no CloudTrail trail applies"));
    }

    #[test]
    fn a_stopped_trail_or_read_only_selectors_leave_it_blind() {
        let mut stopped = logging(trail("org", "us-east-1", true), basic("All", &[]));
        stopped.recording = Observed::Read(TrailRecording {
            logging: false,
            selectors: basic("All", &[]),
        });
        let reads = logging(trail("reads", REGION, false), basic("ReadOnly", &[]));
        let found = findings(vec![stopped, reads]);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            "event path blind in eu-west-1: org is not logging; reads records no management write events"
        );
    }

    #[test]
    fn excluding_kms_blinds_the_path_to_key_tampering_only() {
        let found = findings(vec![logging(
            trail("org", "us-east-1", true),
            basic("All", &["kms.amazonaws.com"]),
        )]);
        assert_eq!(found.len(), 1);
        assert!(
            found[0].message.starts_with(
                "event path blind in eu-west-1 to kms.amazonaws.com: org skips kms.amazonaws.com"
            ),
            "{}",
            found[0].message
        );
        assert_eq!(
            found[0].evidence.get("missing_event_sources"),
            Some("kms.amazonaws.com")
        );
        // A second trail that records KMS closes the gap.
        let kms_only = EventSelectors::Advanced(vec![vec![
            field("eventCategory", &["Management"]),
            field("eventSource", &["kms.amazonaws.com"]),
        ]]);
        let found = findings(vec![
            logging(
                trail("org", "us-east-1", true),
                basic("All", &["kms.amazonaws.com"]),
            ),
            logging(trail("kms", REGION, false), kms_only),
        ]);
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn advanced_selectors_are_read_field_by_field() {
        let management = |extra: Vec<FieldSelector>| {
            let mut fields = vec![field("eventCategory", &["Management"])];
            fields.extend(extra);
            logging(
                trail("adv", "us-east-1", true),
                EventSelectors::Advanced(vec![fields]),
            )
        };
        assert!(findings(vec![management(vec![])]).is_empty());
        assert!(findings(vec![management(vec![field("readOnly", &["false"])])]).is_empty());
        assert_eq!(
            findings(vec![management(vec![field("readOnly", &["true"])])]).len(),
            1
        );
        let not_kms = FieldSelector {
            field: "eventSource".to_owned(),
            not_equals: vec!["kms.amazonaws.com".to_owned()],
            ..FieldSelector::default()
        };
        let found = findings(vec![management(vec![not_kms])]);
        assert_eq!(
            found[0].evidence.get("missing_event_sources"),
            Some("kms.amazonaws.com")
        );
        // Data events only: no management events at all.
        let data = logging(
            trail("data", "us-east-1", true),
            EventSelectors::Advanced(vec![vec![field("eventCategory", &["Data"])]]),
        );
        assert_eq!(findings(vec![data]).len(), 1);
        // No eventCategory field: not a management selector.
        let uncategorised = logging(
            trail("odd", "us-east-1", true),
            EventSelectors::Advanced(vec![vec![field("readOnly", &["false"])]]),
        );
        assert_eq!(findings(vec![uncategorised]).len(), 1);
    }

    #[test]
    fn unread_evidence_is_unverified_never_blind_nor_seen() {
        let mut snapshot = healthy();
        snapshot.region = REGION.to_owned();
        snapshot.probes.event_path = Some(Observed::Unreadable(denied("DescribeTrails")));
        let found = check(&snapshot);
        assert_eq!(found[0].check, CheckId::ProbeUnverified);
        assert!(
            found[0].message.contains("DescribeTrails access denied"),
            "{}",
            found[0].message
        );
        assert!(!decided(&snapshot));

        let unread = TrailEvidence {
            trail: trail("org", "us-east-1", true),
            recording: Observed::Unreadable(denied("GetTrailStatus")),
        };
        let found = findings(vec![unread.clone()]);
        assert_eq!(found[0].check, CheckId::ProbeUnverified);
        assert!(
            found[0].message.contains("event path trail org"),
            "{}",
            found[0].message
        );
        // Another trail that sees everything settles it; the check is still not "decided".
        let seen = logging(trail("own", REGION, false), basic("All", &[]));
        assert!(findings(vec![unread.clone(), seen.clone()]).is_empty());
        snapshot.probes.event_path = Some(Observed::Read(vec![unread, seen.clone()]));
        assert!(!decided(&snapshot));
        snapshot.probes.event_path = Some(Observed::Read(vec![seen]));
        assert!(decided(&snapshot));
        snapshot.probes.event_path = None;
        assert!(!decided(&snapshot) && check(&snapshot).is_empty());
    }

    #[test]
    fn an_unreachable_region_says_cannot_verify_once_but_still_says_blind() {
        let mut snapshot = healthy();
        snapshot.region = REGION.to_owned();
        snapshot.recorders = Observed::Unreadable(denied("DescribeConfigurationRecorders"));
        snapshot.probes.event_path = Some(Observed::Unreadable(denied("DescribeTrails")));
        let checks: Vec<CheckId> = crate::checks::run_checks(&snapshot, &Default::default())
            .iter()
            .map(|f| f.check)
            .collect();
        assert_eq!(checks, vec![CheckId::EvidenceUnreadable]);
        snapshot.probes.event_path = Some(Observed::Read(vec![]));
        let checks: Vec<CheckId> = crate::checks::run_checks(&snapshot, &Default::default())
            .iter()
            .map(|f| f.check)
            .collect();
        assert_eq!(checks, vec![CheckId::EvidenceUnreadable, CheckId::EventPathBlind]);
    }
}
