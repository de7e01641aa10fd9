//! One self-contained HTML page for an Organization's scan: failing first, views by root cause, by
//! OU and by account (an accounts x Regions grid), filters and search, each account's findings one
//! click or keypress away. The verdicts travel as one JSON block the page's script renders, so a
//! 1,000 x 17 report stays a few megabytes and opens in well under a second. Inline style and script
//! only, under a Content-Security-Policy that forbids any fetch.

use crate::checks::{CheckId, Finding};
use crate::report::Report;
use crate::report::saved::TOOL;
use crate::timestamp::Timestamp;
use crate::verdict::{AccountVerdict, Compliance, EVERY_REGION, RegionVerdict};
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

pub(super) const STYLE: &str = include_str!("style.css");
const SCRIPT: &str = include_str!("report.js");

/// Grid cells, as the page's script reads them.
const NOT_JUDGED: u8 = 0;
const HEALTHY: u8 = 1;
const FAILING: u8 = 2;
const UNVERIFIED: u8 = 3;
const ACCEPTED: u8 = 4;

/// The page.
pub fn html(report: &Report<'_>) -> String {
    let summary = report.summary;
    let mut page = String::with_capacity(4096);
    let _ = write!(
        page,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>AWS Config delivery: {} of {} accounts failing</title><style>{STYLE}</style><style id=\"column-filter\"></style></head><body>\n",
        summary.failing + summary.unverified,
        summary.accounts
    );
    page.push_str("<header><h1>AWS Config delivery pipelines</h1>\n");
    write_scan(&mut page, report);
    let _ = writeln!(
        page,
        "<div class=\"counts\" role=\"group\" aria-label=\"accounts by verdict\">\
<div class=\"count\" id=\"accounts\"><b>{}</b>accounts</div>\
<div class=\"count failing\" id=\"failing\"><b>{}</b>failing</div>\
<div class=\"count unverified\" id=\"unverified\"><b>{}</b>unverified</div>\
<div class=\"count accepted\" id=\"accepted\"><b>{}</b>accepted</div>\
<div class=\"count compliant\" id=\"compliant\"><b>{}</b>compliant</div>\
<div class=\"count\"><b>{}</b>account-regions</div></div></header>",
        summary.accounts,
        summary.failing,
        summary.unverified,
        summary.accepted,
        summary.compliant,
        summary.account_regions
    );
    write_changes(&mut page, report);
    let _ = writeln!(
        page,
        "<nav role=\"tablist\" aria-label=\"views\">\
<button type=\"button\" role=\"tab\" id=\"tab-causes\" aria-controls=\"view-causes\">Root causes ({})</button>\
<button type=\"button\" role=\"tab\" id=\"tab-ous\" aria-controls=\"view-ous\">By OU</button>\
<button type=\"button\" role=\"tab\" id=\"tab-accounts\" aria-controls=\"view-accounts\">By account ({})</button></nav>",
        report.clusters.len(),
        summary.accounts
    );
    page.push_str(
        "<form id=\"filters\" role=\"search\" onsubmit=\"return false\">\
<label>verdict<select id=\"f-verdict\"><option value=\"\">any</option><option value=\"failing\">failing</option>\
<option value=\"unverified\">unverified</option><option value=\"accepted\">accepted</option><option value=\"compliant\">compliant</option></select></label>\
<label>OU<select id=\"f-ou\"><option value=\"\">any</option></select></label>\
<label>Region<select id=\"f-region\"><option value=\"\">every Region</option></select></label>\
<label>check<select id=\"f-check\"><option value=\"\">any</option></select></label>\
<label>search<input id=\"f-search\" type=\"search\" placeholder=\"account, name, OU, cause\"></label>\
<output id=\"shown\" aria-live=\"polite\"></output></form>\n<main>\n\
<section id=\"view-causes\" role=\"tabpanel\" aria-labelledby=\"tab-causes\" hidden>\
<h2>Failing account-regions by shared root cause, largest first</h2><ol class=\"causes\" id=\"causes\"></ol></section>\n\
<section id=\"view-ous\" role=\"tabpanel\" aria-labelledby=\"tab-ous\" hidden><h2>Accounts by OU</h2>\
<table id=\"ous\"><thead><tr><th scope=\"col\">OU</th><th scope=\"col\">accounts</th><th scope=\"col\">failing</th>\
<th scope=\"col\">unverified</th><th scope=\"col\">compliant</th><th scope=\"col\">failing account-regions</th></tr></thead>\
<tbody id=\"ous-body\"></tbody></table></section>\n\
<section id=\"view-accounts\" role=\"tabpanel\" aria-labelledby=\"tab-accounts\" hidden>\
<p class=\"meta legend\"><span><b class=\"cell ok\">OK</b>healthy</span><span><b class=\"cell failing\">FAIL</b>failing</span>\
<span><b class=\"cell unverified\">N/V</b>not verified: evidence unreadable</span><span><b class=\"cell accepted\">ACC</b>failing, accepted until its exception ends</span><span><b class=\"cell absent\">&mdash;</b>not judged</span>\
<span>Failing accounts first. Arrow keys move between cells; Enter opens one; Escape closes it.</span></p>\
<div class=\"scroll\"><table id=\"grid\" aria-label=\"accounts by Region\"><thead id=\"grid-head\"></thead>\
<tbody id=\"grid-body\"></tbody></table></div></section>\n</main>\n\
<aside id=\"detail\" aria-live=\"polite\" aria-label=\"findings\" hidden><button type=\"button\" class=\"close\" id=\"detail-close\">close (Esc)</button>\
<div id=\"detail-body\"></div></aside>\n",
    );
    let data = script_json(&page_data(report));
    let _ = writeln!(
        page,
        "<script type=\"application/json\" id=\"data\">{data}</script>\n<script>{SCRIPT}</script></body></html>"
    );
    page
}

