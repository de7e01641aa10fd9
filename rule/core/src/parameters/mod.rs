//! The rule parameters (the rule's `InputParameters`), validated, with their defaults.

use crate::aws_names::{
    InvalidName, check_bucket_name, check_event_bus, check_external_id, check_kms_key_arn, check_role_arn,
    check_role_name, is_region_name,
};
use serde::Serialize;
use serde_json::{Map, Value};
use std::time::Duration;

/// One rule parameter: its name, its default and what it means. `docs/parameters.md` is generated
/// from [`PARAMETERS`] and a test fails when it is stale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parameter {
    /// The name in the rule's `InputParameters`.
    pub name: &'static str,
    /// What applies when it is absent or blank.
    pub default: &'static str,
    /// What it does, for the docs.
    pub meaning: &'static str,
}

/// Every parameter the rule understands; any other name is rejected.
pub const PARAMETERS: [Parameter; 20] = [
    Parameter {
        name: "Mode",
        default: "`account`",
        meaning: "`account`: judge the account-region the rule runs in. `organization`: an organization custom rule; judge and report the invoking member through its audit role. `watchdog`: judge every account-region of the Organization from the audit account (see [the Organization rollout](organization.md)).",
    },
    Parameter {
        name: "ExpectedBucket",
        default: "none",
        meaning: "the S3 bucket the delivery channel must use",
    },
    Parameter {
        name: "ExpectedKeyPrefix",
        default: "none",
        meaning: "the key prefix the channel must use (no leading or trailing `/`)",
    },
    Parameter {
        name: "ExpectedKmsKeyArn",
        default: "none",
        meaning: "the KMS key (key or alias ARN) the channel must encrypt with",
    },
    Parameter {
        name: "MaxDeliveryAgeHours",
        default: "2 x the channel's snapshot delivery frequency (48 for the default 24 h)",
        meaning: "hours without a successful snapshot or history delivery before it is stale, 1 to 2160",
    },
    Parameter {
        name: "LogArchiveReadRoleArn",
        default: "none",
        meaning: "a read-only role in the bucket's (and key's) account, assumed to read their policies",
    },
    Parameter {
        name: "StrictProbes",
        default: "`false`",
        meaning: "`true`: a root-cause probe that could not be read makes the evaluation `NON_COMPLIANT`",
    },
    Parameter {
        name: "OrganizationReadRoleArn",
        default: "none",
        meaning: "a read-only role in the management or delegated-administrator account, assumed to walk the SCPs on the account's path and list the accounts",
    },
    Parameter {
        name: "AuditRoleName",
        default: "none; required in `organization` and `watchdog`",
        meaning: "the read-only role assumed in each member: `arn:<partition>:iam::<member>:role/<AuditRoleName>`, never the event's `executionRoleArn`",
    },
    Parameter {
        name: "AuditRoleExternalId",
        default: "none",
        meaning: "the external ID the audit role's trust policy requires",
    },
    Parameter {
        name: "Regions",
        default: "each account's enabled regions (`account:ListRegions`)",
        meaning: "`watchdog`: comma-separated regions to judge",
    },
    Parameter {
        name: "SecurityHubFindings",
        default: "`false`",
        meaning: "`true`: also import one ASFF finding per account-region-check into the judged account's Security Hub, and resolve it when fixed",
    },
    Parameter {
        name: "MaxConcurrency",
        default: "`32`",
        meaning: "`watchdog`: account-regions (and role assumptions) in flight at once, 1 to 256",
    },
    Parameter {
        name: "Shard",
        default: "none",
        meaning: "`watchdog`: `i/n`, judge only the accounts whose ID modulo `n` is `i` (0 <= i < n <= 64)",
    },
    Parameter {
        name: "DeltaReporting",
        default: "`true` in `watchdog`, else `false`",
        meaning: "report to Config only the results that changed, plus each again every `FullRefreshHours` (see [cost and detection time](cost.md))",
    },
    Parameter {
        name: "FullRefreshHours",
        default: "`24`",
        meaning: "delta reporting: an unchanged result is reported again at the last run before it would be this old, 1 to 168",
    },
    Parameter {
        name: "HealthEventBus",
        default: "`default`",
        meaning: "delta reporting and the event path: the EventBridge bus (name or ARN) that gets one health-change event per verdict change; `off`: none",
    },
    Parameter {
        name: "LandingZone",
        default: "`none`",
        meaning: "`control-tower`: the accounts are governed by AWS Control Tower, which owns their recorder, channel and log archive; remediations say what Control Tower allows (see [Control Tower](control-tower.md)). A pipeline with Control Tower's names is recognised without it",
    },
    Parameter {
        name: "ExceptionsObject",
        default: "none",
        meaning: "`s3://bucket/key` of the accepted-exceptions document, read with the function's own role at each invocation (see [exceptions](exceptions.md)); unreadable or invalid: reported as if there were none, and said",
    },
    Parameter {
        name: "ExceptionMaxDays",
        default: "`180`",
        meaning: "an exception that ends further ahead than this many days is not applied, 1 to 366",
    },
];

