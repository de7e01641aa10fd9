//! Security Hub adapter: import the ASFF findings of one account-region with BatchImportFindings,
//! and resolve the ones this rule raised earlier that no longer fail.
//!
//! The client must act as the judged account: with the default product ARN, Security Hub accepts
//! only findings whose AwsAccountId is the caller's own.
//!
//! | file | what it does |
//! | --- | --- |
//! | `mod.rs` | what to import and resolve, and the open findings it is planned against |
//! | `rest.rs` | the three calls, with the core's ASFF JSON, through the SDK's request pipeline |

mod rest;

pub use rest::SecurityHubClient;

use crate::aws::read::{Pages, incomplete, unreadable};
use delivery_guard_core::outbound::asff::{
    Destination, GENERATOR_PREFIX, OpenWorkflow, import_plan, workflow_updates,
};
use delivery_guard_core::snapshot::Unreadable;
use delivery_guard_core::timestamp::Timestamp;
use delivery_guard_core::verdict::RegionVerdict;
use serde::Serialize;
use serde_json::json;
use std::collections::BTreeMap;

/// BatchImportFindings takes at most 100 findings per call.
const MAX_PER_CALL: usize = 100;
/// This rule raises at most one finding per check per account-region: one page of 100 holds them
/// all; the bound ends a listing that would not.
const MAX_PAGES: usize = 10;

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
    /// Open findings suppressed (accepted) or made NEW again (their exception ended).
    pub workflow_updated: usize,
    /// The first rejection Security Hub gave, if any.
    pub first_error: Option<String>,
}

/// Imports one finding per failing check and resolves this account-region's findings whose check
/// passed on evidence that was read (see `import_plan`).
pub async fn publish(
    client: &SecurityHubClient,
    judgement: &RegionVerdict,
    partition: &str,
) -> Result<HubSummary, Unreadable> {
    let to = Destination {
        partition,
        account_id: &judgement.account_id,
        region: &judgement.region,
    };
    let open = open_findings(client, &to).await?;
    let created: BTreeMap<String, String> = open
        .iter()
        .map(|(id, (at, _))| (id.clone(), at.clone()))
        .collect();
    let workflows: BTreeMap<String, OpenWorkflow> = open.into_iter().map(|(id, (_, w))| (id, w)).collect();
    let plan = import_plan(judgement, partition, &created, Timestamp::now());
    let mut summary = HubSummary {
        kept_open: plan.kept_open.len(),
        ..HubSummary::default()
    };
    for batch in plan.findings.chunks(MAX_PER_CALL) {
        let out = client
            .batch_import_findings(batch)
            .await
            .map_err(|err| unreadable("BatchImportFindings", &err))?;
        // A negative count is taken as "all refused": never counted as imported.
        let failed = usize::try_from(out.failed_count)
            .unwrap_or(batch.len())
            .min(batch.len());
        summary.failed += failed;
        summary.imported += batch.len().saturating_sub(failed);
        if summary.first_error.is_none() {
            summary.first_error = out.failed_findings.first().map(|e| {
                format!(
                    "{}: {} {}",
                    e.id.as_deref().unwrap_or("?"),
                    e.error_code.as_deref().unwrap_or("?"),
                    e.error_message.as_deref().unwrap_or("")
                )
            });
        }
    }
    summary.resolved = plan.resolved.min(summary.imported);
    for update in workflow_updates(judgement, partition, &workflows, &plan, Timestamp::now()) {
        let out = client
            .batch_update_findings(
                &to.product_arn(),
                &[update.id.as_str()],
                update.status,
                &update.note,
            )
            .await
            .map_err(|err| unreadable("BatchUpdateFindings", &err))?;
        match out.unprocessed_findings.first() {
            None => summary.workflow_updated += 1,
            Some(refused) => {
                summary.failed += 1;
                if summary.first_error.is_none() {
                    summary.first_error = Some(format!(
                        "{}: {} {}",
                        update.id,
                        refused.error_code.as_deref().unwrap_or("?"),
                        refused.error_message.as_deref().unwrap_or("")
                    ));
                }
            }
        }
    }
    Ok(summary)
}

/// This account-region's findings from this rule that are still open, by ID, with the time each was
/// first raised and its workflow. The filter is applied again here: an endpoint that ignores filters must not make us
/// resolve someone else's finding.
async fn open_findings(
    client: &SecurityHubClient,
    to: &Destination<'_>,
) -> Result<BTreeMap<String, (String, OpenWorkflow)>, Unreadable> {
    let equals = |value: &str| json!([{ "Value": value, "Comparison": "EQUALS" }]);
    let filters = json!({
        "ProductArn": equals(&to.product_arn()),
        "AwsAccountId": equals(to.account_id),
        "Region": equals(to.region),
        "GeneratorId": [{ "Value": GENERATOR_PREFIX, "Comparison": "PREFIX" }],
        "RecordState": equals("ACTIVE"),
    });
    let prefix = to.id_prefix();
    let mut open = BTreeMap::new();
    let mut pages = Pages::new("GetFindings", MAX_PAGES);
    let mut next_token: Option<String> = None;
    loop {
        let page = client
            .get_findings(&filters, 100, next_token.as_deref())
            .await
            .map_err(|err| unreadable("GetFindings", &err))?;
        for finding in page.findings {
            if finding.record_state.as_deref() == Some("ARCHIVED") {
                continue;
            }
            // Both are required in Security Hub's model: without them the page is incomplete.
            let (Some(id), Some(created_at)) = (finding.id, finding.created_at) else {
                return Err(incomplete("GetFindings", "a finding without its Id or CreatedAt"));
            };
            if id.starts_with(&prefix) {
                let workflow = OpenWorkflow {
                    status: finding.workflow.and_then(|w| w.status),
                    note_by: finding.note.and_then(|n| n.updated_by),
                };
                open.insert(id, (created_at, workflow));
            }
        }
        // A repeated token (A, B, A) or too many pages is an incomplete answer, never the end.
        match pages.next(page.next_token.as_deref())? {
            Some(token) => next_token = Some(token),
            None => break,
        }
    }
    Ok(open)
}
