//! The cost model's report: a table of every mode side by side, or the same as JSON.

use crate::cost::{Deployment, Estimate, HOURS_PER_MONTH, Prices, Reporting, TierScope, side_by_side};
use serde_json::json;
use std::fmt::Write as _;

/// The estimates, the prices' source and the inputs assumed, as JSON.
pub fn json_report(prices: &Prices, deployment: &Deployment) -> serde_json::Value {
    json!({
        "assumed": deployment,
        "prices": {"region": prices.region, "retrieved": prices.retrieved},
        "hours_per_month": HOURS_PER_MONTH,
        "estimates": side_by_side(prices, deployment),
    })
}

/// The estimates as a table, every mode and reporting style side by side.
pub fn table(prices: &Prices, d: &Deployment) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "monthly cost: {} accounts x {} regions, every {} h, prices {} of {}",
        d.accounts, d.regions, d.frequency_hours, prices.region, prices.retrieved
    );
    let _ = writeln!(
        out,
        "{:<13} {:<9} {:>13} {:>11} {:>10} {:>9} {:>9} {:>9} {:>11}",
        "mode",
        "reporting",
        "evaluations",
        "Config $",
        "Lambda $",
        "Logs $",
        "reads $",
        "events $",
        "total $"
    );
    for e in side_by_side(prices, d) {
        let _ = writeln!(out, "{}", row(&e));
    }
    let _ = writeln!(out, "\nassumed:");
    let lines = [
        format!(
            "refresh: delta reporting reports an unchanged result again after {} h",
            d.refresh_hours
        ),
        format!(
            "Lambda {:?}: {} ms and {} MB per account-region check; watchdog sweep {} ms per account-region at {} MB",
            d.architecture, d.check_ms, d.check_memory_mb, d.sweep_ms_per_account_region, d.sweep_memory_mb
        ),
        format!("logs: {} bytes per account-region judged", d.log_bytes_per_check),
        format!(
            "changes: {} verdict changes and {} matching CloudTrail events a month, {} of them for every account",
            d.changes_per_month, d.tamper_events_per_month, d.organization_events_per_month
        ),
        format!(
            "reads: {} S3 and {} KMS requests per account-region{}",
            d.s3_reads_per_check,
            d.kms_requests_per_check,
            if d.log_archive_read_once {
                " (watchdog: once per sweep and region, through LogArchiveReadRoleArn)"
            } else {
                ""
            }
        ),
        format!(
            "tiers: {}",
            match d.tiers {
                TierScope::Organization => "every evaluation of the Organization shares one set of tiers",
                TierScope::OrganizationRegion =>
                    "the Organization's evaluations in each Region share the tiers",
                TierScope::AccountRegion => "each account-region climbs the tiers alone",
            }
        ),
        "free: Config's compliance reads (delta reporting), STS, IAM and Organizations reads".to_owned(),
    ];
    for line in lines {
        let _ = writeln!(out, "  {line}");
    }
    out
}

fn row(e: &Estimate) -> String {
    let reporting = match e.reporting {
        Reporting::Full => "full",
        Reporting::Delta => "delta",
    };
    format!(
        "{:<13} {:<9} {:>13.0} {:>11.2} {:>10.2} {:>9.2} {:>9.2} {:>9.2} {:>11.2}",
        e.mode.as_str(),
        reporting,
        e.evaluations,
        e.config_usd,
        e.lambda_usd,
        e.logs_usd,
        e.reads_usd,
        e.events_usd,
        e.total_usd
    )
}