/// `FullRefreshHours` when absent.
pub const DEFAULT_FULL_REFRESH_HOURS: u64 = 24;
/// The largest `FullRefreshHours`: one week.
pub const MAX_FULL_REFRESH_HOURS: u64 = 168;

/// `MaxConcurrency` when absent.
pub const DEFAULT_CONCURRENCY: usize = 32;
/// The largest `MaxConcurrency`.
pub const MAX_CONCURRENCY: usize = 256;
/// The most shards `Shard` may name.
pub const MAX_SHARDS: u64 = 64;

/// The largest `MaxDeliveryAgeHours`: 90 days.
pub const MAX_DELIVERY_AGE_HOURS: u64 = 2160;

/// Where the rule runs and what it judges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// The rule judges the account-region it runs in.
    Account,
    /// An organization custom rule: the member's Config invokes the audit account's Lambda, which
    /// judges and reports through the member's audit role.
    Organization,
    /// One periodic rule in the audit account judges every account-region of the Organization.
    Watchdog,
}

impl Mode {
    /// The name the parameter takes.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Account => "account",
            Self::Organization => "organization",
            Self::Watchdog => "watchdog",
        }
    }
}

/// One slice of the Organization's accounts: those whose ID modulo `count` is `index`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Shard {
    /// This shard, from 0.
    pub index: u64,
    /// How many shards.
    pub count: u64,
}

impl Shard {
    /// The account belongs to this shard.
    pub fn holds(self, account_id: &str) -> bool {
        account_id
            .parse::<u64>()
            .is_ok_and(|id| id % self.count == self.index)
    }
}

/// The rule parameters, validated, with their defaults applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleParameters {
    /// `Mode`.
    pub mode: Mode,
    /// `ExpectedBucket`.
    pub expected_bucket: Option<String>,
    /// `ExpectedKeyPrefix`.
    pub expected_key_prefix: Option<String>,
    /// `ExpectedKmsKeyArn`.
    pub expected_kms_key_arn: Option<String>,
    /// None: derived from the channel's delivery frequency (see `checks::channel`).
    pub max_delivery_age: Option<Duration>,
    /// `LogArchiveReadRoleArn`.
    pub log_archive_read_role_arn: Option<String>,
    /// `OrganizationReadRoleArn`.
    pub organization_read_role_arn: Option<String>,
    /// `StrictProbes`.
    pub strict_probes: bool,
    /// `AuditRoleName`.
    pub audit_role_name: Option<String>,
    /// `AuditRoleExternalId`.
    pub audit_role_external_id: Option<String>,
    /// None: each account's enabled regions (watchdog) or the rule's own region.
    pub regions: Option<Vec<String>>,
    /// `SecurityHubFindings`.
    pub security_hub_findings: bool,
    /// `MaxConcurrency`.
    pub max_concurrency: usize,
    /// `Shard`.
    pub shard: Option<Shard>,
    /// `DeltaReporting`, with its mode-dependent default.
    pub delta_reporting: bool,
    /// `FullRefreshHours`.
    pub full_refresh: Duration,
    /// None: no health-change events.
    pub health_event_bus: Option<String>,
    /// `LandingZone`.
    pub landing_zone: LandingZone,
    /// `ExceptionsObject`: the bucket and key.
    pub exceptions_object: Option<(String, String)>,
    /// `ExceptionMaxDays`.
    pub exception_max_days: u32,
}

/// Who owns the accounts' Config setup.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LandingZone {
    /// Nobody but the platform team: every part may be repaired directly.
    #[default]
    None,
    /// AWS Control Tower: its recorder, channel, log archive bucket and roles are changed only
    /// through Control Tower (its mandatory controls deny everyone else).
    ControlTower,
}

