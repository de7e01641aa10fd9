//! `delivery-guard kpi`: configuration log integrity, time to detect and time to repair, from the
//! rule's log lines (a CloudWatch Logs export, `aws logs filter-log-events` output or the function's
//! stdout), as a table, JSON or one self-contained HTML page.

use super::charts::{MAX_TIMELINE_ROWS, histogram, integrity_chart, timeline};
use super::html::escape;
use crate::kpi::{Integrity, Kpis, TimeFigures, UnreadableLine};
use std::fmt::Write as _;

/// Unreadable lines named one by one before "and N more".
const UNREADABLE_NAMED: usize = 10;

/// The KPIs as a table, with the history lines that could not be read.
pub fn table(kpis: &Kpis, unreadable: &[UnreadableLine]) -> String {
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
    if !unreadable.is_empty() {
        let _ = writeln!(out, "\n{}", unreadable_summary(unreadable));
    }
    out
}

/// "3 line(s) could not be read: line 4 (not JSON: ...), ...".
fn unreadable_summary(unreadable: &[UnreadableLine]) -> String {
    let named: Vec<String> = unreadable
        .iter()
        .take(UNREADABLE_NAMED)
        .map(|u| format!("line {} ({})", u.line, u.why))
        .collect();
    let more = unreadable.len().saturating_sub(UNREADABLE_NAMED);
    let mut text = format!(
        "{} line(s) could not be read and are not counted: {}",
        unreadable.len(),
        named.join(", ")
    );
    if more > 0 {
        let _ = write!(text, " and {more} more");
    }
    text
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

/// A median as a person reads it: minutes under two hours, else hours.
fn duration(value: Option<f64>) -> String {
    match value {
        None => "-".to_owned(),
        Some(m) if m < 120.0 => format!("{m:.0} min"),
        Some(m) => format!("{:.1} h", m / 60.0),
    }
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

/// The KPIs as one self-contained page: integrity over time, the time to detect and to repair as
/// histograms, the incident timeline (inline SVG, no script), then the tables.
///
/// Long on purpose: the page is written top to bottom in the order it is read.
pub fn html(kpis: &Kpis, unreadable: &[UnreadableLine]) -> String {
    let mut page = String::from(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>AWS Config delivery: KPIs</title><style>\
body{font:14px/1.4 system-ui,sans-serif;margin:1.5rem;color:#1b1f24;max-width:62rem}\
h1{font-size:1.3rem;margin:1.4rem 0 .4rem}h2{font-size:1.05rem;margin:1rem 0 .3rem}\
svg{display:block;max-width:100%;height:auto;font-family:system-ui,sans-serif}\
.legend span{margin-right:1rem;font-size:.85rem}.legend b{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;border-radius:2px}\
.figures{display:flex;gap:.6rem;flex-wrap:wrap}.figure{border:1px solid #d0d7de;border-radius:6px;padding:.3rem .8rem}.figure b{display:block;font-size:1.3rem}\
table{border-collapse:collapse;margin:.5rem 0 1.2rem}th,td{border:1px solid #d0d7de;padding:.3rem .6rem;text-align:left}\
th{background:#f6f8fa}td.n{text-align:right}.open{color:#cf222e;font-weight:600}.warning{color:#9a6700}\
</style></head><body>\n<h1>Configuration log integrity</h1>\n",
    );
    let _ = writeln!(
        page,
        "<div class=\"figures\"><div class=\"figure\"><b>{}</b>account-regions healthy now</div>\
<div class=\"figure\"><b>{}</b>median time to detect</div><div class=\"figure\"><b>{}</b>median time to repair</div>\
<div class=\"figure\"><b>{}</b>incidents, {} open</div></div>",
        percent(kpis.integrity.account_region_share),
        duration(kpis.detect.median_minutes),
        duration(kpis.repair.median_minutes),
        kpis.incidents.len(),
        kpis.incidents.iter().filter(|i| i.repaired.is_none()).count()
    );
    if !unreadable.is_empty() {
        let _ = writeln!(
            page,
            "<p class=\"warning\" id=\"unreadable\">{}</p>",
            escape(&unreadable_summary(unreadable))
        );
    }
    page.push_str("<h2>After each run: the Organization and each OU</h2>\n");
    page.push_str(&integrity_chart(&kpis.integrity_over_time));
    let in_minutes = |d: std::time::Duration| d.as_secs_f64() / 60.0;
    let detect: Vec<f64> = kpis
        .incidents
        .iter()
        .map(|i| in_minutes(i.started.age_at(i.detected)))
        .collect();
    let repair: Vec<f64> = kpis
        .incidents
        .iter()
        .filter_map(|i| Some(in_minutes(i.detected.age_at(i.repaired?))))
        .collect();
    page.push_str("\n<h1>Time to detect and to repair</h1>\n<h2>Time to detect (MTTD), from the break to the first failing verdict</h2>\n");
    page.push_str(&histogram("mttd-chart", "time to detect", &detect));
    page.push_str("\n<h2>Time to repair (MTTR), from detection to the first healthy verdict</h2>\n");
    page.push_str(&histogram("mttr-chart", "time to repair", &repair));
    let until = kpis.integrity_over_time.last().map(|p| p.at);
    let _ = write!(
        page,
        "\n<h1>Incidents</h1>\n<p>Each bar runs from the break to the repair (red: still open at the last verdict); the dot is the detection.{}</p>\n",
        if kpis.incidents.len() > MAX_TIMELINE_ROWS {
            format!(
                " The latest {MAX_TIMELINE_ROWS} of {} are drawn; the table lists all.",
                kpis.incidents.len()
            )
        } else {
            String::new()
        }
    );
    if let Some(until) = until {
        page.push_str(&timeline(&kpis.incidents, until));
    }
    page.push_str("\n<h1>The figures</h1>\n");
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
    page.push_str("</table>\n<table id=\"times\"><tr><th>minutes</th><th>count</th><th>mean</th><th>median</th><th>max</th></tr>");
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
    page.push_str("</table>\n<table id=\"incidents\"><tr><th>account</th><th>region</th><th>started</th><th>detected</th><th>repaired</th></tr>");
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
