//! `delivery-guard cost`: the monthly cost of a deployment, every mode side by side, with the inputs
//! it assumed. The defaults are this project's measured figures (docs/cost.md says how).

use super::output::print_out;
use super::{CliError, Format, format_name, pretty_json};
use clap::ValueEnum;
use delivery_guard_core::cost::{Architecture, BUILTIN_PRICES, Deployment, Prices, TierScope, parse_prices};
use delivery_guard_core::report::cost::{json_report, table};
use std::path::PathBuf;
use std::process::ExitCode;

/// Config's periodic frequencies (MaximumExecutionFrequency), in hours.
const FREQUENCIES: [u32; 5] = [1, 3, 6, 12, 24];

#[derive(Debug, clap::Args)]
pub(super) struct CostCommand {
    #[command(flatten)]
    args: CostArgs,
    /// table or json.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

pub(super) fn run(command: &CostCommand) -> Result<ExitCode, CliError> {
    let prices = command.args.prices().map_err(CliError::Usage)?;
    let deployment = command.args.deployment().map_err(CliError::Usage)?;
    match command.format {
        Format::Table => print_out(&table(&prices, &deployment)),
        Format::Json => print_out(&format!("{}\n", pretty_json(&json_report(&prices, &deployment))?)),
        other => {
            return Err(CliError::Usage(format!(
                "--format {}: cost prints table or json (--format table or --format json)",
                format_name(other)
            )));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The deployment to price; the defaults are this project's measured figures.
#[derive(Debug, clap::Args)]
struct CostArgs {
    /// Accounts in the Organization.
    #[arg(long, default_value_t = 1000)]
    accounts: u64,
    /// Regions judged in each account.
    #[arg(long, default_value_t = 17)]
    regions: u64,
    /// Hours between periodic runs: 1, 3, 6, 12 or 24.
    #[arg(long, default_value_t = 1)]
    frequency_hours: u32,
    /// Delta reporting: hours after which an unchanged result is reported again (FullRefreshHours).
    #[arg(long, default_value_t = 24)]
    refresh_hours: u32,
    #[arg(long, value_enum, default_value_t = ArchitectureArg::Arm64)]
    architecture: ArchitectureArg,
    /// Lambda milliseconds for one account-region check (account, organization and event-driven).
    #[arg(long, default_value_t = 250.0)]
    check_ms: f64,
    #[arg(long, default_value_t = 128)]
    check_memory_mb: u32,
    /// Watchdog: Lambda milliseconds of a sweep per account-region (concurrency included).
    #[arg(long, default_value_t = 86.0)]
    sweep_ms_per_account_region: f64,
    #[arg(long, default_value_t = 512)]
    sweep_memory_mb: u32,
    /// CloudWatch Logs bytes per account-region judged.
    #[arg(long, default_value_t = 380.0)]
    log_bytes_per_check: f64,
    /// Verdict changes a month across the fleet (breaks and repairs).
    #[arg(long, default_value_t = 200.0)]
    changes_per_month: f64,
    /// CloudTrail events a month matching the event-driven pattern, across the fleet.
    #[arg(long, default_value_t = 2000.0)]
    tamper_events_per_month: f64,
    /// Of those, calls that concern every account (SCPs, the log archive's bucket or key); each is
    /// one more watchdog sweep.
    #[arg(long, default_value_t = 20.0)]
    organization_events_per_month: f64,
    #[arg(long, default_value_t = 4.0)]
    s3_reads_per_check: f64,
    #[arg(long, default_value_t = 2.0)]
    kms_requests_per_check: f64,
    /// Watchdog without LogArchiveReadRoleArn: each account-region reads the bucket and key itself.
    #[arg(long)]
    no_log_archive_reader: bool,
    #[arg(long, value_enum, default_value_t = TiersArg::OrganizationRegion)]
    tiers: TiersArg,
    /// A price file of the shape of rule/core/data/aws-prices.json; default: the one built in.
    #[arg(long)]
    prices: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ArchitectureArg {
    X86_64,
    Arm64,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum TiersArg {
    Organization,
    OrganizationRegion,
    AccountRegion,
}

impl CostArgs {
    fn prices(&self) -> Result<Prices, String> {
        let text = match &self.prices {
            Some(path) => {
                std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?
            }
            None => BUILTIN_PRICES.to_owned(),
        };
        parse_prices(&text).map_err(|e| e.to_string())
    }

    fn deployment(&self) -> Result<Deployment, String> {
        if !FREQUENCIES.contains(&self.frequency_hours) {
            return Err(format!(
                "--frequency-hours must be one of 1, 3, 6, 12, 24 (Config's periodic frequencies), not {}",
                self.frequency_hours
            ));
        }
        if !(1..=168).contains(&self.refresh_hours) {
            return Err("--refresh-hours must be from 1 to 168".to_owned());
        }
        if self.accounts == 0 || self.regions == 0 {
            return Err("--accounts and --regions must be at least 1".to_owned());
        }
        let figures = [
            self.check_ms,
            self.sweep_ms_per_account_region,
            self.log_bytes_per_check,
            self.changes_per_month,
            self.tamper_events_per_month,
            self.organization_events_per_month,
            self.s3_reads_per_check,
            self.kms_requests_per_check,
        ];
        if figures.iter().any(|f| !f.is_finite() || *f < 0.0) {
            return Err(
                "durations, sizes, rates and request counts must be finite and not negative".to_owned(),
            );
        }
        if !(128..=10_240).contains(&self.check_memory_mb) || !(128..=10_240).contains(&self.sweep_memory_mb)
        {
            return Err("Lambda memory must be from 128 to 10240 MB".to_owned());
        }
        Ok(Deployment {
            accounts: self.accounts,
            regions: self.regions,
            frequency_hours: self.frequency_hours,
            refresh_hours: self.refresh_hours,
            architecture: match self.architecture {
                ArchitectureArg::X86_64 => Architecture::X86_64,
                ArchitectureArg::Arm64 => Architecture::Arm64,
            },
            check_ms: self.check_ms,
            check_memory_mb: self.check_memory_mb,
            sweep_ms_per_account_region: self.sweep_ms_per_account_region,
            sweep_memory_mb: self.sweep_memory_mb,
            log_bytes_per_check: self.log_bytes_per_check,
            changes_per_month: self.changes_per_month,
            tamper_events_per_month: self.tamper_events_per_month,
            organization_events_per_month: self.organization_events_per_month,
            s3_reads_per_check: self.s3_reads_per_check,
            kms_requests_per_check: self.kms_requests_per_check,
            log_archive_read_once: !self.no_log_archive_reader,
            tiers: match self.tiers {
                TiersArg::Organization => TierScope::Organization,
                TiersArg::OrganizationRegion => TierScope::OrganizationRegion,
                TiersArg::AccountRegion => TierScope::AccountRegion,
            },
        })
    }
}
