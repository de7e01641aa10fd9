//! Findings in the AWS Security Finding Format, for Security Hub's BatchImportFindings: one per
//! account-region-check with a stable ID, so a re-import updates the finding instead of adding one,
//! and an archived, PASSED copy resolves it once the check no longer fails.
//!
//! Security Hub's own Config integration keeps only the compliance status; these carry the root
//! cause, evidence and remediation.

use crate::checks::{CheckId, Finding, Passed, Severity};
use crate::exceptions::accepted_annotation;
use crate::timestamp::Timestamp;
use crate::verdict::RegionVerdict;
use serde::Serialize;
use std::collections::BTreeMap;

/// The ASFF schema version.
pub const SCHEMA_VERSION: &str = "2018-10-08";
/// `GeneratorId` prefix; the check ID follows.
pub const GENERATOR_PREFIX: &str = "config-delivery-guard/";
const FINDING_TYPE: &str = "Software and Configuration Checks/AWS Security Best Practices";
const MAX_DESCRIPTION: usize = 1024;
const MAX_REMEDIATION: usize = 512;
/// ProductFields holds at most 50 pairs; keys up to 128 characters, values up to 2048.
const MAX_PRODUCT_FIELDS: usize = 50;
const MAX_FIELD_VALUE: usize = 2048;
/// `Compliance.RelatedRequirements` holds at most 32 (AWS Security Finding Format syntax, Compliance).
const MAX_RELATED_REQUIREMENTS: usize = 32;
/// `Note.Text` holds at most 512 characters.
const MAX_NOTE: usize = 512;

/// Where the findings go: the judged account's own Security Hub, in the judged region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Destination<'a> {
    /// The partition of the judged account.
    pub partition: &'a str,
    /// The judged account.
    pub account_id: &'a str,
    /// The judged Region.
    pub region: &'a str,
}

impl Destination<'_> {
    /// Findings of one's own account use the account's default product.
    pub fn product_arn(&self) -> String {
        format!(
            "arn:{}:securityhub:{}:{}:product/{}/default",
            self.partition, self.region, self.account_id, self.account_id
        )
    }

    /// Every finding of this account-region starts with this.
    pub fn id_prefix(&self) -> String {
        format!("{GENERATOR_PREFIX}{}/{}/", self.account_id, self.region)
    }

    /// The stable finding ID of a check in this account-region.
    pub fn finding_id(&self, check: CheckId) -> String {
        format!("{}{}", self.id_prefix(), check.id())
    }
}

/// One ASFF finding, as `BatchImportFindings` takes it (field names as ASFF spells them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AsffFinding {
    /// `SchemaVersion`.
    pub schema_version: &'static str,
    /// `Id`: stable per account, Region and check.
    pub id: String,
    /// `ProductArn`: the account's default product.
    pub product_arn: String,
    /// `GeneratorId`.
    pub generator_id: String,
    /// `AwsAccountId`.
    pub aws_account_id: String,
    /// `Region`.
    pub region: String,
    /// `Types`.
    pub types: Vec<&'static str>,
    /// `CreatedAt`.
    pub created_at: String,
    /// `UpdatedAt`.
    pub updated_at: String,
    /// `Severity`.
    pub severity: AsffSeverity,
    /// `Title`.
    pub title: String,
    /// `Description`.
    pub description: String,
    /// `Remediation`.
    pub remediation: AsffRemediation,
    /// `ProductFields`: the check and the evidence.
    pub product_fields: BTreeMap<String, String>,
    /// `Resources`: the account.
    pub resources: Vec<AsffResource>,
    /// `Compliance`.
    pub compliance: AsffCompliance,
    /// `Workflow`.
    pub workflow: AsffWorkflow,
    /// `RecordState`.
    pub record_state: &'static str,
    /// `Note`: why an accepted failure is SUPPRESSED.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<AsffNote>,
}

/// ASFF `Note`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AsffNote {
    /// `Text` (512 characters at most).
    pub text: String,
    /// `UpdatedBy`.
    pub updated_by: String,
    /// `UpdatedAt`.
    pub updated_at: String,
}

/// ASFF `Severity`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AsffSeverity {
    /// `Label`: CRITICAL, HIGH, MEDIUM or INFORMATIONAL.
    pub label: &'static str,
}

/// ASFF `Remediation`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AsffRemediation {
    /// `Recommendation`.
    pub recommendation: AsffRecommendation,
}