fn write_scan(page: &mut String, report: &Report<'_>) {
    let Some(scan) = report.scan else {
        let _ = writeln!(page, "<p class=\"meta\">generated {}</p>", Timestamp::now());
        return;
    };
    let _ = writeln!(
        page,
        "<p class=\"meta\">scanned {} by {TOOL} {}: {} of {}, Regions {}</p>",
        scan.generated,
        escape(&scan.version),
        escape(&scan.scope),
        escape(scan.organization_id.as_deref().unwrap_or("no Organization")),
        escape(&scan.regions.join(", "))
    );
    if !scan.parameters.is_empty() {
        let parameters = serde_json::to_string(&scan.parameters).unwrap_or_default();
        let _ = writeln!(
            page,
            "<details class=\"meta\"><summary>parameters</summary><code>{}</code></details>",
            escape(&parameters)
        );
    }
}

fn write_changes(page: &mut String, report: &Report<'_>) {
    let Some(changes) = report.changes else {
        return;
    };
    let _ = write!(
        page,
        "<section id=\"changes\"><h2>Since the baseline of {}</h2><p><span class=\"new\">{} new failure(s)</span>, \
{} fixed, {} still failing, {} not judged now, {} compliant now but unverified (what failed could not be evaluated).",
        escape(&changes.baseline_generated),
        changes.new_failures.len(),
        changes.fixed.len(),
        changes.still_failing.len(),
        changes.not_judged_now.len(),
        changes.unverified_now.len()
    );
    for cause in changes.root_causes.iter().take(10) {
        let _ = write!(
            page,
            "<br>root cause {}: <code>{}</code> {} ({} &rarr; {} account-regions)",
            escape(&cause.trend),
            escape(&cause.check),
            escape(&cause.cause),
            cause.before,
            cause.now
        );
    }
    page.push_str("</p></section>\n");
}

