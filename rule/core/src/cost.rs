//! The monthly cost of a deployment: AWS Config rule evaluations by tier, Lambda, CloudWatch Logs,
//! EventBridge and the S3/KMS reads of the probes, from a price file (`rule/data/aws-prices.json`).
//! Pure: the inputs are numbers, the output is numbers; `delivery-guard cost` prints them.

use crate::parameters::Mode;
use serde::{Deserialize, Serialize};

/// AWS bills by the month; its calculators use 730 hours.
pub const HOURS_PER_MONTH: f64 = 730.0;
/// The public prices this build was made with.
pub const BUILTIN_PRICES: &str = include_str!("../data/aws-prices.json");

/// AWS prices, with their sources and the date they were read (`core/data/aws-prices.json`).
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Prices {
    /// The Region the prices are for.
    pub region: String,
    /// When they were read.
    pub retrieved: String,
    /// Config rule evaluations, by volume tier.
    pub config_rule_evaluations: EvaluationPrices,
    /// Lambda compute and requests.
    pub lambda: LambdaPrices,
    /// CloudWatch Logs ingestion.
    pub cloudwatch_logs: LogsPrices,
    /// EventBridge custom events.
    pub eventbridge: EventPrices,
    /// S3 GET-class requests.
    pub s3_requests: S3Prices,
    /// KMS requests.
    pub kms_requests: KmsPrices,
}

/// Config rule evaluations.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct EvaluationPrices {
    /// Where the price was read.
    pub source: String,
    /// Tiers in ascending order.
    pub tiers: Vec<Tier>,
}

/// One volume tier.
#[derive(Debug, Clone, Copy, Deserialize, Serialize)]
pub struct Tier {
    /// Evaluations a month up to which this price holds; None: every one beyond.
    pub up_to: Option<u64>,
    /// USD per evaluation in this tier.
    pub per_evaluation: f64,
}

/// Lambda prices.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct LambdaPrices {
    /// Where the price was read.
    pub source: String,
    /// USD per GB-second, by architecture.
    pub per_gb_second: ArchitecturePrices,
    /// USD per million requests.
    pub per_million_requests: f64,
}

/// A price per architecture.
#[derive(Debug, Clone, Copy, Deserialize, Serialize)]
pub struct ArchitecturePrices {
    /// x86_64.
    pub x86_64: f64,
    /// arm64 (Graviton).
    pub arm64: f64,
}

/// CloudWatch Logs prices.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct LogsPrices {
    /// Where the price was read.
    pub source: String,
    /// USD per GB ingested.
    pub per_gb_ingested: f64,
}

/// EventBridge prices.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct EventPrices {
    /// Where the price was read.
    pub source: String,
    /// USD per million custom events.
    pub per_million_events: f64,
}

/// S3 request prices.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct S3Prices {
    /// Where the price was read.
    pub source: String,
    /// USD per thousand GET-class requests.
    pub per_thousand_reads: f64,
}

/// KMS request prices.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct KmsPrices {
    /// Where the price was read.
    pub source: String,
    /// USD per ten thousand requests.
    pub per_ten_thousand: f64,
}

/// A price file that cannot be used; the message says what is missing or malformed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct PriceFileError(String);

/// Reads a price file; an error names what is missing or malformed.
pub fn parse_prices(text: &str) -> Result<Prices, PriceFileError> {
    read_prices(text).map_err(PriceFileError)
}

/// Reads a price file; an error names what is missing or malformed.
fn read_prices(text: &str) -> Result<Prices, String> {
    let prices: Prices = serde_json::from_str(text).map_err(|e| format!("not a price file: {e}"))?;
    let tiers = &prices.config_rule_evaluations.tiers;
    let bounded = tiers.iter().take(tiers.len().saturating_sub(1));
    if tiers.is_empty()
        || bounded.clone().any(|t| t.up_to.is_none())
        || tiers.last().is_some_and(|t| t.up_to.is_some())
    {
        return Err("config_rule_evaluations.tiers must end with one tier whose up_to is null".to_owned());
    }
    if bounded
        .clone()
        .zip(bounded.skip(1))
        .any(|(a, b)| a.up_to >= b.up_to)
    {
        return Err("config_rule_evaluations.tiers must rise".to_owned());
    }
    Ok(prices)
}

/// The Lambda's architecture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Architecture {
    /// x86_64.
    X86_64,
    /// arm64 (Graviton).
    Arm64,
}

/// How results reach Config.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reporting {
    /// Every run reports every resource.
    Full,
    /// Only changes, plus each resource again once per refresh interval.
    Delta,
}