/// ASFF `Recommendation`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AsffRecommendation {
    /// `Text`.
    pub text: String,
}

/// ASFF `Resource`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AsffResource {
    /// `Type`: `AwsAccount`.
    pub r#type: &'static str,
    /// `Id`.
    pub id: String,
    /// `Partition`.
    pub partition: String,
    /// `Region`.
    pub region: String,
}

/// ASFF `Compliance`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AsffCompliance {
    /// `Status`: FAILED or PASSED.
    pub status: &'static str,
    /// `RelatedRequirements`: the check's mapped requirements, as Security Hub writes them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related_requirements: Vec<String>,
}

/// ASFF `Workflow`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AsffWorkflow {
    /// `Status`: NEW or RESOLVED.
    pub status: &'static str,
}

/// The ASFF label of a severity.
pub const fn severity_label(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "CRITICAL",
        Severity::High => "HIGH",
        Severity::Medium => "MEDIUM",
        Severity::Info => "INFORMATIONAL",
    }
}

/// The judgement's findings grouped by check, in catalogue order: one finding ID each, in ASFF
/// and in OCSF.
pub fn findings_by_check(judgement: &RegionVerdict) -> BTreeMap<CheckId, Vec<&Finding>> {
    let mut by_check: BTreeMap<CheckId, Vec<&Finding>> = BTreeMap::new();
    for finding in &judgement.findings {
        by_check.entry(finding.check).or_default().push(finding);
    }
    by_check
}

/// One active finding per failing check of the judgement (several findings of one check merge:
/// their IDs would collide).
pub fn active_findings(judgement: &RegionVerdict, partition: &str) -> Vec<AsffFinding> {
    let to = Destination {
        partition,
        account_id: &judgement.account_id,
        region: &judgement.region,
    };
    let when = judgement.observed_at.to_string();
    findings_by_check(judgement)
        .into_iter()
        .filter_map(|(check, findings)| {
            let first = findings.first()?;
            let description = findings
                .iter()
                .map(|f| f.message.as_str())
                .collect::<Vec<_>>()
                .join("; ");
            let mut fields = BTreeMap::new();
            fields.insert("delivery-guard/check".to_owned(), check.id().to_owned());
            for finding in &findings {
                for (key, value) in finding.evidence.iter() {
                    if fields.len() >= MAX_PRODUCT_FIELDS {
                        break;
                    }
                    fields
                        .entry(format!("delivery-guard/evidence/{key}"))
                        .or_insert_with(|| cut(value, MAX_FIELD_VALUE));
                }
            }
            let compliance = if first.severity == Severity::Info {
                "WARNING"
            } else {
                "FAILED"
            };
            // An accepted failure stays a failure, SUPPRESSED with the acceptance as its note; once
            // the exception expires it is NEW again.
            let accepted = judgement.acceptance_of(check);
            let mut active = finding(
                &to,
                check,
                first.severity,
                &description,
                fields,
                &when,
                Status {
                    compliance,
                    workflow: if accepted.is_some() { "SUPPRESSED" } else { "NEW" },
                    record: "ACTIVE",
                },
            );
            active.note = accepted.map(|a| AsffNote {
                text: cut(&accepted_annotation(a, None), MAX_NOTE),
                updated_by: format!("{EXCEPTION_NOTE_BY}{}", a.exception),
                updated_at: when.clone(),
            });
            // The finding's own: Control Tower's accounts get what Control Tower allows.
            active.remediation.recommendation.text = cut(first.remediation, MAX_REMEDIATION);
            Some(active)
        })
        .collect()
}

/// What one account-region's import sends to Security Hub.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportPlan {
    /// One finding per failing check, then the resolutions.
    pub findings: Vec<AsffFinding>,
    /// How many of `findings` resolve an open finding.
    pub resolved: usize,
    /// Open findings left as they are: their check was not evaluated on evidence that was read.
    pub kept_open: Vec<String>,
}

