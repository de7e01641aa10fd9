//! The seed's KPIs from the rule's own evaluation history (its JSON log lines): configuration log
//! integrity (the share of accounts and account-regions with a healthy pipeline, per OU), mean time
//! to detect (from the break to the first failing verdict) and mean time to repair (from detection
//! to the first healthy verdict). Pure: lines in, figures out.

use crate::timestamp::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::time::Duration;

/// One account-region judged at one time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observation {
    /// The account judged.
    pub account_id: String,
    /// The Region judged.
    pub region: String,
    /// When it was judged.
    pub at: Timestamp,
    /// Its verdict was COMPLIANT.
    pub healthy: bool,
}

/// A breaking call CloudTrail saw: the exact start of an incident the event path found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BreakingCall {
    /// The account the call was made in.
    pub account_id: String,
    /// The Region the call was made in.
    pub region: String,
    /// When the call was made.
    pub at: Timestamp,
}

/// What the rule's log lines say, in time order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    /// Every verdict.
    pub observations: Vec<Observation>,
    /// Every breaking call the event path saw.
    pub calls: Vec<BreakingCall>,
    /// The rule's other log lines (sweeps, events, errors): not verdicts, counted.
    pub other_lines: usize,
    /// Lines that could not be read, by number and why: counted and named, never fatal.
    pub unreadable: Vec<UnreadableLine>,
}

/// A history line that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnreadableLine {
    /// Its line number, from 1.
    pub line: usize,
    /// Why.
    pub why: String,
}

#[derive(Deserialize)]
struct JudgementLine {
    account_id: String,
    region: String,
    observed_at: Timestamp,
    compliance: String,
}

/// Reads the log lines the rule writes: `verdict` (one account-region), `account-verdict` (the
/// watchdog's accounts with their regions) and `tamper-verdict` (the event path, with the call's
/// time). CloudWatch Logs exports may prefix a line with its timestamp: the JSON object is taken
/// from the first `{`.
pub fn read_history(text: &str) -> History {
    let mut history = History::default();
    for (number, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let unreadable = |why: String| UnreadableLine {
            line: number + 1,
            why,
        };
        let parsed = match line.find('{').and_then(|start| line.get(start..)) {
            None => Err("no JSON object".to_owned()),
            Some(json) => serde_json::from_str::<Value>(json).map_err(|e| format!("not JSON: {e}")),
        };
        let value = match parsed {
            Ok(value) => value,
            Err(why) => {
                history.unreadable.push(unreadable(why));
                continue;
            }
        };
        // EventBridge deliveries and log lines both work: look inside `detail` when present.
        let value = value.get("detail").cloned().unwrap_or(value);
        let judgements: Vec<&Value> = match value.get("event").and_then(Value::as_str) {
            Some("verdict") => vec![&value],
            Some("account-verdict") => value
                .get("regions")
                .and_then(Value::as_array)
                .map(|r| r.iter().collect())
                .unwrap_or_default(),
            Some("tamper-verdict") => {
                if let Some(call) = breaking_call(&value) {
                    history.calls.push(call);
                }
                value
                    .get("judgements")
                    .and_then(Value::as_array)
                    .map(|r| r.iter().collect())
                    .unwrap_or_default()
            }
            _ => {
                history.other_lines += 1;
                continue;
            }
        };
        // A Config-invoked run's verdicts are dated by the run's trigger time (Config's clock, what
        // the evaluation's OrderingTimestamp says); the event path's by when it observed.
        let run_at = value
            .get("run_at")
            .and_then(Value::as_str)
            .and_then(|t| Timestamp::parse_rfc3339(t).ok());
        for judgement in judgements {
            match JudgementLine::deserialize(judgement) {
                Ok(j) => history.observations.push(Observation {
                    account_id: j.account_id,
                    region: j.region,
                    at: run_at.unwrap_or(j.observed_at),
                    healthy: j.compliance == "COMPLIANT",
                }),
                Err(e) => history
                    .unreadable
                    .push(unreadable(format!("a verdict without its fields: {e}"))),
            }
        }
    }
    history
}