/// How volume tiers are counted. AWS prices rule evaluations "per Region"; consolidated billing
/// usually pools an Organization's usage, but per account is the cautious reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TierScope {
    /// Every evaluation of the Organization shares one set of tiers (the most optimistic reading).
    Organization,
    /// The Organization's evaluations in one Region share the tiers.
    OrganizationRegion,
    /// Each account-region climbs the tiers alone (every account-region pays the first tier).
    AccountRegion,
}

/// What is deployed and what one evaluation costs in time and memory (measured: docs/cost.md).
#[derive(Debug, Clone, Serialize)]
pub struct Deployment {
    /// Accounts in the Organization.
    pub accounts: u64,
    /// Regions judged in each account.
    pub regions: u64,
    /// Hours between periodic runs.
    pub frequency_hours: u32,
    /// Delta reporting's refresh interval, in hours.
    pub refresh_hours: u32,
    /// The Lambda's architecture.
    pub architecture: Architecture,
    /// Lambda duration of one account-region check (account and organization modes, events).
    pub check_ms: f64,
    /// Memory of a per-account-region check, MB.
    pub check_memory_mb: u32,
    /// Watchdog: the sweep's Lambda duration per account-region judged (concurrency included).
    pub sweep_ms_per_account_region: f64,
    /// Memory of a watchdog sweep, MB.
    pub sweep_memory_mb: u32,
    /// CloudWatch Logs bytes written per account-region judged.
    pub log_bytes_per_check: f64,
    /// Verdict changes a month across the fleet (breaks and repairs).
    pub changes_per_month: f64,
    /// CloudTrail events a month that match the event-driven pattern, across the fleet.
    pub tamper_events_per_month: f64,
    /// Of those, the calls that concern every account (an SCP, the log archive's bucket or key):
    /// each asks Config for a full run.
    pub organization_events_per_month: f64,
    /// S3 and KMS reads per account-region judged (HeadBucket, GetBucketPolicy,
    /// GetObjectLockConfiguration, GetBucketEncryption; DescribeKey, GetKeyPolicy).
    pub s3_reads_per_check: f64,
    /// KMS requests per account-region judged.
    pub kms_requests_per_check: f64,
    /// Watchdog with LogArchiveReadRoleArn: the log archive's bucket and key are read once per
    /// sweep and Region, not once per account-region.
    pub log_archive_read_once: bool,
    /// How volume tiers are counted.
    pub tiers: TierScope,
}

/// The monthly cost of one mode and reporting style, with the volumes behind it.
#[derive(Debug, Clone, Serialize)]
pub struct Estimate {
    /// The deployment mode.
    pub mode: Mode,
    /// Full or delta reporting.
    pub reporting: Reporting,
    /// Config rule evaluations recorded a month.
    pub evaluations: f64,
    /// Lambda invocations a month.
    pub lambda_invocations: f64,
    /// Lambda GB-seconds a month.
    pub lambda_gb_seconds: f64,
    /// CloudWatch Logs GB ingested a month.
    pub log_gb: f64,
    /// EventBridge events a month.
    pub events: f64,
    /// S3 reads a month.
    pub s3_reads: f64,
    /// KMS requests a month.
    pub kms_requests: f64,
    /// USD a month for Config evaluations.
    pub config_usd: f64,
    /// USD a month for Lambda.
    pub lambda_usd: f64,
    /// USD a month for CloudWatch Logs.
    pub logs_usd: f64,
    /// USD a month for EventBridge.
    pub events_usd: f64,
    /// USD a month for S3 and KMS reads.
    pub reads_usd: f64,
    /// The month's total in USD.
    pub total_usd: f64,
}

/// The price of `count` evaluations recorded in one tier scope.
pub fn tiered(tiers: &[Tier], count: f64) -> f64 {
    let mut left = count.max(0.0);
    let mut floor = 0.0;
    let mut usd = 0.0;
    for tier in tiers {
        let width = tier.up_to.map_or(f64::INFINITY, |up| up as f64 - floor);
        let here = left.min(width);
        usd += here * tier.per_evaluation;
        left -= here;
        floor += width;
        if left <= 0.0 {
            break;
        }
    }
    usd
}