/// The verdicts as the script reads them: Regions and checks once, each account's cells as
/// numbers, and findings only where there are some (most cells of a large Organization have none).
fn page_data(report: &Report<'_>) -> Value {
    let regions: Vec<&str> = report
        .accounts
        .iter()
        .flat_map(|a| a.regions.iter().map(|j| j.region.as_str()))
        .filter(|r| *r != EVERY_REGION)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let region_index: BTreeMap<&str, usize> = regions.iter().enumerate().map(|(i, r)| (*r, i)).collect();
    let mut checks: Vec<CheckId> = Vec::new();
    let mut check_index = |check: CheckId| match checks.iter().position(|c| *c == check) {
        Some(i) => i,
        None => {
            checks.push(check);
            checks.len() - 1
        }
    };
    let mut ordered: Vec<&&AccountVerdict> = report.accounts.iter().collect();
    ordered.sort_by(|a, b| {
        rank(a)
            .cmp(&rank(b))
            .then_with(|| a.account.id.cmp(&b.account.id))
    });
    let mut row_of = BTreeMap::new();
    let mut accounts = Vec::with_capacity(ordered.len());
    for (row, account) in ordered.iter().enumerate() {
        row_of.insert(account.account.id.as_str(), row);
        let everywhere = account.regions.iter().find(|j| j.region == EVERY_REGION);
        let cells: Vec<u8> = regions
            .iter()
            .map(|region| {
                everywhere
                    .or_else(|| account.regions.iter().find(|j| j.region == *region))
                    .map_or(NOT_JUDGED, cell)
            })
            .collect();
        let mut findings = Map::new();
        for judgement in account.regions.iter().filter(|j| !j.findings.is_empty()) {
            let key = region_index
                .get(judgement.region.as_str())
                .map_or_else(|| "*".to_owned(), ToString::to_string);
            let listed: Vec<Value> = judgement
                .findings
                .iter()
                .map(|f| finding_data(f, check_index(f.check)))
                .collect();
            findings.insert(
                key,
                json!({"a": judgement.verdict.annotation.as_deref().unwrap_or(""), "f": listed}),
            );
        }
        accounts.push(json!({
            "id": account.account.id,
            "name": account.account.name,
            "ou": account.account.ou,
            "v": verdict_name(account),
            "a": account.verdict.annotation.as_deref().unwrap_or(""),
            "c": cells,
            "f": findings,
        }));
    }
    let clusters: Vec<Value> = report
        .clusters
        .iter()
        .map(|cluster| {
            let members: Vec<(usize, i64)> = cluster
                .members
                .iter()
                .filter_map(|m| {
                    let row = *row_of.get(m.account_id.as_str())?;
                    let region = region_index
                        .get(m.region.as_str())
                        .and_then(|i| i64::try_from(*i).ok())
                        .unwrap_or(-1);
                    Some((row, region))
                })
                .collect();
            json!({
                "k": check_index(cluster.check),
                "cause": cluster.cause,
                "sev": cluster.severity,
                "accounts": cluster.accounts,
                "n": cluster.members.len(),
                "ous": cluster.ous,
                "ev": cluster.finding.evidence,
                "m": members,
            })
        })
        .collect();
    let checks: Vec<Value> = checks
        .iter()
        .map(|c| json!({"id": c.id(), "title": c.title(), "remediation": c.remediation()}))
        .collect();
    json!({"regions": regions, "checks": checks, "accounts": accounts, "clusters": clusters})
}

fn finding_data(finding: &Finding, check: usize) -> Value {
    json!([check, finding.severity, finding.message, finding.evidence])
}

/// Failing first, then unverified, then accepted (failing under an exception), then healthy.
fn rank(account: &AccountVerdict) -> u8 {
    match account.verdict.compliance {
        Compliance::NonCompliant if account.is_accepted() => 2,
        Compliance::NonCompliant if account.is_unverified() => 1,
        Compliance::NonCompliant => 0,
        Compliance::Compliant | Compliance::NotApplicable => 3,
    }
}

fn verdict_name(account: &AccountVerdict) -> &'static str {
    match rank(account) {
        0 => "failing",
        1 => "unverified",
        2 => "accepted",
        _ => "compliant",
    }
}

fn cell(judgement: &RegionVerdict) -> u8 {
    match judgement.verdict.compliance {
        Compliance::NonCompliant if judgement.is_accepted() => ACCEPTED,
        Compliance::NonCompliant if judgement.is_unverified() => UNVERIFIED,
        Compliance::NonCompliant => FAILING,
        Compliance::Compliant | Compliance::NotApplicable => HEALTHY,
    }
}

