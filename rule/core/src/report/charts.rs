//! Inline SVG charts for the KPI page: integrity over time, a histogram of durations, the incident
//! timeline. Plain strings, no script: the page's Content-Security-Policy forbids any.

use crate::kpi::{Incident, IntegrityPoint};
use crate::report::html::escape;
use crate::timestamp::Timestamp;
use std::fmt::Write;

const WIDTH: f64 = 760.0;
const LEFT: f64 = 48.0;
const RIGHT: f64 = 16.0;
/// Distinct, colour-blind-safe line colours (Okabe-Ito) for the OUs; the Organization's is black.
const COLOURS: [&str; 7] = [
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
];
/// OUs drawn as lines; more would be noise (the table lists every one).
const MAX_OU_LINES: usize = 7;
/// Incidents drawn on the timeline (the latest); the table lists every one.
pub const MAX_TIMELINE_ROWS: usize = 60;
/// Duration buckets, in minutes, with their labels.
const BUCKETS: [(f64, &str); 7] = [
    (5.0, "< 5 min"),
    (15.0, "5-15 min"),
    (60.0, "15-60 min"),
    (180.0, "1-3 h"),
    (720.0, "3-12 h"),
    (1440.0, "12-24 h"),
    (f64::INFINITY, "> 1 day"),
];

/// Integrity (share of account-regions healthy) after each run: the Organization and each OU.
pub fn integrity_chart(points: &[IntegrityPoint]) -> String {
    let height = 240.0;
    let (top, bottom) = (12.0, 36.0);
    let (Some(first), Some(last)) = (points.first(), points.last()) else {
        return "<p>No verdicts yet.</p>".to_owned();
    };
    let span = (last.at.epoch_millis() - first.at.epoch_millis()).max(1) as f64;
    let x = |at: Timestamp| {
        LEFT + (at.epoch_millis() - first.at.epoch_millis()) as f64 / span * (WIDTH - LEFT - RIGHT)
    };
    let y = |share: f64| top + (1.0 - share) * (height - top - bottom);
    let mut svg = format!(
        "<svg id=\"integrity-chart\" role=\"img\" viewBox=\"0 0 {WIDTH} {height}\" width=\"{WIDTH}\" height=\"{height}\" \
aria-label=\"share of account-regions healthy after each run, from {} to {}\"><title>Configuration log integrity over time</title>",
        first.at, last.at
    );
    for share in [0.0, 0.5, 1.0] {
        let _ = write!(
            svg,
            "<line x1=\"{LEFT}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#d0d7de\"/><text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\" font-size=\"11\">{}%</text>",
            WIDTH - RIGHT,
            LEFT - 6.0,
            y(share) + 4.0,
            share * 100.0,
            y = y(share)
        );
    }
    let _ = write!(
        svg,
        "<text x=\"{LEFT}\" y=\"{}\" font-size=\"11\">{}</text><text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"end\">{}</text>",
        height - 8.0,
        first.at,
        WIDTH - RIGHT,
        height - 8.0,
        last.at
    );
    let mut ous: Vec<&String> = points.iter().flat_map(|p| p.per_ou.keys()).collect();
    ous.sort();
    ous.dedup();
    let mut legend =
        String::from("<p class=\"legend\"><span><b style=\"background:#1b1f24\"></b>Organization</span>");
    for (ou, colour) in ous.iter().take(MAX_OU_LINES).zip(COLOURS) {
        let line: Vec<String> = points
            .iter()
            .filter_map(|p| Some(format!("{:.1},{:.1}", x(p.at), y(*p.per_ou.get(*ou)?))))
            .collect();
        let _ = write!(
            svg,
            "<polyline class=\"ou\" data-ou=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.5\" points=\"{}\"><title>{}</title></polyline>",
            escape(ou),
            line.join(" "),
            escape(ou)
        );
        let _ = write!(
            legend,
            "<span><b style=\"background:{colour}\"></b>{}</span>",
            escape(ou)
        );
    }
    if ous.len() > MAX_OU_LINES {
        let _ = write!(
            legend,
            "<span>{} more OUs in the table</span>",
            ous.len() - MAX_OU_LINES
        );
    }
    let organization: Vec<String> = points
        .iter()
        .map(|p| format!("{:.1},{:.1}", x(p.at), y(p.share)))
        .collect();
    let _ = write!(
        svg,
        "<polyline id=\"organization\" fill=\"none\" stroke=\"#1b1f24\" stroke-width=\"2.5\" points=\"{}\"><title>Organization</title></polyline>",
        organization.join(" ")
    );
    for p in points {
        let _ = write!(
            svg,
            "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"2.5\" fill=\"#1b1f24\"><title>{}: {:.1}% healthy</title></circle>",
            x(p.at),
            y(p.share),
            p.at,
            p.share * 100.0
        );
    }
    svg.push_str("</svg>");
    legend.push_str("</p>");
    svg + &legend
}

