//! `delivery-guard kpi`: configuration log integrity, time to detect and time to repair, from the
//! rule's log lines (a CloudWatch Logs export, `aws logs filter-log-events` output or the function's
//! stdout), as a table, JSON or one self-contained HTML page.

use super::html::escape;
use crate::kpi::{Integrity, Kpis, TimeFigures};
use std::fmt::Write as _;

/// The KPIs as a table, with the history lines that could not be read.
pub fn table(kpis: &Kpis, skipped_lines: usize) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "configuration log integrity (latest verdict of each account-region)"
    );
    let _ = writeln!(out, "  {:<24} {:>18} {:>22}", "", "accounts", "account-regions");
    let _ = writeln!(out, "  {}", integrity_row("all", &kpis.integrity));
    for (ou, integrity) in &kpis.per_ou {
        let _ = writeln!(out, "  {}", integrity_row(ou, integrity));
    }
    let _ = writeln!(
        out,
        "\n{:<34} {:>6} {:>10} {:>10} {:>10}",
        "minutes", "count", "mean", "median", "max"
    );
    let _ = writeln!(out, "{}", time_row("to detect (MTTD)", &kpis.detect));
    let _ = writeln!(out, "{}", time_row("to repair (MTTR)", &kpis.repair));
    let exact = kpis.incidents.iter().filter(|i| i.start_is_exact).count();
    let _ = writeln!(
        out,
        "\n{} incident(s); {exact} start at their CloudTrail call, the others at the last healthy verdict \
         before them (so their time to detect is an upper bound); {} still open",
        kpis.incidents.len(),
        kpis.incidents.iter().filter(|i| i.repaired.is_none()).count()
    );
    if skipped_lines > 0 {
        let _ = writeln!(out, "{skipped_lines} line(s) were not verdicts and were skipped");
    }
    out
}

fn integrity_row(name: &str, i: &Integrity) -> String {
    format!(
        "{:<24} {:>18} {:>22}",
        name,
        format!(
            "{}/{} {}",
            i.healthy_accounts,
            i.accounts,
            percent(i.account_share)
        ),
        format!(
            "{}/{} {}",
            i.healthy_account_regions,
            i.account_regions,
            percent(i.account_region_share)
        )
    )
}

fn percent(share: Option<f64>) -> String {
    share.map_or_else(|| "-".to_owned(), |s| format!("{:.1}%", s * 100.0))
}

fn minutes(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_owned(), |m| format!("{m:.1}"))
}

fn time_row(name: &str, t: &TimeFigures) -> String {
    format!(
        "{:<34} {:>6} {:>10} {:>10} {:>10}",
        name,
        t.count,
        minutes(t.mean_minutes),
        minutes(t.median_minutes),
        minutes(t.max_minutes)
    )
}

/// The KPIs as one self-contained page.
///
/// Long on purpose: the page is written top to bottom in the order it is read.
pub fn html(kpis: &Kpis) -> String {
    let mut page = String::from(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>AWS Config delivery: KPIs</title><style>\
body{font:14px/1.4 system-ui,sans-serif;margin:1.5rem;color:#1b1f24}\
table{border-collapse:collapse;margin:.5rem 0 1.2rem}th,td{border:1px solid #d0d7de;padding:.3rem .6rem;text-align:left}\
th{background:#f6f8fa}td.n{text-align:right}.open{color:#cf222e;font-weight:600}\
</style></head><body>\n<h1>Configuration log integrity</h1>\n",
    );
    page.push_str("<table id=\"integrity\"><tr><th>OU</th><th>healthy accounts</th><th>healthy account-regions</th></tr>");
    let rows = std::iter::once(("all".to_owned(), &kpis.integrity))
        .chain(kpis.per_ou.iter().map(|(k, v)| (k.clone(), v)));
    for (name, i) in rows {
        let _ = write!(
            page,
            "<tr><td>{}</td><td class=\"n\">{}/{} ({})</td><td class=\"n\">{}/{} ({})</td></tr>",
            escape(&name),
            i.healthy_accounts,
            i.accounts,
            percent(i.account_share),
            i.healthy_account_regions,
            i.account_regions,
            percent(i.account_region_share)
        );
    }
    page.push_str("</table>\n<h1>Time to detect and to repair</h1>\n<table id=\"times\"><tr><th>minutes</th><th>count</th><th>mean</th><th>median</th><th>max</th></tr>");
    for (name, t) in [
        ("to detect (MTTD)", &kpis.detect),
        ("to repair (MTTR)", &kpis.repair),
    ] {
        let _ = write!(
            page,
            "<tr><td>{name}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            t.count,
            minutes(t.mean_minutes),
            minutes(t.median_minutes),
            minutes(t.max_minutes)
        );
    }
    page.push_str("</table>\n<h1>Incidents</h1>\n<table id=\"incidents\"><tr><th>account</th><th>region</th><th>started</th><th>detected</th><th>repaired</th></tr>");
    for i in &kpis.incidents {
        let repaired = i.repaired.map_or_else(
            || "<span class=\"open\">open</span>".to_owned(),
            |r| r.to_string(),
        );
        let _ = write!(
            page,
            "<tr><td>{}</td><td>{}</td><td>{}{}</td><td>{}</td><td>{repaired}</td></tr>",
            escape(&i.account_id),
            escape(&i.region),
            i.started,
            if i.start_is_exact {
                " (CloudTrail)"
            } else {
                " (last healthy verdict)"
            },
            i.detected
        );
    }
    page.push_str("</table>\n</body></html>\n");
    page
}
