//! One self-contained HTML page: an accounts x regions grid coloured by verdict, where a cell opens
//! its findings and remediation. Inline style and script only, and a Content-Security-Policy that
//! forbids anything else, so the page makes no request when viewed.

use crate::timestamp::Timestamp;
use crate::verdict::{AccountVerdict, Compliance, EVERY_REGION, FleetSummary, RegionVerdict};
use std::collections::BTreeSet;
use std::fmt::Write;

const STYLE: &str = "
body{font:14px/1.4 system-ui,sans-serif;margin:1.5rem;color:#1b1f24}
h1{font-size:1.3rem;margin:0 0 .3rem}
.summary span{display:inline-block;margin-right:1rem}
table{border-collapse:collapse;margin-top:1rem}
th,td{border:1px solid #d0d7de;padding:0}
th{padding:.3rem .5rem;text-align:left;background:#f6f8fa;font-weight:600}
th small{display:block;font-weight:400;color:#57606a}
button.cell{width:100%;min-width:6.5rem;height:2.2rem;border:0;cursor:pointer;font-weight:600}
.compliant{background:#2da44e;color:#fff}
.failing{background:#cf222e;color:#fff}
.unverified{background:#bf8700;color:#fff}
.absent{background:#eaeef2;color:#57606a;cursor:default}
button.cell[aria-pressed=true]{outline:3px solid #0969da;outline-offset:-3px}
#detail{margin-top:1rem;padding:.8rem 1rem;border:1px solid #d0d7de;border-radius:6px;max-width:60rem}
.finding{margin:.5rem 0}
.finding code{background:#f6f8fa;padding:0 .2rem}
.fix{color:#0a3069}
.hidden{display:none}
";

const SCRIPT: &str = "
document.querySelectorAll('button.cell[data-detail]').forEach(function (cell) {
  cell.addEventListener('click', function () {
    document.querySelectorAll('button.cell[aria-pressed=true]').forEach(function (b) { b.setAttribute('aria-pressed', 'false'); });
    cell.setAttribute('aria-pressed', 'true');
    var panel = document.getElementById('detail');
    panel.innerHTML = document.getElementById(cell.dataset.detail).innerHTML;
    panel.classList.remove('hidden');
  });
});
";

/// One self-contained page: the accounts x Regions grid, each cell's findings, no external fetch.
///
/// Long on purpose: the page is written top to bottom in the order it is read.
pub fn html(results: &[&AccountVerdict], summary: &FleetSummary) -> String {
    let regions: BTreeSet<&str> = results
        .iter()
        .flat_map(|r| r.regions.iter().map(|j| j.region.as_str()))
        .filter(|r| *r != EVERY_REGION)
        .collect();
    let mut page = String::new();
    let _ = write!(
        page,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>AWS Config delivery: {} accounts</title><style>{STYLE}</style></head><body>\n",
        summary.accounts
    );
    let _ = write!(
        page,
        "<h1>AWS Config delivery pipelines</h1>\n<p class=\"summary\"><span>generated {}</span>\
<span id=\"accounts\">{} accounts</span><span>{} account-regions</span>\
<span id=\"compliant\">{} compliant</span><span id=\"failing\">{} failing</span>\
<span id=\"unverified\">{} unverified</span></p>\n",
        Timestamp::now(),
        summary.accounts,
        summary.account_regions,
        summary.compliant,
        summary.failing,
        summary.unverified
    );
    page.push_str("<table id=\"grid\"><thead><tr><th>Account</th>");
    for region in &regions {
        let _ = write!(page, "<th>{}</th>", escape(region));
    }
    page.push_str("</tr></thead><tbody>\n");
    let mut details = String::new();
    let mut next_detail = 0usize;
    for result in results {
        let _ = write!(
            page,
            "<tr data-account=\"{id}\"><th scope=\"row\">{id}<small>{name}</small></th>",
            id = escape(&result.account.id),
            name = escape(&result.account.name)
        );
        let everywhere = result.regions.iter().find(|j| j.region == EVERY_REGION);
        for region in &regions {
            let judgement = everywhere.or_else(|| result.regions.iter().find(|j| j.region == *region));
            let Some(judgement) = judgement else {
                let _ = write!(
                    page,
                    "<td><button class=\"cell absent\" disabled data-region=\"{}\">not judged</button></td>",
                    escape(region)
                );
                continue;
            };
            let id = format!("detail-{next_detail}");
            next_detail += 1;
            let (class, label) = verdict_class(judgement);
            let _ = write!(
                page,
                "<td><button class=\"cell {class}\" data-region=\"{region}\" data-verdict=\"{verdict}\" \
data-detail=\"{id}\" aria-pressed=\"false\" title=\"{account} {region}: {verdict}\">{label}</button></td>",
                region = escape(region),
                verdict = judgement.verdict.compliance.as_str(),
                account = escape(&result.account.id),
            );
            write_detail(&mut details, &id, &result.account.id, region, judgement);
        }
        page.push_str("</tr>\n");
    }
    page.push_str(
        "</tbody></table>\n<section id=\"detail\" class=\"hidden\" aria-live=\"polite\"></section>\n",
    );
    let _ = write!(
        page,
        "<div class=\"hidden\">{details}</div>\n<script>{SCRIPT}</script></body></html>\n"
    );
    page
}

fn verdict_class(judgement: &RegionVerdict) -> (&'static str, &'static str) {
    match judgement.verdict.compliance {
        Compliance::NonCompliant if judgement.is_unverified() => ("unverified", "UNVERIFIED"),
        Compliance::NonCompliant => ("failing", "FAILING"),
        Compliance::Compliant | Compliance::NotApplicable => ("compliant", "OK"),
    }
}

fn write_detail(out: &mut String, id: &str, account: &str, region: &str, judgement: &RegionVerdict) {
    let _ = write!(
        out,
        "<div id=\"{id}\"><h2>{} {} &mdash; {}</h2><p class=\"annotation\">{}</p>",
        escape(account),
        escape(region),
        judgement.verdict.compliance.as_str(),
        escape(judgement.verdict.annotation.as_deref().unwrap_or(""))
    );
    if judgement.findings.is_empty() {
        out.push_str("<p>No findings: recorder recording, deliveries succeeding.</p>");
    }
    for finding in &judgement.findings {
        let _ = write!(
            out,
            "<div class=\"finding\"><strong>{:?}</strong> <code>{}</code> {}",
            finding.severity,
            finding.check.id(),
            escape(&finding.message)
        );
        if !finding.evidence.is_empty() {
            out.push_str("<ul class=\"evidence\">");
            for (key, value) in &finding.evidence {
                let _ = write!(out, "<li><code>{}</code>: {}</li>", escape(key), escape(value));
            }
            out.push_str("</ul>");
        }
        let _ = write!(
            out,
            "<p class=\"fix\">fix: {}</p></div>",
            escape(finding.remediation)
        );
    }
    out.push_str("</div>");
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
    use crate::verdict::{summarize, unjudged};

    #[test]
    fn text_from_aws_is_escaped() {
        let judgement = unjudged(
            "111122223333",
            "us-east-1",
            Finding::new(CheckId::EvidenceUnreadable, "<script>alert(1)</script>"),
        );
        let account = OrgAccount {
            id: "111122223333".to_owned(),
            name: "a&b".to_owned(),
        };
        let result = AccountVerdict::new(account, vec![judgement]);
        let page = html(&[&result], &summarize([&result]));
        assert!(!page.contains("<script>alert"));
        assert!(page.contains("&lt;script&gt;alert(1)"));
        assert!(page.contains("a&amp;b"));
        assert_eq!(page.matches("<script>").count(), 1);
    }
}