/// The import for one account-region, given this rule's open findings there (ID to `CreatedAt`).
/// An open finding is resolved only when its check was evaluated on read evidence and passed:
/// a check whose evidence could not be read proves nothing, so its finding stays open.
pub fn import_plan(
    judgement: &RegionVerdict,
    partition: &str,
    open: &BTreeMap<String, String>,
    now: Timestamp,
) -> ImportPlan {
    let to = Destination {
        partition,
        account_id: &judgement.account_id,
        region: &judgement.region,
    };
    let mut findings = active_findings(judgement, partition);
    // An update keeps the time the finding was first raised.
    for finding in &mut findings {
        if let Some(created_at) = open.get(&finding.id) {
            finding.created_at.clone_from(created_at);
        }
    }
    let failing: Vec<String> = findings.iter().map(|f| f.id.clone()).collect();
    let mut resolved = Vec::new();
    let mut kept_open = Vec::new();
    for (id, created_at) in open.iter().filter(|(id, _)| !failing.contains(id)) {
        match check_of(&to, id).and_then(|check| judgement.outcomes.passed().get(check)) {
            Some(passed) => resolved.push(resolved_finding(&to, passed, created_at, now)),
            None => kept_open.push(id.clone()),
        }
    }
    let resolved_count = resolved.len();
    findings.extend(resolved);
    ImportPlan {
        findings,
        resolved: resolved_count,
        kept_open,
    }
}

/// The copy of a finding that says it is fixed: PASSED, RESOLVED and archived, still dated from
/// when it was first raised. Only a check that passed can be resolved: it takes the proof.
pub fn resolved_finding(
    to: &Destination<'_>,
    passed: Passed,
    created_at: &str,
    now: Timestamp,
) -> AsffFinding {
    let check = passed.check();
    let mut fields = BTreeMap::new();
    fields.insert("delivery-guard/check".to_owned(), check.id().to_owned());
    let mut resolved = finding(
        to,
        check,
        Severity::Info,
        &format!("{} no longer fails.", check.title()),
        fields,
        &now.to_string(),
        Status {
            compliance: "PASSED",
            workflow: "RESOLVED",
            record: "ARCHIVED",
        },
    );
    created_at.clone_into(&mut resolved.created_at);
    resolved
}

/// An open finding's workflow, as GetFindings returns it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OpenWorkflow {
    /// `Workflow.Status`.
    pub status: Option<String>,
    /// `Note.UpdatedBy`: who last wrote its note.
    pub note_by: Option<String>,
}

/// A BatchUpdateFindings change: BatchImportFindings sets a finding's workflow and note only when it
/// creates the finding (Security Hub User Guide, "BatchImportFindings for finding providers"), so an
/// open finding is suppressed, or made NEW again, with BatchUpdateFindings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkflowUpdate {
    /// The finding's `Id`.
    pub id: String,
    /// SUPPRESSED (accepted) or NEW (its exception ended).
    pub status: &'static str,
    /// The note to write.
    pub note: AsffNote,
}

/// Who writes the note of a finding this rule suppressed, by exception.
const EXCEPTION_NOTE_BY: &str = "config-delivery-guard/exception/";

/// The workflow changes of this account-region's open findings: an accepted failure not yet
/// SUPPRESSED is suppressed with its note; a failure this rule suppressed whose acceptance ended is
/// NEW again; a finding the import resolves (`plan`) is RESOLVED. A finding someone else suppressed
/// is left as they set it.
pub fn workflow_updates(
    judgement: &RegionVerdict,
    partition: &str,
    open: &BTreeMap<String, OpenWorkflow>,
    plan: &ImportPlan,
    now: Timestamp,
) -> Vec<WorkflowUpdate> {
    let to = Destination {
        partition,
        account_id: &judgement.account_id,
        region: &judgement.region,
    };
    let mut updates: Vec<WorkflowUpdate> = plan
        .findings
        .iter()
        .filter(|f| f.record_state == "ARCHIVED")
        .filter(|f| {
            open.get(&f.id)
                .is_some_and(|w| !matches!(w.status.as_deref(), Some("RESOLVED" | "SUPPRESSED")))
        })
        .map(|f| WorkflowUpdate {
            id: f.id.clone(),
            status: "RESOLVED",
            note: AsffNote {
                text: "no longer fails: its check passed on evidence that was read".to_owned(),
                updated_by: GENERATOR_PREFIX.trim_end_matches('/').to_owned(),
                updated_at: now.to_string(),
            },
        })
        .collect();
    for check in findings_by_check(judgement).into_keys() {
        let id = to.finding_id(check);
        let Some(workflow) = open.get(&id) else {
            continue;
        };
        let suppressed = workflow.status.as_deref() == Some("SUPPRESSED");
        match judgement.acceptance_of(check) {
            Some(accepted) if !suppressed => updates.push(WorkflowUpdate {
                id,
                status: "SUPPRESSED",
                note: AsffNote {
                    text: cut(&accepted_annotation(accepted, None), MAX_NOTE),
                    updated_by: format!("{EXCEPTION_NOTE_BY}{}", accepted.exception),
                    updated_at: now.to_string(),
                },
            }),
            None if suppressed
                && workflow
                    .note_by
                    .as_deref()
                    .is_some_and(|by| by.starts_with(EXCEPTION_NOTE_BY)) =>
            {
                updates.push(WorkflowUpdate {
                    id,
                    status: "NEW",
                    note: AsffNote {
                        text: "no longer accepted: the exception expired or was removed; the failure is active again"
                            .to_owned(),
                        updated_by: GENERATOR_PREFIX.trim_end_matches('/').to_owned(),
                        updated_at: now.to_string(),
                    },
                });
            }
            _ => {}
        }
    }
    updates
}