/// The monthly cost of one mode with one reporting style.
///
/// Long on purpose: the volumes of each mode and reporting style, then their prices, written out
/// as docs/cost.md derives them so that the two can be read side by side.
pub fn estimate(prices: &Prices, d: &Deployment, mode: Mode, reporting: Reporting) -> Estimate {
    let account_regions = (d.accounts * d.regions) as f64;
    let runs = HOURS_PER_MONTH / f64::from(d.frequency_hours.max(1));
    // How often each resource is recorded: every run, or once per refresh interval.
    let reports_per_resource = match reporting {
        Reporting::Full => runs,
        Reporting::Delta => HOURS_PER_MONTH / f64::from(d.refresh_hours.max(d.frequency_hours).max(1)),
    };
    let changes = d.changes_per_month;
    let tiers = &prices.config_rule_evaluations.tiers;
    let (evaluations, config_usd) = match (mode, d.tiers) {
        // One evaluation per account, all in the audit account's home Region.
        (Mode::Watchdog, _) => {
            let count = d.accounts as f64 * reports_per_resource + changes;
            (count, tiered(tiers, count))
        }
        (_, TierScope::Organization) => {
            let count = account_regions * reports_per_resource + changes;
            (count, tiered(tiers, count))
        }
        (_, TierScope::OrganizationRegion) => {
            let per_region = d.accounts as f64 * reports_per_resource + changes / d.regions.max(1) as f64;
            (
                per_region * d.regions as f64,
                tiered(tiers, per_region) * d.regions as f64,
            )
        }
        (_, TierScope::AccountRegion) => {
            let each = reports_per_resource + changes / account_regions.max(1.0);
            (each * account_regions, tiered(tiers, each) * account_regions)
        }
    };
    let gb = |memory_mb: u32| f64::from(memory_mb) / 1024.0;
    let event_checks_gb_s = d.tamper_events_per_month * d.check_ms / 1000.0 * gb(d.check_memory_mb);
    let (invocations, gb_seconds) = match mode {
        Mode::Watchdog => {
            // A call that concerns every account asks Config for a run: one more sweep.
            let sweeps = runs + d.organization_events_per_month;
            let per_sweep = account_regions * d.sweep_ms_per_account_region / 1000.0 * gb(d.sweep_memory_mb);
            (
                sweeps + d.tamper_events_per_month,
                sweeps * per_sweep + event_checks_gb_s,
            )
        }
        Mode::Account | Mode::Organization => {
            let checks = account_regions * runs;
            (
                checks + d.tamper_events_per_month,
                checks * d.check_ms / 1000.0 * gb(d.check_memory_mb) + event_checks_gb_s,
            )
        }
    };
    let per_gb_second = match d.architecture {
        Architecture::X86_64 => prices.lambda.per_gb_second.x86_64,
        Architecture::Arm64 => prices.lambda.per_gb_second.arm64,
    };
    let lambda_usd = gb_seconds * per_gb_second + invocations / 1e6 * prices.lambda.per_million_requests;
    let checks = account_regions * runs + d.tamper_events_per_month;
    let log_gb = checks * d.log_bytes_per_check / 1e9;
    let logs_usd = log_gb * prices.cloudwatch_logs.per_gb_ingested;
    // One health event where the change is found by an event and one when Config records it;
    // tamper events cross to the audit account's bus except in account mode.
    let forwarded = match mode {
        Mode::Account => 0.0,
        Mode::Organization | Mode::Watchdog => d.tamper_events_per_month,
    };
    let events = match reporting {
        Reporting::Delta => 2.0 * changes + forwarded,
        Reporting::Full => forwarded,
    };
    let events_usd = events / 1e6 * prices.eventbridge.per_million_events;
    let read_checks = match mode {
        Mode::Watchdog if d.log_archive_read_once => runs * d.regions as f64,
        _ => checks,
    };
    let s3_reads = read_checks * d.s3_reads_per_check;
    let kms_requests = read_checks * d.kms_requests_per_check;
    let reads_usd = s3_reads / 1000.0 * prices.s3_requests.per_thousand_reads
        + kms_requests / 10_000.0 * prices.kms_requests.per_ten_thousand;
    Estimate {
        mode,
        reporting,
        evaluations,
        lambda_invocations: invocations,
        lambda_gb_seconds: gb_seconds,
        log_gb,
        events,
        s3_reads,
        kms_requests,
        config_usd,
        lambda_usd,
        logs_usd,
        events_usd,
        reads_usd,
        total_usd: config_usd + lambda_usd + logs_usd + events_usd + reads_usd,
    }
}