/// How many durations fall in each bucket, as bars.
pub fn histogram(id: &str, title: &str, minutes: &[f64]) -> String {
    let height = 200.0;
    let (top, bottom) = (16.0, 40.0);
    let mut counts = [0usize; BUCKETS.len()];
    for m in minutes {
        let bucket = BUCKETS
            .iter()
            .position(|(upper, _)| m < upper)
            .unwrap_or(BUCKETS.len() - 1);
        if let Some(count) = counts.get_mut(bucket) {
            *count += 1;
        }
    }
    let most = counts.iter().copied().max().unwrap_or(0).max(1) as f64;
    let slot = (WIDTH - LEFT - RIGHT) / BUCKETS.len() as f64;
    let mut svg = format!(
        "<svg id=\"{id}\" role=\"img\" viewBox=\"0 0 {WIDTH} {height}\" width=\"{WIDTH}\" height=\"{height}\" aria-label=\"{}: {} incident(s) by duration\"><title>{}</title>",
        escape(title),
        minutes.len(),
        escape(title)
    );
    for (i, ((_, label), count)) in BUCKETS.iter().zip(counts).enumerate() {
        let bar = count as f64 / most * (height - top - bottom);
        let left = LEFT + i as f64 * slot;
        let _ = write!(
            svg,
            "<rect class=\"bar\" data-count=\"{count}\" x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{bar:.1}\" fill=\"#0969da\"><title>{label}: {count}</title></rect>\
<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"middle\">{count}</text>\
<text x=\"{:.1}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\">{label}</text>",
            left + 6.0,
            height - bottom - bar,
            slot - 12.0,
            left + slot / 2.0,
            height - bottom - bar - 4.0,
            left + slot / 2.0,
            height - bottom + 16.0
        );
    }
    svg.push_str("</svg>");
    svg
}

/// Each incident as a bar from its start to its repair (or `until`, still open), detection marked.
pub fn timeline(incidents: &[Incident], until: Timestamp) -> String {
    if incidents.is_empty() {
        return "<p>No incidents.</p>".to_owned();
    }
    let shown: Vec<&Incident> = incidents.iter().rev().take(MAX_TIMELINE_ROWS).rev().collect();
    let label_width = 210.0;
    let row = 16.0;
    let height = shown.len() as f64 * row + 36.0;
    let start = shown.iter().map(|i| i.started).min().unwrap_or(until);
    let end = shown
        .iter()
        .map(|i| i.repaired.unwrap_or(until))
        .max()
        .unwrap_or(until)
        .max(until);
    let span = (end.epoch_millis() - start.epoch_millis()).max(1) as f64;
    let x = |at: Timestamp| {
        label_width + (at.epoch_millis() - start.epoch_millis()) as f64 / span * (WIDTH - label_width - RIGHT)
    };
    let mut svg = format!(
        "<svg id=\"timeline\" role=\"img\" viewBox=\"0 0 {WIDTH} {height}\" width=\"{WIDTH}\" height=\"{height}\" aria-label=\"{} incident(s) from {start} to {end}\"><title>Incident timeline</title>",
        shown.len()
    );
    for (n, incident) in shown.iter().enumerate() {
        let top = n as f64 * row + 4.0;
        let stop = incident.repaired.unwrap_or(until);
        let (colour, state) = if incident.repaired.is_some() {
            ("#1a7f37", "repaired")
        } else {
            ("#cf222e", "open")
        };
        let _ = write!(
            svg,
            "<text x=\"0\" y=\"{:.1}\" font-size=\"11\">{} {}</text>\
<rect class=\"incident {state}\" x=\"{:.1}\" y=\"{top:.1}\" width=\"{:.1}\" height=\"{}\" fill=\"{colour}\" opacity=\".75\">\
<title>{} {}: started {} ({}), detected {}, {state}{}</title></rect>\
<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3.5\" fill=\"#1b1f24\"><title>detected {}</title></circle>",
            top + 10.0,
            escape(&incident.account_id),
            escape(&incident.region),
            x(incident.started),
            (x(stop) - x(incident.started)).max(2.0),
            row - 5.0,
            escape(&incident.account_id),
            escape(&incident.region),
            incident.started,
            if incident.start_is_exact {
                "its CloudTrail call"
            } else {
                "last healthy verdict"
            },
            incident.detected,
            incident.repaired.map(|r| format!(" {r}")).unwrap_or_default(),
            x(incident.detected),
            top + (row - 5.0) / 2.0,
            incident.detected
        );
    }
    let _ = write!(
        svg,
        "<text x=\"{label_width}\" y=\"{}\" font-size=\"11\">{start}</text><text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"end\">{end}</text></svg>",
        height - 8.0,
        WIDTH - RIGHT,
        height - 8.0
    );
    svg
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn every_duration_lands_in_one_bar() {
        let svg = histogram("mttd", "time to detect", &[1.0, 4.9, 5.0, 59.0, 60.0, 2000.0]);
        let counts: Vec<&str> = svg
            .split("data-count=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next())
            .collect();
        assert_eq!(counts, ["2", "1", "1", "1", "0", "0", "1"]);
    }

    #[test]
    fn the_integrity_line_has_a_point_per_run_and_ou_text_is_escaped() {
        let point = |minute: i64, share: f64| IntegrityPoint {
            at: Timestamp::from_epoch_millis(minute * 60_000),
            share,
            per_ou: BTreeMap::from([("<ou>".to_owned(), share)]),
        };
        let svg = integrity_chart(&[point(0, 1.0), point(60, 0.5), point(120, 1.0)]);
        let organization = svg.split("id=\"organization\"").nth(1).unwrap_or_default();
        let points = organization
            .split("points=\"")
            .nth(1)
            .and_then(|p| p.split('"').next())
            .unwrap_or_default();
        assert_eq!(points.split(' ').count(), 3);
        assert!(svg.contains("&lt;ou&gt;") && !svg.contains("<ou>"));
    }

    #[test]
    fn an_open_incident_runs_to_the_last_verdict() {
        let incident = Incident {
            account_id: "111111111111".to_owned(),
            region: "us-east-1".to_owned(),
            started: Timestamp::from_epoch_millis(0),
            start_is_exact: true,
            detected: Timestamp::from_epoch_millis(60_000),
            repaired: None,
        };
        let svg = timeline(&[incident], Timestamp::from_epoch_millis(600_000));
        assert!(svg.contains("class=\"incident open\""));
        assert!(svg.contains("its CloudTrail call"));
    }
}