/// The check an ID of ours names, if it is one of ours for this account-region.
pub fn check_of(to: &Destination<'_>, finding_id: &str) -> Option<CheckId> {
    let id = finding_id.strip_prefix(&to.id_prefix())?;
    CheckId::ALL.into_iter().find(|check| check.id() == id)
}

struct Status {
    compliance: &'static str,
    workflow: &'static str,
    record: &'static str,
}

fn finding(
    to: &Destination<'_>,
    check: CheckId,
    severity: Severity,
    description: &str,
    product_fields: BTreeMap<String, String>,
    when: &str,
    status: Status,
) -> AsffFinding {
    AsffFinding {
        schema_version: SCHEMA_VERSION,
        id: to.finding_id(check),
        product_arn: to.product_arn(),
        generator_id: format!("{GENERATOR_PREFIX}{}", check.id()),
        aws_account_id: to.account_id.to_owned(),
        region: to.region.to_owned(),
        types: vec![FINDING_TYPE],
        created_at: when.to_owned(),
        updated_at: when.to_owned(),
        severity: AsffSeverity {
            label: severity_label(severity),
        },
        title: format!("AWS Config delivery: {}", check.title()),
        description: cut(description, MAX_DESCRIPTION),
        remediation: AsffRemediation {
            recommendation: AsffRecommendation {
                text: cut(check.remediation(), MAX_REMEDIATION),
            },
        },
        product_fields,
        resources: vec![AsffResource {
            r#type: "AwsAccount",
            id: format!("AWS::::Account:{}", to.account_id),
            partition: to.partition.to_owned(),
            region: to.region.to_owned(),
        }],
        compliance: AsffCompliance {
            status: status.compliance,
            related_requirements: check
                .related_requirements()
                .into_iter()
                .take(MAX_RELATED_REQUIREMENTS)
                .collect(),
        },
        workflow: AsffWorkflow {
            status: status.workflow,
        },
        record_state: status.record,
        note: None,
    }
}