/// Every mode with both reporting styles, as `delivery-guard cost` prints them.
pub fn side_by_side(prices: &Prices, d: &Deployment) -> Vec<Estimate> {
    [Mode::Account, Mode::Organization, Mode::Watchdog]
        .into_iter()
        .flat_map(|mode| {
            [Reporting::Full, Reporting::Delta]
                .into_iter()
                .map(move |reporting| estimate(prices, d, mode, reporting))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prices() -> Prices {
        parse_prices(BUILTIN_PRICES).unwrap()
    }

    fn fleet(accounts: u64, regions: u64, frequency_hours: u32) -> Deployment {
        Deployment {
            accounts,
            regions,
            frequency_hours,
            refresh_hours: 24,
            architecture: Architecture::Arm64,
            check_ms: 250.0,
            check_memory_mb: 128,
            sweep_ms_per_account_region: 65.0,
            sweep_memory_mb: 512,
            log_bytes_per_check: 1200.0,
            changes_per_month: 0.0,
            tamper_events_per_month: 0.0,
            organization_events_per_month: 0.0,
            s3_reads_per_check: 4.0,
            kms_requests_per_check: 2.0,
            log_archive_read_once: true,
            tiers: TierScope::OrganizationRegion,
        }
    }

    #[test]
    fn tiers_price_each_band_at_its_rate() {
        let tiers = prices().config_rule_evaluations.tiers;
        assert!((tiered(&tiers, 100_000.0) - 100.0).abs() < 1e-6);
        assert!((tiered(&tiers, 500_000.0) - 420.0).abs() < 1e-6);
        assert!((tiered(&tiers, 600_000.0) - 470.0).abs() < 1e-6);
        assert!(tiered(&tiers, 0.0).abs() < 1e-12);
    }

    #[test]
    fn the_issue_figures_for_an_organization_rule_run_daily_and_hourly() {
        // 1,000 accounts x 17 Regions, full reporting, every evaluation sharing one set of tiers:
        // about $425 a month daily and $6,300 hourly (the issue's arithmetic); more per Region.
        let p = prices();
        let mut pooled = fleet(1000, 17, 24);
        pooled.tiers = TierScope::Organization;
        let daily = estimate(&p, &pooled, Mode::Organization, Reporting::Full);
        assert!(
            (daily.evaluations - 517_083.3).abs() < 1.0,
            "{}",
            daily.evaluations
        );
        assert!((daily.config_usd - 428.54).abs() < 0.01, "{}", daily.config_usd);
        pooled.frequency_hours = 1;
        let hourly = estimate(&p, &pooled, Mode::Organization, Reporting::Full);
        assert!((hourly.evaluations - 12_410_000.0).abs() < 1.0);
        assert!(
            (hourly.config_usd - 6_375.0).abs() < 0.01,
            "{}",
            hourly.config_usd
        );
        let per_region = estimate(&p, &fleet(1000, 17, 1), Mode::Organization, Reporting::Full);
        assert!(
            (per_region.config_usd - 17.0 * 535.0).abs() < 0.01,
            "{}",
            per_region.config_usd
        );
    }

    #[test]
    fn delta_reporting_makes_the_cost_follow_change_not_frequency() {
        let p = prices();
        let hourly = estimate(&p, &fleet(1000, 17, 1), Mode::Watchdog, Reporting::Delta);
        let daily = estimate(&p, &fleet(1000, 17, 24), Mode::Watchdog, Reporting::Delta);
        assert!((hourly.evaluations - daily.evaluations).abs() < 1e-6);
        let mut changing = fleet(1000, 17, 1);
        changing.changes_per_month = 10_000.0;
        let more = estimate(&p, &changing, Mode::Watchdog, Reporting::Delta);
        assert!((more.evaluations - hourly.evaluations - 10_000.0).abs() < 1e-6);
        let full = estimate(&p, &fleet(1000, 17, 1), Mode::Watchdog, Reporting::Full);
        assert!(full.config_usd > 10.0 * hourly.config_usd);
    }

    #[test]
    fn per_account_region_tiers_cost_more_than_pooled_ones() {
        let p = prices();
        let mut cautious = fleet(1000, 17, 1);
        cautious.tiers = TierScope::AccountRegion;
        let pooled = estimate(&p, &fleet(1000, 17, 1), Mode::Account, Reporting::Full);
        let alone = estimate(&p, &cautious, Mode::Account, Reporting::Full);
        assert!((pooled.evaluations - alone.evaluations).abs() < 1e-3);
        assert!(alone.config_usd > pooled.config_usd);
    }

    #[test]
    fn reading_the_log_archive_once_per_sweep_removes_most_kms_requests() {
        let p = prices();
        let mut every = fleet(1000, 17, 1);
        every.log_archive_read_once = false;
        let once = estimate(&p, &fleet(1000, 17, 1), Mode::Watchdog, Reporting::Delta);
        let each = estimate(&p, &every, Mode::Watchdog, Reporting::Delta);
        assert!((each.kms_requests / once.kms_requests - 1000.0).abs() < 1e-6);
    }

    #[test]
    fn a_price_file_must_end_with_an_open_tier_and_rise() {
        let mut value: serde_json::Value = serde_json::from_str(BUILTIN_PRICES).unwrap();
        value["config_rule_evaluations"]["tiers"][2]["up_to"] = serde_json::json!(900_000);
        assert!(
            parse_prices(&value.to_string())
                .unwrap_err()
                .to_string()
                .contains("null")
        );
        value["config_rule_evaluations"]["tiers"][2]["up_to"] = serde_json::Value::Null;
        value["config_rule_evaluations"]["tiers"][1]["up_to"] = serde_json::json!(50_000);
        assert!(
            parse_prices(&value.to_string())
                .unwrap_err()
                .to_string()
                .contains("rise")
        );
        assert!(parse_prices("{}").is_err());
    }
}
