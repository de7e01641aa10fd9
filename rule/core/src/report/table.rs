//! Output for people (a table) and for programs (JSON).

use crate::exceptions::days_left;
use crate::verdict::{AccountVerdict, Cluster, Compliance, FleetSummary, RegionVerdict, clusters};
use serde::Serialize;
use serde_json::json;
use std::fmt::Write;

/// The region verdicts as pretty JSON.
pub fn json(judgements: &[RegionVerdict]) -> serde_json::Result<String> {
    serde_json::to_string_pretty(&json!({ "summary": summary(judgements), "results": judgements }))
}

/// One block per account-region: verdict, annotation, findings with evidence and remediation.
pub fn table(judgements: &[RegionVerdict]) -> String {
    let rows: Vec<[String; 4]> = judgements
        .iter()
        .map(|j| {
            let cause = j
                .findings
                .first()
                .map_or_else(|| "healthy".to_owned(), |f| f.message.clone());
            let verdict = if j.is_accepted() {
                "ACCEPTED".to_owned()
            } else {
                j.verdict.compliance.as_str().to_owned()
            };
            [j.account_id.clone(), j.region.clone(), verdict, cause]
        })
        .collect();
    let header = ["ACCOUNT", "REGION", "VERDICT", "ROOT CAUSE"];
    let width = |col: usize| {
        rows.iter()
            .filter_map(|r| r.get(col))
            .map(|c| c.chars().count())
            .chain([header.get(col).map_or(0, |h| h.len())])
            .max()
            .unwrap_or(0)
    };
    let (w0, w1, w2) = (width(0), width(1), width(2));
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:w0$}  {:w1$}  {:w2$}  {}",
        header[0], header[1], header[2], header[3]
    );
    for [account, region, verdict, cause] in &rows {
        let _ = writeln!(out, "{account:w0$}  {region:w1$}  {verdict:w2$}  {cause}");
    }
    for judgement in judgements.iter().filter(|j| !j.findings.is_empty()) {
        let _ = writeln!(out, "\n{} {}:", judgement.account_id, judgement.region);
        for finding in &judgement.findings {
            let _ = writeln!(
                out,
                "  [{:?}] {}  {}",
                finding.severity,
                finding.check.id(),
                finding.message
            );
            if !finding.evidence.is_empty() {
                let evidence: Vec<String> =
                    finding.evidence.iter().map(|(k, v)| format!("{k}={v}")).collect();
                let _ = writeln!(out, "      evidence: {}", evidence.join(", "));
            }
            let _ = writeln!(out, "      fix: {}", finding.remediation);
            if let Some(accepted) = judgement.acceptance_of(finding.check) {
                let _ = writeln!(
                    out,
                    "      accepted until {} ({} day(s) left) by {}: {} [exception {}]",
                    accepted.until,
                    days_left(judgement.observed_at, accepted.expires),
                    accepted.owner,
                    accepted.reason,
                    accepted.exception
                );
            }
        }
    }
    let s = summary(judgements);
    let _ = write!(
        out,
        "\n{} account-region(s): {} compliant, {} non-compliant",
        s.account_regions, s.compliant, s.non_compliant
    );
    if s.accepted > 0 {
        let _ = write!(out, " ({} of them accepted)", s.accepted);
    }
    out
}

#[derive(Debug, Serialize)]
struct Summary {
    account_regions: usize,
    compliant: usize,
    non_compliant: usize,
    /// Non-compliant, every failure accepted.
    #[serde(skip_serializing_if = "is_zero")]
    accepted: usize,
}

const fn is_zero(n: &usize) -> bool {
    *n == 0
}

fn summary(judgements: &[RegionVerdict]) -> Summary {
    let count = |c: Compliance| judgements.iter().filter(|j| j.verdict.compliance == c).count();
    Summary {
        account_regions: judgements.len(),
        compliant: count(Compliance::Compliant),
        non_compliant: count(Compliance::NonCompliant),
        accepted: judgements.iter().filter(|j| j.is_accepted()).count(),
    }
}

/// `scan`'s table: one row per account-region, the findings of the failing ones, the root causes
/// they share, and the account-level summary.
pub fn scan_table(results: &[&AccountVerdict], summary: &FleetSummary) -> String {
    let judgements: Vec<RegionVerdict> = results.iter().flat_map(|r| r.regions.clone()).collect();
    let table = table(&judgements);
    // The root causes go before the closing account-region summary line.
    let (body, closing) = table.rsplit_once('\n').unwrap_or((table.as_str(), ""));
    let mut out = format!("{body}{}\n{closing}", clusters_table(&clusters(results)));
    // The account-region summary closes `table`; the account summary follows it.
    let _ = write!(
        out,
        "\n{} account(s): {} compliant, {} failing, {} unverified",
        summary.accounts, summary.compliant, summary.failing, summary.unverified
    );
    if summary.accepted > 0 {
        let _ = write!(
            out,
            ", {} accepted (failing under an exception)",
            summary.accepted
        );
    }
    out
}

/// How many account-regions a root-cause listing names before "and N more".
const MEMBERS_SHOWN: usize = 6;

/// The root causes, largest first: the cause, how much it breaks, where, and the fix, once each.
fn clusters_table(clusters: &[Cluster]) -> String {
    if clusters.is_empty() {
        return String::new();
    }
    let mut out = format!("\nROOT CAUSES ({}, largest first)", clusters.len());
    for (index, cluster) in clusters.iter().enumerate() {
        let _ = write!(
            out,
            "\n{:>3}. {} account-region(s) in {} account(s): [{:?}] {}: {}",
            index + 1,
            cluster.members.len(),
            cluster.accounts,
            cluster.severity,
            cluster.check.id(),
            cluster.cause
        );
        let shown: Vec<String> = cluster
            .members
            .iter()
            .take(MEMBERS_SHOWN)
            .map(|m| format!("{} {}", m.account_id, m.region))
            .collect();
        let more = cluster.members.len().saturating_sub(MEMBERS_SHOWN);
        let _ = write!(out, "\n     {}", shown.join(", "));
        if more > 0 {
            let _ = write!(out, " and {more} more");
        }
        if !cluster.ous.is_empty() {
            let _ = write!(out, "\n     OU: {}", cluster.ous.join(", "));
        }
        let _ = write!(out, "\n     fix: {}", cluster.finding.remediation);
    }
    out.push('\n');
    out
}