/// JSON inside `<script>`: no `<`, `>` or `&` that could end the element or open a comment
/// (each is escaped as JSON allows, so the data reads back the same).
fn script_json(value: &Value) -> String {
    let text = value.to_string();
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            _ => out.push(c),
        }
    }
    out
}

pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::{CheckId, Finding};
    use crate::snapshot::OrgAccount;
    use crate::verdict::{clusters, summarize, unjudged};

    #[test]
    fn text_from_aws_cannot_end_the_data_or_open_markup() {
        let judgement = unjudged(
            "111122223333",
            "us-east-1",
            Finding::new(CheckId::EvidenceUnreadable, "</script><script>alert(1)</script>"),
        );
        let account = OrgAccount {
            id: "111122223333".to_owned(),
            name: "a&b <i>".to_owned(),
            ou: Some("Root/<ou>".to_owned()),
        };
        let result = AccountVerdict::new(account, vec![judgement]);
        let accounts = [&result];
        let summary = summarize(accounts);
        let causes = clusters(&accounts);
        let page = html(&Report {
            accounts: &accounts,
            summary: &summary,
            clusters: &causes,
            scan: None,
            changes: None,
        });
        assert!(!page.contains("<script>alert"));
        assert!(!page.contains("<i>"));
        assert_eq!(
            page.matches("<script").count(),
            2,
            "the data and the page's script"
        );
        let data = page
            .split("id=\"data\">")
            .nth(1)
            .and_then(|rest| rest.split("</script>").next());
        let parsed: Value = serde_json::from_str(data.unwrap_or_default()).unwrap_or_default();
        assert_eq!(
            parsed["accounts"][0]["name"], "a&b <i>",
            "the data reads back unchanged"
        );
        assert_eq!(
            parsed["accounts"][0]["f"]["0"]["f"][0][2],
            "</script><script>alert(1)</script>"
        );
    }

    #[test]
    fn failing_accounts_come_first_and_whole_account_verdicts_fill_every_cell() {
        let healthy = AccountVerdict::new(
            OrgAccount::unnamed("100000000000"),
            vec![
                RegionVerdict::new("100000000000", "a", Timestamp::from_epoch_millis(0), vec![]),
                RegionVerdict::new("100000000000", "b", Timestamp::from_epoch_millis(0), vec![]),
            ],
        );
        let broken = AccountVerdict::new(
            OrgAccount::unnamed("200000000000"),
            vec![RegionVerdict::new(
                "200000000000",
                "b",
                Timestamp::from_epoch_millis(0),
                vec![Finding::new(CheckId::KeyDisabled, "key disabled").with("key", "k")],
            )],
        );
        let unassumable = AccountVerdict::new(
            OrgAccount::unnamed("300000000000"),
            vec![unjudged(
                "300000000000",
                EVERY_REGION,
                Finding::new(CheckId::AuditRoleUnassumable, "cannot assume"),
            )],
        );
        let accounts = [&healthy, &unassumable, &broken];
        let summary = summarize(accounts);
        let causes = clusters(&accounts);
        let data = page_data(&Report {
            accounts: &accounts,
            summary: &summary,
            clusters: &causes,
            scan: None,
            changes: None,
        });
        let rows: Vec<(&str, &str)> = data["accounts"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|r| (r["id"].as_str().unwrap_or(""), r["v"].as_str().unwrap_or("")))
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(
            rows,
            [
                ("200000000000", "failing"),
                ("300000000000", "unverified"),
                ("100000000000", "compliant")
            ]
        );
        assert_eq!(data["accounts"][0]["c"], json!([NOT_JUDGED, FAILING]));
        assert_eq!(data["accounts"][1]["c"], json!([UNVERIFIED, UNVERIFIED]));
        assert_eq!(
            data["clusters"][0]["m"],
            json!([[0, 1]]),
            "members point at rows and Region columns"
        );
        assert_eq!(data["clusters"][1]["m"], json!([[1, -1]]), "every Region is -1");
    }
}