fn breaking_call(value: &Value) -> Option<BreakingCall> {
    let event = value.get("call")?;
    let text = |name: &str| event.get(name).and_then(Value::as_str);
    if event.get("error_code").is_some() {
        return None;
    }
    Some(BreakingCall {
        account_id: text("account_id")?.to_owned(),
        region: text("region")?.to_owned(),
        at: Timestamp::parse_rfc3339(text("event_time")?).ok()?,
    })
}

/// The KPIs of a history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Kpis {
    /// The latest verdicts across the Organization.
    pub integrity: Integrity,
    /// The same, per OU.
    pub per_ou: BTreeMap<String, Integrity>,
    /// Integrity after each run, for the chart.
    pub integrity_over_time: Vec<IntegrityPoint>,
    /// Time to detect.
    pub detect: TimeFigures,
    /// Time to repair.
    pub repair: TimeFigures,
    /// Every break, with its start, detection and repair.
    pub incidents: Vec<Incident>,
}

/// The share of account-regions whose latest verdict was healthy, just after one time.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IntegrityPoint {
    /// When.
    pub at: Timestamp,
    /// Across the Organization, 0 to 1.
    pub share: f64,
    /// Per OU.
    pub per_ou: BTreeMap<String, f64>,
}

/// The share of accounts and account-regions whose latest verdict is healthy.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Integrity {
    /// Accounts seen.
    pub accounts: usize,
    /// Accounts whose every latest verdict is healthy.
    pub healthy_accounts: usize,
    /// Account-regions seen.
    pub account_regions: usize,
    /// Account-regions whose latest verdict is healthy.
    pub healthy_account_regions: usize,
    /// Shares from 0 to 1 (None with nothing observed).
    pub account_share: Option<f64>,
    /// Their share; None when none was seen.
    pub account_region_share: Option<f64>,
}

/// Durations summarised.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TimeFigures {
    /// How many.
    pub count: usize,
    /// The mean, in minutes.
    pub mean_minutes: Option<f64>,
    /// The median, in minutes.
    pub median_minutes: Option<f64>,
    /// The longest, in minutes.
    pub max_minutes: Option<f64>,
}

/// One break of one account-region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Incident {
    /// The account.
    pub account_id: String,
    /// The Region.
    pub region: String,
    /// The breaking call's time (exact), or the last healthy verdict before it (an upper bound of
    /// the time to detect).
    pub started: Timestamp,
    /// The start is the breaking call's time, not the last healthy verdict's.
    pub start_is_exact: bool,
    /// When the first failing verdict was seen.
    pub detected: Timestamp,
    /// None: still open at the last verdict.
    pub repaired: Option<Timestamp>,
}

/// Where accounts missing from the OU map are counted.
const NO_OU: &str = "(no OU given)";

/// `ous`: account ID to OU name; accounts not in it count under "(no OU given)".
pub fn compute(history: &History, ous: &BTreeMap<String, String>) -> Kpis {
    let mut series: BTreeMap<(&str, &str), Vec<&Observation>> = BTreeMap::new();
    for o in &history.observations {
        series.entry((&o.account_id, &o.region)).or_default().push(o);
    }
    let mut incidents = Vec::new();
    let mut latest: BTreeMap<(&str, &str), bool> = BTreeMap::new();
    for (&(account, region), observations) in &mut series {
        observations.sort_by_key(|o| o.at);
        let mut last_healthy: Option<Timestamp> = None;
        let mut open: Option<Incident> = None;
        for o in observations.iter() {
            match (o.healthy, open.take()) {
                (true, Some(mut incident)) => {
                    incident.repaired = Some(o.at);
                    incidents.push(incident);
                    last_healthy = Some(o.at);
                }
                (true, None) => last_healthy = Some(o.at),
                (false, Some(incident)) => open = Some(incident),
                (false, None) => {
                    let call = history
                        .calls
                        .iter()
                        .filter(|c| c.account_id == account && c.region == region && c.at <= o.at)
                        .filter(|c| last_healthy.is_none_or(|h| c.at >= h))
                        .map(|c| c.at)
                        .min();
                    // Without a call and without a healthy verdict before, the start is unknown.
                    if let Some(started) = call.or(last_healthy) {
                        open = Some(Incident {
                            account_id: account.to_owned(),
                            region: region.to_owned(),
                            started,
                            start_is_exact: call.is_some(),
                            detected: o.at,
                            repaired: None,
                        });
                    }
                }
            }
        }
        incidents.extend(open);
        if let Some(last) = observations.last() {
            latest.insert((account, region), last.healthy);
        }
    }
    incidents
        .sort_by(|a, b| (a.detected, &a.account_id, &a.region).cmp(&(b.detected, &b.account_id, &b.region)));
    let overall = integrity(latest.iter().map(|(&(a, _), &h)| (a, h)));
    let mut per_ou: BTreeMap<String, Vec<(&str, bool)>> = BTreeMap::new();
    for (&(account, _), &healthy) in &latest {
        let ou = ous.get(account).cloned().unwrap_or_else(|| NO_OU.to_owned());
        per_ou.entry(ou).or_default().push((account, healthy));
    }
    Kpis {
        integrity_over_time: integrity_over_time(&history.observations, ous),
        integrity: overall,
        per_ou: per_ou
            .into_iter()
            .map(|(ou, rows)| (ou, integrity(rows.into_iter())))
            .collect(),
        detect: figures(incidents.iter().map(|i| i.started.age_at(i.detected))),
        repair: figures(
            incidents
                .iter()
                .filter_map(|i| i.repaired.map(|r| i.detected.age_at(r))),
        ),
        incidents,
    }
}