impl Default for RuleParameters {
    fn default() -> Self {
        Self {
            mode: Mode::Account,
            expected_bucket: None,
            expected_key_prefix: None,
            expected_kms_key_arn: None,
            max_delivery_age: None,
            log_archive_read_role_arn: None,
            organization_read_role_arn: None,
            strict_probes: false,
            audit_role_name: None,
            audit_role_external_id: None,
            regions: None,
            security_hub_findings: false,
            max_concurrency: DEFAULT_CONCURRENCY,
            shard: None,
            delta_reporting: false,
            full_refresh: Duration::from_secs(DEFAULT_FULL_REFRESH_HOURS * 3600),
            health_event_bus: Some("default".to_owned()),
            landing_zone: LandingZone::None,
            exceptions_object: None,
            exception_max_days: crate::exceptions::DEFAULT_MAX_DAYS,
        }
    }
}

/// An invalid rule parameter, named.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid rule parameter {parameter}: {reason}")]
pub struct ParameterError {
    /// The parameter's name.
    pub parameter: String,
    /// What is wrong with its value.
    pub reason: String,
}

/// Validates the rule's input parameters and applies the defaults.
///
/// Long on purpose: one short block per parameter, in the order of [`PARAMETERS`], then the checks
/// that span several; each block reads on its own.
pub fn parse_parameters(raw: &Map<String, Value>) -> Result<RuleParameters, ParameterError> {
    if let Some(unknown) = raw
        .keys()
        .find(|key| !PARAMETERS.iter().any(|p| p.name == key.as_str()))
    {
        let names: Vec<&str> = PARAMETERS.iter().map(|p| p.name).collect();
        return Err(error(
            unknown,
            format!("unknown parameter (known: {})", names.join(", ")),
        ));
    }
    let mut params = RuleParameters::default();
    if let Some(mode) = text(raw, "Mode")? {
        params.mode = match mode.to_ascii_lowercase().as_str() {
            "account" => Mode::Account,
            "organization" => Mode::Organization,
            "watchdog" => Mode::Watchdog,
            _ => {
                return Err(error(
                    "Mode",
                    format!("'{mode}' is not one of account, organization, watchdog"),
                ));
            }
        };
    }
    if let Some(bucket) = text(raw, "ExpectedBucket")? {
        check_bucket_name(&bucket).map_err(|reason| error("ExpectedBucket", reason))?;
        params.expected_bucket = Some(bucket);
    }
    if let Some(prefix) = text(raw, "ExpectedKeyPrefix")? {
        if prefix.starts_with('/') || prefix.ends_with('/') || prefix.len() > 256 {
            return Err(error(
                "ExpectedKeyPrefix",
                format!("'{prefix}' must not start or end with '/' and must be at most 256 characters"),
            ));
        }
        params.expected_key_prefix = Some(prefix);
    }
    if let Some(arn) = text(raw, "ExpectedKmsKeyArn")? {
        check_kms_key_arn(&arn).map_err(|reason| error("ExpectedKmsKeyArn", reason))?;
        params.expected_kms_key_arn = Some(arn);
    }
    if let Some(hours) = text(raw, "MaxDeliveryAgeHours")? {
        let parsed = hours
            .parse::<u64>()
            .ok()
            .filter(|h| (1..=MAX_DELIVERY_AGE_HOURS).contains(h));
        let hours = parsed.ok_or_else(|| {
            error(
                "MaxDeliveryAgeHours",
                format!("'{hours}' is not a whole number of hours from 1 to {MAX_DELIVERY_AGE_HOURS}"),
            )
        })?;
        params.max_delivery_age = Some(Duration::from_secs(hours * 3600));
    }
    if let Some(arn) = text(raw, "LogArchiveReadRoleArn")? {
        check_role_arn(&arn).map_err(|reason| error("LogArchiveReadRoleArn", reason))?;
        params.log_archive_read_role_arn = Some(arn);
    }
    if let Some(arn) = text(raw, "OrganizationReadRoleArn")? {
        check_role_arn(&arn).map_err(|reason| error("OrganizationReadRoleArn", reason))?;
        params.organization_read_role_arn = Some(arn);
    }
    if let Some(strict) = text(raw, "StrictProbes")? {
        params.strict_probes = boolean("StrictProbes", &strict)?;
    }
    if let Some(hub) = text(raw, "SecurityHubFindings")? {
        params.security_hub_findings = boolean("SecurityHubFindings", &hub)?;
    }
    if let Some(name) = text(raw, "AuditRoleName")? {
        check_role_name(&name).map_err(|reason| error("AuditRoleName", reason))?;
        params.audit_role_name = Some(name);
    }
    if let Some(id) = text(raw, "AuditRoleExternalId")? {
        check_external_id(&id).map_err(|reason| error("AuditRoleExternalId", reason))?;
        params.audit_role_external_id = Some(id);
    }
    if let Some(list) = text(raw, "Regions")? {
        params.regions = Some(parse_regions(&list).map_err(|reason| error("Regions", reason))?);
    }
    if let Some(limit) = text(raw, "MaxConcurrency")? {
        params.max_concurrency = limit
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=MAX_CONCURRENCY).contains(n))
            .ok_or_else(|| {
                error(
                    "MaxConcurrency",
                    format!("'{limit}' is not a whole number from 1 to {MAX_CONCURRENCY}"),
                )
            })?;
    }
    if let Some(shard) = text(raw, "Shard")? {
        params.shard = Some(parse_shard(&shard).map_err(|reason| error("Shard", reason))?);
    }
    params.delta_reporting = match text(raw, "DeltaReporting")? {
        Some(delta) => boolean("DeltaReporting", &delta)?,
        None => params.mode == Mode::Watchdog,
    };
    if let Some(hours) = text(raw, "FullRefreshHours")? {
        let parsed = hours
            .parse::<u64>()
            .ok()
            .filter(|h| (1..=MAX_FULL_REFRESH_HOURS).contains(h))
            .ok_or_else(|| {
                error(
                    "FullRefreshHours",
                    format!("'{hours}' is not a whole number of hours from 1 to {MAX_FULL_REFRESH_HOURS}"),
                )
            })?;
        params.full_refresh = Duration::from_secs(parsed * 3600);
    }
    if let Some(bus) = text(raw, "HealthEventBus")? {
        params.health_event_bus = if bus.eq_ignore_ascii_case("off") {
            None
        } else {
            check_event_bus(&bus).map_err(|reason| error("HealthEventBus", reason))?;
            Some(bus)
        };
    }
    if let Some(location) = text(raw, "ExceptionsObject")? {
        let parsed = location
            .strip_prefix("s3://")
            .and_then(|rest| rest.split_once('/'))
            .filter(|(bucket, key)| check_bucket_name(bucket).is_ok() && !key.is_empty());
        let (bucket, key) = parsed.ok_or_else(|| {
            error(
                "ExceptionsObject",
                format!("'{location}' is not s3://<bucket>/<key>"),
            )
        })?;
        params.exceptions_object = Some((bucket.to_owned(), key.to_owned()));
    }
    if let Some(days) = text(raw, "ExceptionMaxDays")? {
        params.exception_max_days = days
            .parse::<u32>()
            .ok()
            .filter(|d| (1..=366).contains(d))
            .ok_or_else(|| {
                error(
                    "ExceptionMaxDays",
                    format!("'{days}' is not a whole number of days from 1 to 366"),
                )
            })?;
    }
    if let Some(zone) = text(raw, "LandingZone")? {
        params.landing_zone = match zone.to_ascii_lowercase().as_str() {
            "none" => LandingZone::None,
            "control-tower" => LandingZone::ControlTower,
            _ => {
                return Err(error(
                    "LandingZone",
                    format!("'{zone}' is neither none nor control-tower"),
                ));
            }
        };
    }
    if params.mode != Mode::Account && params.audit_role_name.is_none() {
        return Err(error(
            "AuditRoleName",
            format!(
                "is required in {} mode: the role the rule assumes in each member account",
                params.mode.as_str()
            ),
        ));
    }
    Ok(params)
}