fn cut(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(max_chars.saturating_sub(3)).collect();
    out.push_str("...");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn judged(findings: Vec<Finding>) -> RegionVerdict {
        RegionVerdict::new(
            "111122223333",
            "eu-west-1",
            Timestamp::from_epoch_millis(1_700_000_000_000),
            findings,
        )
    }

    #[test]
    fn one_finding_per_check_with_a_stable_id() {
        let judgement = judged(vec![
            Finding::new(CheckId::EvidenceUnreadable, "cannot read A").with("call", "A"),
            Finding::new(CheckId::EvidenceUnreadable, "cannot read B"),
            Finding::new(CheckId::KeyDisabled, "key disabled"),
        ]);
        let findings = active_findings(&judgement, "aws");
        assert_eq!(findings.len(), 2);
        let ids: Vec<&str> = findings.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "config-delivery-guard/111122223333/eu-west-1/evidence.unreadable",
                "config-delivery-guard/111122223333/eu-west-1/key.disabled"
            ]
        );
        let unreadable = &findings[0];
        assert_eq!(unreadable.description, "cannot read A; cannot read B");
        assert_eq!(unreadable.severity.label, "HIGH");
        assert_eq!(
            unreadable.product_arn,
            "arn:aws:securityhub:eu-west-1:111122223333:product/111122223333/default"
        );
        assert_eq!(unreadable.product_fields["delivery-guard/evidence/call"], "A");
        assert_eq!(findings[1].severity.label, "CRITICAL");
        assert_eq!(findings[1].compliance.status, "FAILED");
    }

    #[test]
    fn a_healthy_account_region_has_no_active_finding() {
        assert!(active_findings(&judged(vec![]), "aws").is_empty());
    }

    #[test]
    fn resolution_reuses_the_id_and_archives() {
        let to = Destination {
            partition: "aws",
            account_id: "111122223333",
            region: "eu-west-1",
        };
        let judged = crate::verdict::judge_snapshot(
            &crate::checks::fixtures::probed(),
            &crate::parameters::RuleParameters::default(),
        );
        let passed = judged.outcomes.passed().get(CheckId::KeyDisabled).unwrap();
        let fixed = resolved_finding(&to, passed, "2026-01-01T00:00:00Z", Timestamp::now());
        assert_eq!(fixed.id, to.finding_id(CheckId::KeyDisabled));
        assert_eq!(fixed.created_at, "2026-01-01T00:00:00Z");
        assert_eq!(
            (fixed.compliance.status, fixed.workflow.status, fixed.record_state),
            ("PASSED", "RESOLVED", "ARCHIVED")
        );
        assert_eq!(check_of(&to, &fixed.id), Some(CheckId::KeyDisabled));
        assert_eq!(
            check_of(&to, "config-delivery-guard/999/eu-west-1/key.disabled"),
            None
        );
    }

    fn open(judgement: &RegionVerdict, checks: &[CheckId]) -> BTreeMap<String, String> {
        let to = Destination {
            partition: "aws",
            account_id: &judgement.account_id,
            region: &judgement.region,
        };
        checks
            .iter()
            .map(|c| (to.finding_id(*c), "2025-12-01T00:00:00Z".to_owned()))
            .collect()
    }

    #[test]
    fn an_open_finding_is_resolved_only_when_its_check_passed() {
        // The key was read and is enabled again; the delivery status could not be read.
        let mut snapshot = crate::checks::fixtures::probed();
        snapshot.delivery_channel_statuses =
            crate::snapshot::Observed::Unreadable(crate::snapshot::Unreadable {
                call: "DescribeDeliveryChannelStatus".into(),
                kind: crate::snapshot::FailureKind::Throttled,
                code: Some("ThrottlingException".into()),
                message: "Rate exceeded".into(),
            });
        let judgement =
            crate::verdict::judge_snapshot(&snapshot, &crate::parameters::RuleParameters::default());
        let open = open(
            &judgement,
            &[CheckId::KeyDisabled, CheckId::SnapshotDeliveryFailure],
        );
        let plan = import_plan(&judgement, "aws", &open, Timestamp::now());
        assert_eq!(plan.resolved, 1);
        let resolved: Vec<&AsffFinding> = plan
            .findings
            .iter()
            .filter(|f| f.record_state == "ARCHIVED")
            .collect();
        assert_eq!(resolved.len(), 1);
        assert!(resolved[0].id.ends_with("/key.disabled"));
        assert_eq!(resolved[0].created_at, "2025-12-01T00:00:00Z");
        assert_eq!(plan.kept_open.len(), 1);
        assert!(plan.kept_open[0].ends_with("/channel.snapshot-delivery-failure"));
        // Only a customer's call sets the workflow of an existing finding: the resolved one is
        // RESOLVED through BatchUpdateFindings; the one kept open is left alone.
        let workflows: BTreeMap<String, OpenWorkflow> = open
            .keys()
            .map(|id| {
                (
                    id.clone(),
                    OpenWorkflow {
                        status: Some("NEW".to_owned()),
                        note_by: None,
                    },
                )
            })
            .collect();
        let updates = workflow_updates(&judgement, "aws", &workflows, &plan, Timestamp::now());
        assert_eq!(updates.len(), 1);
        assert!(updates[0].id.ends_with("/key.disabled") && updates[0].status == "RESOLVED");
    }

    #[test]
    fn nothing_is_resolved_when_nothing_was_read() {
        let judgement = judged(vec![Finding::new(CheckId::AuditRoleUnassumable, "cannot assume")]);
        let open = open(&judgement, &[CheckId::KeyDisabled, CheckId::BucketMissing]);
        let plan = import_plan(&judgement, "aws", &open, Timestamp::now());
        assert_eq!(plan.resolved, 0);
        assert_eq!(plan.kept_open.len(), 2);
        assert_eq!(plan.findings.len(), 1);
    }

    #[test]
    fn a_finding_still_failing_keeps_its_created_at() {
        let judgement = judged(vec![Finding::new(CheckId::KeyDisabled, "key disabled")]);
        let open = open(&judgement, &[CheckId::KeyDisabled]);
        let plan = import_plan(&judgement, "aws", &open, Timestamp::now());
        assert_eq!(plan.findings.len(), 1);
        assert_eq!(plan.findings[0].created_at, "2025-12-01T00:00:00Z");
        assert_eq!(plan.findings[0].record_state, "ACTIVE");
    }

    #[test]
    fn an_accepted_failure_is_suppressed_with_its_note_and_new_again_once_it_is_not() {
        use crate::exceptions::Accepted;
        let mut region = judged(vec![
            Finding::new(CheckId::ScpDeniesDelivery, "an SCP denies"),
            Finding::new(CheckId::KeyDisabled, "key disabled"),
        ]);
        region.accepted = vec![Accepted {
            check: CheckId::ScpDeniesDelivery,
            exception: "payments-scp-rework".to_owned(),
            owner: "platform-team".to_owned(),
            reason: "SCP rework under CHG-1234".to_owned(),
            until: "2027-01-15".to_owned(),
            expires: Timestamp::from_epoch_millis(1_800_000_000_000),
        }];
        let findings = active_findings(&region, "aws");
        let scp = findings
            .iter()
            .find(|f| f.generator_id.ends_with("scp-denies-delivery"))
            .unwrap();
        let key = findings
            .iter()
            .find(|f| f.generator_id.ends_with("key.disabled"))
            .unwrap();
        assert_eq!(
            (scp.workflow.status, scp.compliance.status, scp.record_state),
            ("SUPPRESSED", "FAILED", "ACTIVE")
        );
        let note = scp.note.as_ref().unwrap();
        assert_eq!(
            note.text,
            "accepted until 2027-01-15 (platform-team): SCP rework under CHG-1234"
        );
        assert_eq!(
            note.updated_by,
            "config-delivery-guard/exception/payments-scp-rework"
        );
        assert_eq!((key.workflow.status, key.note.is_none()), ("NEW", true));
        // Already open: BatchImportFindings cannot change its workflow, BatchUpdateFindings does.
        let now = Timestamp::from_epoch_millis(1_700_000_000_000);
        let open: BTreeMap<String, OpenWorkflow> = findings
            .iter()
            .map(|f| {
                (
                    f.id.clone(),
                    OpenWorkflow {
                        status: Some("NEW".to_owned()),
                        note_by: None,
                    },
                )
            })
            .collect();
        let plan = import_plan(&region, "aws", &BTreeMap::new(), now);
        let updates = workflow_updates(&region, "aws", &open, &plan, now);
        assert_eq!(updates.len(), 1);
        assert_eq!(
            (updates[0].id.as_str(), updates[0].status),
            (scp.id.as_str(), "SUPPRESSED")
        );
        // The exception gone (expired or removed): new findings are NEW without a note, and the one
        // this rule suppressed is NEW again; one a person suppressed stays as they set it.
        region.accepted.clear();
        let again = active_findings(&region, "aws");
        assert!(
            again
                .iter()
                .all(|f| f.workflow.status == "NEW" && f.note.is_none())
        );
        let ours = OpenWorkflow {
            status: Some("SUPPRESSED".to_owned()),
            note_by: Some("config-delivery-guard/exception/payments-scp-rework".to_owned()),
        };
        let theirs = OpenWorkflow {
            status: Some("SUPPRESSED".to_owned()),
            note_by: Some("arn:aws:iam::111122223333:user/alice".to_owned()),
        };
        let open = BTreeMap::from([(scp.id.clone(), ours), (key.id.clone(), theirs)]);
        let updates = workflow_updates(&region, "aws", &open, &plan, now);
        assert_eq!(updates.len(), 1);
        assert_eq!(
            (updates[0].id.as_str(), updates[0].status),
            (scp.id.as_str(), "NEW")
        );
    }

    #[test]
    fn long_texts_are_cut_to_the_asff_limits() {
        let judgement = judged(vec![Finding::new(CheckId::DeliveryStale, "x".repeat(5000))]);
        let findings = active_findings(&judgement, "aws");
        assert_eq!(findings[0].description.chars().count(), MAX_DESCRIPTION);
    }
}
