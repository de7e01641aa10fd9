//! Security Hub adapter: import the ASFF findings of one account-region with BatchImportFindings,
//! and resolve the ones this rule raised earlier that no longer fail.
//!
//! The client must act as the judged account: with the default product ARN, Security Hub accepts
//! only findings whose AwsAccountId is the caller's own.

use crate::aws::read::unreadable;
use aws_sdk_securityhub::Client;
use aws_sdk_securityhub::types::{
    AwsSecurityFinding, AwsSecurityFindingFilters, Compliance, ComplianceStatus, Partition, Recommendation,
    RecordState, Remediation, Resource, Severity, SeverityLabel, StringFilter, StringFilterComparison,
    Workflow, WorkflowStatus,
};
use delivery_guard_core::outbound::asff::{AsffFinding, Destination, GENERATOR_PREFIX, import_plan};
use delivery_guard_core::snapshot::Unreadable;
use delivery_guard_core::timestamp::Timestamp;
use delivery_guard_core::verdict::RegionVerdict;
use serde::Serialize;
use std::collections::BTreeMap;

/// BatchImportFindings takes at most 100 findings per call.
const MAX_PER_CALL: usize = 100;

/// What `publish` did in Security Hub.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct HubSummary {
    /// Findings imported.
    pub imported: usize,
    /// Findings resolved.
    pub resolved: usize,
    /// Findings refused.
    pub failed: usize,
    /// Open findings left open: their check could not be evaluated on read evidence.
    pub kept_open: usize,
    /// The first rejection Security Hub gave, if any.
    pub first_error: Option<String>,
}

/// Imports one finding per failing check and resolves this account-region's findings whose check
/// passed on evidence that was read (see `import_plan`).
pub async fn publish(
    client: &Client,
    judgement: &RegionVerdict,
    partition: &str,
) -> Result<HubSummary, Unreadable> {
    let to = Destination {
        partition,
        account_id: &judgement.account_id,
        region: &judgement.region,
    };
    let open = open_findings(client, &to).await?;
    let plan = import_plan(judgement, partition, &open, Timestamp::now());
    let mut summary = HubSummary {
        kept_open: plan.kept_open.len(),
        ..HubSummary::default()
    };
    for batch in plan.findings.chunks(MAX_PER_CALL) {
        let findings: Vec<AwsSecurityFinding> = batch.iter().map(to_sdk).collect();
        let out = client
            .batch_import_findings()
            .set_findings(Some(findings))
            .send()
            .await
            .map_err(|err| unreadable("BatchImportFindings", &err))?;
        let failed = usize::try_from(out.failed_count().unwrap_or(0)).unwrap_or(0);
        summary.failed += failed;
        summary.imported += batch.len().saturating_sub(failed);
        if summary.first_error.is_none() {
            summary.first_error = out.failed_findings().first().map(|e| {
                format!(
                    "{}: {} {}",
                    e.id().unwrap_or("?"),
                    e.error_code().unwrap_or("?"),
                    e.error_message().unwrap_or("")
                )
            });
        }
    }
    summary.resolved = plan.resolved.min(summary.imported);
    Ok(summary)
}

/// This account-region's findings from this rule that are still open, by ID, with the time each was
/// first raised. The filter is applied again here: an endpoint that ignores filters must not make us
/// resolve someone else's finding.
async fn open_findings(
    client: &Client,
    to: &Destination<'_>,
) -> Result<BTreeMap<String, String>, Unreadable> {
    let equals = |value: &str| {
        StringFilter::builder()
            .value(value)
            .comparison(StringFilterComparison::Equals)
            .build()
    };
    let filters = AwsSecurityFindingFilters::builder()
        .product_arn(equals(&to.product_arn()))
        .aws_account_id(equals(to.account_id))
        .region(equals(to.region))
        .generator_id(
            StringFilter::builder()
                .value(GENERATOR_PREFIX)
                .comparison(StringFilterComparison::Prefix)
                .build(),
        )
        .record_state(equals("ACTIVE"))
        .build();
    let mut pages = client
        .get_findings()
        .filters(filters)
        .max_results(100)
        .into_paginator()
        .send();
    let prefix = to.id_prefix();
    let mut open = BTreeMap::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|err| unreadable("GetFindings", &err))?;
        for finding in page.findings() {
            if finding.record_state() == Some(&RecordState::Archived) {
                continue;
            }
            if let (Some(id), Some(created_at)) = (finding.id(), finding.created_at())
                && id.starts_with(&prefix)
            {
                open.insert(id.to_owned(), created_at.to_owned());
            }
        }
    }
    Ok(open)
}

fn to_sdk(finding: &AsffFinding) -> AwsSecurityFinding {
    let resources = finding
        .resources
        .iter()
        .map(|r| {
            Resource::builder()
                .r#type(r.r#type)
                .id(&r.id)
                .partition(Partition::from(r.partition.as_str()))
                .region(&r.region)
                .build()
        })
        .collect();
    AwsSecurityFinding::builder()
        .schema_version(finding.schema_version)
        .id(&finding.id)
        .product_arn(&finding.product_arn)
        .generator_id(&finding.generator_id)
        .aws_account_id(&finding.aws_account_id)
        .region(&finding.region)
        .set_types(Some(finding.types.iter().map(|t| (*t).to_owned()).collect()))
        .created_at(&finding.created_at)
        .updated_at(&finding.updated_at)
        .severity(
            Severity::builder()
                .label(SeverityLabel::from(finding.severity.label))
                .build(),
        )
        .title(&finding.title)
        .description(&finding.description)
        .remediation(
            Remediation::builder()
                .recommendation(
                    Recommendation::builder()
                        .text(&finding.remediation.recommendation.text)
                        .build(),
                )
                .build(),
        )
        .set_product_fields(Some(finding.product_fields.clone().into_iter().collect()))
        .set_resources(Some(resources))
        .compliance(
            Compliance::builder()
                .status(ComplianceStatus::from(finding.compliance.status))
                .build(),
        )
        .workflow(
            Workflow::builder()
                .status(WorkflowStatus::from(finding.workflow.status))
                .build(),
        )
        .record_state(RecordState::from(finding.record_state))
        .build()
}