/// After each distinct time, the healthy share of every account-region's latest verdict so far.
fn integrity_over_time(observations: &[Observation], ous: &BTreeMap<String, String>) -> Vec<IntegrityPoint> {
    let mut ordered: Vec<&Observation> = observations.iter().collect();
    ordered.sort_by_key(|o| o.at);
    let mut latest: BTreeMap<(&str, &str), bool> = BTreeMap::new();
    // (healthy, total) overall and per OU, kept as verdicts arrive.
    let mut overall = (0usize, 0usize);
    let mut per_ou: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut points: Vec<IntegrityPoint> = Vec::new();
    for (index, o) in ordered.iter().enumerate() {
        let ou = ous.get(&o.account_id).map_or(NO_OU, String::as_str);
        let counts = per_ou.entry(ou).or_default();
        match latest.insert((&o.account_id, &o.region), o.healthy) {
            Some(before) => {
                overall.0 = overall.0 + usize::from(o.healthy) - usize::from(before);
                counts.0 = counts.0 + usize::from(o.healthy) - usize::from(before);
            }
            None => {
                overall = (overall.0 + usize::from(o.healthy), overall.1 + 1);
                *counts = (counts.0 + usize::from(o.healthy), counts.1 + 1);
            }
        }
        let last_at_this_time = ordered.get(index + 1).is_none_or(|next| next.at != o.at);
        if last_at_this_time {
            points.push(IntegrityPoint {
                at: o.at,
                share: share(overall.0, overall.1).unwrap_or(0.0),
                per_ou: per_ou
                    .iter()
                    .filter_map(|(ou, (healthy, total))| Some(((*ou).to_owned(), share(*healthy, *total)?)))
                    .collect(),
            });
        }
    }
    points
}

fn integrity<'a>(rows: impl Iterator<Item = (&'a str, bool)>) -> Integrity {
    let mut accounts: BTreeMap<&str, bool> = BTreeMap::new();
    let mut result = Integrity::default();
    for (account, healthy) in rows {
        result.account_regions += 1;
        result.healthy_account_regions += usize::from(healthy);
        let entry = accounts.entry(account).or_insert(true);
        *entry = *entry && healthy;
    }
    result.accounts = accounts.len();
    result.healthy_accounts = accounts.values().filter(|h| **h).count();
    result.account_share = share(result.healthy_accounts, result.accounts);
    result.account_region_share = share(result.healthy_account_regions, result.account_regions);
    result
}