fn boolean(name: &str, value: &str) -> Result<bool, ParameterError> {
    match value.to_ascii_lowercase().as_str() {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(error(name, format!("'{value}' is neither true nor false"))),
    }
}

/// A comma-separated list of Region names, deduplicated in order.
pub fn parse_regions(list: &str) -> Result<Vec<String>, InvalidName> {
    let mut regions: Vec<String> = Vec::new();
    for region in list.split(',').map(str::trim).filter(|r| !r.is_empty()) {
        if !is_region_name(region) {
            return Err(InvalidName(format!(
                "'{region}' is not an AWS region name such as us-east-1"
            )));
        }
        if !regions.iter().any(|r| r == region) {
            regions.push(region.to_owned());
        }
    }
    if regions.is_empty() {
        return Err(InvalidName("names no region".to_owned()));
    }
    Ok(regions)
}

fn parse_shard(text: &str) -> Result<Shard, String> {
    let parsed = text.split_once('/').and_then(|(index, count)| {
        let index = index.trim().parse::<u64>().ok()?;
        let count = count.trim().parse::<u64>().ok()?;
        ((1..=MAX_SHARDS).contains(&count) && index < count).then_some(Shard { index, count })
    });
    parsed.ok_or_else(|| format!("'{text}' is not i/n with 0 <= i < n <= {MAX_SHARDS}, e.g. 0/4"))
}