fn share(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

fn figures(durations: impl Iterator<Item = Duration>) -> TimeFigures {
    let mut minutes: Vec<f64> = durations.map(|d| d.as_secs_f64() / 60.0).collect();
    minutes.sort_by(f64::total_cmp);
    let count = minutes.len();
    TimeFigures {
        count,
        mean_minutes: (count > 0).then(|| minutes.iter().sum::<f64>() / count as f64),
        median_minutes: minutes.get(count / 2).copied().filter(|_| count > 0),
        max_minutes: minutes.last().copied(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minute: i64) -> String {
        Timestamp::from_epoch_millis(minute * 60_000).to_string()
    }

    fn account_verdict(account: &str, minute: i64, regions: &[(&str, &str)]) -> String {
        let regions: Vec<Value> = regions
            .iter()
            .map(|(region, compliance)| {
                // Observed a few seconds into the run: the run's time dates the verdict.
                serde_json::json!({"account_id": account, "region": region, "observed_at": at(minute + 1),
                                   "compliance": compliance, "findings": []})
            })
            .collect();
        serde_json::json!({"level": "INFO", "event": "account-verdict", "account_id": account,
                           "run_at": at(minute), "regions": regions})
        .to_string()
    }

    #[test]
    fn an_hourly_history_gives_integrity_detection_and_repair() {
        let mut lines = Vec::new();
        for hour in 0..4 {
            let broken = if (1..3).contains(&hour) {
                "NON_COMPLIANT"
            } else {
                "COMPLIANT"
            };
            lines.push(account_verdict(
                "111111111111",
                hour * 60,
                &[("us-east-1", "COMPLIANT"), ("eu-west-1", broken)],
            ));
            lines.push(account_verdict(
                "222222222222",
                hour * 60,
                &[("us-east-1", "COMPLIANT")],
            ));
        }
        lines.push("2026-11-26T10:00:00Z not json".to_owned());
        let history = read_history(&lines.join("\n"));
        assert_eq!(history.unreadable.len(), 1);
        assert_eq!(
            history.unreadable[0].line,
            lines.len(),
            "named by its line number"
        );
        assert!(
            history.unreadable[0].why.starts_with("no JSON object"),
            "{:?}",
            history.unreadable
        );
        let ous = BTreeMap::from([("111111111111".to_owned(), "prod".to_owned())]);
        let kpis = compute(&history, &ous);
        assert_eq!(kpis.integrity.account_share, Some(1.0));
        assert_eq!(kpis.incidents.len(), 1);
        assert!(!kpis.incidents[0].start_is_exact);
        assert_eq!(
            kpis.detect.max_minutes,
            Some(60.0),
            "bound: the last healthy verdict an hour before"
        );
        assert_eq!(kpis.repair.median_minutes, Some(120.0));
        assert_eq!(kpis.per_ou["prod"].accounts, 1);
        assert_eq!(kpis.per_ou["(no OU given)"].accounts, 1);
        let shares: Vec<f64> = kpis.integrity_over_time.iter().map(|p| p.share).collect();
        assert_eq!(
            shares,
            [1.0, 2.0 / 3.0, 2.0 / 3.0, 1.0],
            "one point per run, eu-west-1 broken in runs 2 and 3"
        );
        assert_eq!(kpis.integrity_over_time[1].per_ou["prod"], 0.5);
        assert_eq!(kpis.integrity_over_time[1].per_ou["(no OU given)"], 1.0);
    }

    #[test]
    fn a_breaking_call_gives_the_exact_start() {
        let tamper = serde_json::json!({
            "level": "INFO", "event": "tamper-verdict",
            "call": {"account_id": "111111111111", "region": "us-east-1", "event_time": at(10),
                     "event_source": "config.amazonaws.com", "event_name": "StopConfigurationRecorder"},
            "judgements": [{"account_id": "111111111111", "region": "us-east-1", "observed_at": at(13),
                            "compliance": "NON_COMPLIANT", "findings": []}],
        });
        let lines = [
            account_verdict("111111111111", 0, &[("us-east-1", "COMPLIANT")]),
            tamper.to_string(),
        ];
        let history = read_history(&lines.join("\n"));
        assert_eq!(history.observations.len(), 2);
        assert_eq!(history.calls.len(), 1);
        let kpis = compute(&history, &BTreeMap::new());
        assert!(kpis.incidents[0].start_is_exact);
        assert_eq!(kpis.detect.max_minutes, Some(3.0));
        assert_eq!(kpis.repair.count, 0, "still open");
        assert_eq!(kpis.integrity.healthy_account_regions, 0);
    }

    #[test]
    fn an_empty_history_has_no_figures() {
        let kpis = compute(&read_history(""), &BTreeMap::new());
        assert_eq!(kpis.integrity.account_share, None);
        assert_eq!(kpis.detect.mean_minutes, None);
    }
}