/// Config passes parameter values as strings; Terraform users also write numbers. Blank is absent.
fn text(raw: &Map<String, Value>, name: &str) -> Result<Option<String>, ParameterError> {
    match raw.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.trim().to_owned())),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(Value::Bool(b)) => Ok(Some(b.to_string())),
        Some(other) => Err(error(name, format!("must be a string, got {other}"))),
    }
}

fn error(parameter: &str, reason: impl ToString) -> ParameterError {
    ParameterError {
        parameter: parameter.to_owned(),
        reason: reason.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(value: Value) -> Result<RuleParameters, ParameterError> {
        parse_parameters(value.as_object().unwrap())
    }

    #[test]
    fn empty_parameters_take_the_defaults() {
        assert_eq!(parse(json!({})).unwrap(), RuleParameters::default());
    }

    #[test]
    fn all_parameters_parse() {
        let params = parse(json!({
            "Mode": "ACCOUNT",
            "ExpectedBucket": "central-config-logs",
            "ExpectedKeyPrefix": "o-abc123",
            "ExpectedKmsKeyArn": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd",
            "MaxDeliveryAgeHours": "36"
        }))
        .unwrap();
        assert_eq!(params.expected_bucket.as_deref(), Some("central-config-logs"));
        assert_eq!(params.expected_key_prefix.as_deref(), Some("o-abc123"));
        assert_eq!(params.max_delivery_age, Some(Duration::from_secs(36 * 3600)));
    }

    #[test]
    fn numbers_and_blanks_are_accepted_as_config_and_terraform_write_them() {
        let params = parse(json!({"MaxDeliveryAgeHours": 48, "ExpectedBucket": "  "})).unwrap();
        assert_eq!(params.max_delivery_age, Some(Duration::from_secs(48 * 3600)));
        assert_eq!(params.expected_bucket, None);
    }

    #[test]
    fn each_invalid_value_names_its_parameter() {
        let cases = [
            (json!({"ExpectedBucket": "Bad_Bucket"}), "ExpectedBucket"),
            (json!({"ExpectedBucket": "ab"}), "ExpectedBucket"),
            (json!({"ExpectedKmsKeyArn": "alias/foo"}), "ExpectedKmsKeyArn"),
            (
                json!({"ExpectedKmsKeyArn": "arn:aws:kms:us-east-1:12:key/x"}),
                "ExpectedKmsKeyArn",
            ),
            (json!({"MaxDeliveryAgeHours": "0"}), "MaxDeliveryAgeHours"),
            (json!({"MaxDeliveryAgeHours": "abc"}), "MaxDeliveryAgeHours"),
            (json!({"MaxDeliveryAgeHours": "9999"}), "MaxDeliveryAgeHours"),
            (json!({"ExpectedKeyPrefix": "/logs"}), "ExpectedKeyPrefix"),
            (json!({"Mode": "everything"}), "Mode"),
            (json!({"Mode": "watchdog"}), "AuditRoleName"),
            (json!({"Mode": "organization"}), "AuditRoleName"),
            (json!({"AuditRoleName": "bad name"}), "AuditRoleName"),
            (json!({"AuditRoleExternalId": "x"}), "AuditRoleExternalId"),
            (json!({"Regions": "us-east-1,mars-1"}), "Regions"),
            (json!({"Regions": " , "}), "Regions"),
            (json!({"MaxConcurrency": "0"}), "MaxConcurrency"),
            (json!({"MaxConcurrency": "1000"}), "MaxConcurrency"),
            (json!({"Shard": "4/4"}), "Shard"),
            (json!({"Shard": "1"}), "Shard"),
            (json!({"SecurityHubFindings": "maybe"}), "SecurityHubFindings"),
            (json!({"ExpectedBucket": ["a"]}), "ExpectedBucket"),
            (json!({"ExpectedBuckett": "x"}), "ExpectedBuckett"),
            (
                json!({"LogArchiveReadRoleArn": "arn:aws:iam::1:role/x"}),
                "LogArchiveReadRoleArn",
            ),
            (json!({"StrictProbes": "yes"}), "StrictProbes"),
            (json!({"LandingZone": "landing-zone-accelerator"}), "LandingZone"),
            (json!({"DeltaReporting": "sometimes"}), "DeltaReporting"),
            (json!({"FullRefreshHours": "0"}), "FullRefreshHours"),
            (json!({"FullRefreshHours": "169"}), "FullRefreshHours"),
            (json!({"HealthEventBus": "bad bus"}), "HealthEventBus"),
            (
                json!({"HealthEventBus": "arn:aws:sns:us-east-1:111122223333:event-bus/x"}),
                "HealthEventBus",
            ),
        ];
        for (input, parameter) in cases {
            let err = parse(input.clone()).unwrap_err();
            assert_eq!(err.parameter, parameter, "{input}");
            assert!(
                err.to_string()
                    .starts_with(&format!("invalid rule parameter {parameter}")),
                "{err}"
            );
        }
    }

    #[test]
    fn delta_reporting_is_on_by_default_in_watchdog_mode_only() {
        assert!(!parse(json!({})).unwrap().delta_reporting);
        let watchdog = parse(json!({"Mode": "watchdog", "AuditRoleName": "audit"})).unwrap();
        assert!(watchdog.delta_reporting);
        assert_eq!(watchdog.full_refresh, Duration::from_secs(24 * 3600));
        assert_eq!(watchdog.health_event_bus.as_deref(), Some("default"));
        let tuned = parse(json!({
            "Mode": "watchdog", "AuditRoleName": "audit", "DeltaReporting": "false",
            "FullRefreshHours": "6", "HealthEventBus": "OFF"
        }))
        .unwrap();
        assert!(!tuned.delta_reporting);
        assert_eq!(tuned.full_refresh, Duration::from_secs(6 * 3600));
        assert_eq!(tuned.health_event_bus, None);
        let arn = "arn:aws:events:eu-west-1:111122223333:event-bus/pipeline-health";
        let account = parse(json!({"DeltaReporting": true, "HealthEventBus": arn})).unwrap();
        assert!(account.delta_reporting);
        assert_eq!(account.health_event_bus.as_deref(), Some(arn));
    }

    #[test]
    fn organization_parameters_parse() {
        let params = parse(json!({
            "Mode": "watchdog",
            "AuditRoleName": "ConfigDeliveryAudit",
            "AuditRoleExternalId": "o-abc123:delivery-guard",
            "Regions": "us-east-1, eu-west-1,us-east-1",
            "SecurityHubFindings": "TRUE",
            "MaxConcurrency": 8,
            "Shard": "1/3"
        }))
        .unwrap();
        assert_eq!(params.mode, Mode::Watchdog);
        assert_eq!(params.audit_role_name.as_deref(), Some("ConfigDeliveryAudit"));
        assert_eq!(
            params.regions,
            Some(vec!["us-east-1".to_owned(), "eu-west-1".to_owned()])
        );
        assert!(params.security_hub_findings);
        assert_eq!(params.max_concurrency, 8);
        let shard = params.shard.unwrap();
        assert!(shard.holds("111111111112") && !shard.holds("111111111111"));
    }

    #[test]
    fn region_names() {
        for good in [
            "us-east-1",
            "eu-central-2",
            "us-gov-west-1",
            "ap-southeast-7",
            "cn-north-1",
        ] {
            assert!(is_region_name(good), "{good}");
        }
        for bad in [
            "all",
            "us-east",
            "US-EAST-1",
            "us--1",
            "useast1",
            "",
            "us-east-1a",
        ] {
            assert!(!is_region_name(bad), "{bad}");
        }
    }

    #[test]
    fn alias_arns_are_accepted() {
        let params =
            parse(json!({"ExpectedKmsKeyArn": "arn:aws:kms:us-east-1:111122223333:alias/config"})).unwrap();
        assert!(params.expected_kms_key_arn.is_some());
    }
}
