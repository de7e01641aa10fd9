################################################################################
# Function
################################################################################

variable "function_name" {
  description = "Name of the Lambda function (and prefix of its role, log group and failure queue)."
  type        = string
  default     = "config-delivery-guard"

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,52}$", var.function_name))
    error_message = "function_name must be 1-52 letters, digits, hyphens or underscores (room is left for the suffixes)."
  }
}

variable "package" {
  description = <<-DOC
    The function's bootstrap.zip, as `make package` builds it (cargo lambda): either a local file
    (`local_path`) or an object in S3 (`s3_bucket`, `s3_key`, optionally `s3_object_version` and
    the zip's base64 SHA-256 as `source_code_hash`, which redeploys the function when it changes).
  DOC
  type = object({
    local_path        = optional(string)
    s3_bucket         = optional(string)
    s3_key            = optional(string)
    s3_object_version = optional(string)
    source_code_hash  = optional(string)
  })

  validation {
    condition     = (var.package.local_path == null) != (var.package.s3_bucket == null && var.package.s3_key == null)
    error_message = "package must name either local_path or s3_bucket and s3_key, not both and not neither."
  }

  validation {
    condition     = (var.package.s3_bucket == null) == (var.package.s3_key == null)
    error_message = "package.s3_bucket and package.s3_key go together."
  }

  validation {
    condition     = var.package.local_path == null || fileexists(coalesce(var.package.local_path, "/"))
    error_message = "package.local_path does not name a file: run `make package` in config-delivery-guard and pass the path of dist/<arch>/bootstrap/bootstrap.zip (or upload it to S3 and pass s3_bucket and s3_key)."
  }
}

variable "architecture" {
  description = "x86_64 or arm64; must match the package."
  type        = string
  default     = "x86_64"

  validation {
    condition     = contains(["x86_64", "arm64"], var.architecture)
    error_message = "architecture must be \"x86_64\" or \"arm64\"."
  }
}

variable "memory_size" {
  description = "Memory in MB. 128 MB makes the first TLS handshake slow; 256 MB is the measured sweet spot (docs/benchmarks.md)."
  type        = number
  default     = 256

  validation {
    condition     = var.memory_size >= 128 && var.memory_size <= 10240
    error_message = "memory_size must be between 128 and 10240 MB."
  }
}

variable "timeout" {
  description = "Timeout in seconds; null picks 60 for account and organization mode, 900 for watchdog (the sweep stops itself before the deadline)."
  type        = number
  default     = null

  validation {
    condition     = var.timeout == null || (var.timeout >= 10 && var.timeout <= 900)
    error_message = "timeout must be between 10 and 900 seconds."
  }
}

variable "log_retention_days" {
  description = "Retention of the function's log group."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be one of CloudWatch Logs' retention values (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)."
  }
}

variable "log_kms_key_arn" {
  description = "KMS key for the log group and the failure queue, or null for AWS-owned encryption."
  type        = string
  default     = null
}

variable "reserved_concurrency" {
  description = "Reserved concurrent executions, or -1 for none. Organization mode is invoked by every member at once."
  type        = number
  default     = -1
}

variable "code_signing_config_arn" {
  description = "Lambda code signing configuration, or null."
  type        = string
  default     = null
}

################################################################################
# Rule
################################################################################

variable "mode" {
  description = "account: a periodic rule judging this account; organization: an organization custom rule, each member judged through its audit role; watchdog: one periodic rule in this account judging every member."
  type        = string
  default     = "account"

  validation {
    condition     = contains(["account", "organization", "watchdog"], var.mode)
    error_message = "mode must be \"account\", \"organization\" or \"watchdog\"."
  }
}

variable "organization_id" {
  description = "The Organization (organization and watchdog modes): the function may assume only roles of its accounts (aws:ResourceOrgID). Without it an account outside the Organization can point its own organization rule at the function and have it assume a role it created; the rule itself then still refuses it (docs/threat-model.md)."
  type        = string
  default     = null

  validation {
    condition     = var.organization_id == null || can(regex("^o-[a-z0-9]{10,32}$", var.organization_id))
    error_message = "organization_id must look like o-abc123def4."
  }
}

variable "landing_zone" {
  description = "none, or control-tower: the accounts are governed by AWS Control Tower, which owns their recorder, channel and log archive, and the rule's remediations say what Control Tower allows (rule parameter LandingZone; docs/control-tower.md)."
  type        = string
  default     = "none"

  validation {
    condition     = contains(["none", "control-tower"], var.landing_zone)
    error_message = "landing_zone must be \"none\" or \"control-tower\"."
  }
}

variable "rule_name" {
  description = "Name of the Config rule (organization mode: of the organization rule; members see OrgConfigRule-<name>-...)."
  type        = string
  default     = "delivery-pipeline"

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,64}$", var.rule_name))
    error_message = "rule_name must be 1-64 letters, digits, hyphens or underscores."
  }
}

variable "maximum_execution_frequency" {
  description = "How often Config runs the rule: the detection time of a broken pipeline, and its cost (each run records one evaluation per account)."
  type        = string
  default     = "One_Hour"

  validation {
    condition     = contains(["One_Hour", "Three_Hours", "Six_Hours", "Twelve_Hours", "TwentyFour_Hours"], var.maximum_execution_frequency)
    error_message = "maximum_execution_frequency must be One_Hour, Three_Hours, Six_Hours, Twelve_Hours or TwentyFour_Hours."
  }
}

variable "rule_parameters" {
  description = "Further rule parameters (ExpectedBucket, ExpectedKeyPrefix, ExpectedKmsKeyArn, MaxDeliveryAgeHours, StrictProbes, Regions, SecurityHubFindings, MaxConcurrency, Shard, DeltaReporting, FullRefreshHours). Mode, AuditRoleName, AuditRoleExternalId, the reader roles, HealthEventBus and LandingZone come from their own variables."
  type        = map(string)
  default     = {}

  validation {
    condition = alltrue([for key in keys(var.rule_parameters) : contains([
      "ExpectedBucket", "ExpectedKeyPrefix", "ExpectedKmsKeyArn", "MaxDeliveryAgeHours", "StrictProbes",
      "Regions", "SecurityHubFindings", "MaxConcurrency", "Shard", "DeltaReporting", "FullRefreshHours",
    ], key)])
    error_message = "rule_parameters may hold ExpectedBucket, ExpectedKeyPrefix, ExpectedKmsKeyArn, MaxDeliveryAgeHours, StrictProbes, Regions, SecurityHubFindings, MaxConcurrency, Shard, DeltaReporting and FullRefreshHours; Mode, AuditRoleName, AuditRoleExternalId, LogArchiveReadRoleArn, OrganizationReadRoleArn, HealthEventBus and LandingZone have variables of their own."
  }
}

variable "audit_role_name" {
  description = "The audit role in every member (organization and watchdog modes)."
  type        = string
  default     = "ConfigDeliveryAudit"

  validation {
    condition     = can(regex("^[\\w+=,.@-]{1,64}$", var.audit_role_name))
    error_message = "audit_role_name must be an IAM role name."
  }
}

variable "audit_role_external_id" {
  description = "The external ID the audit roles require, or null."
  type        = string
  default     = null
}

variable "log_archive_read_role_arn" {
  description = "Role in the log-archive account that reads the central bucket and key policies (LogArchiveReadRoleArn), or null."
  type        = string
  default     = null

  validation {
    condition     = var.log_archive_read_role_arn == null || can(regex("^arn:aws[a-z-]*:iam::\\d{12}:role/", var.log_archive_read_role_arn))
    error_message = "log_archive_read_role_arn must be an IAM role ARN."
  }
}

variable "organization_read_role_arn" {
  description = "Role in the management account that lists accounts and reads SCPs (OrganizationReadRoleArn), or null when this account is a delegated administrator (the function then reads Organizations itself)."
  type        = string
  default     = null

  validation {
    condition     = var.organization_read_role_arn == null || can(regex("^arn:aws[a-z-]*:iam::\\d{12}:role/", var.organization_read_role_arn))
    error_message = "organization_read_role_arn must be an IAM role ARN."
  }
}

variable "organization_reads" {
  description = "Account mode only: the function reads SCPs itself (it runs in the management account or a delegated administrator). Watchdog mode reads Organizations itself whenever organization_read_role_arn is null."
  type        = bool
  default     = false
}

variable "organization_rule_timeout" {
  description = "Organization mode: how long Terraform waits for the organization rule to reach every member (create, update, delete). The provider's default is 5 minutes; hundreds of accounts take longer."
  type        = string
  default     = "30m"

  validation {
    condition     = can(regex("^[0-9]+(s|m|h)$", var.organization_rule_timeout))
    error_message = "organization_rule_timeout must be a duration such as 30m or 1h."
  }
}

variable "excluded_accounts" {
  description = "Organization mode: member accounts the organization rule skips. An account without a recorder in the Region must be listed, or the rule fails to deploy there (reference 5.1: retried for 7 hours, then CREATE_FAILED); the watchdog mode and `delivery-guard scan --org` still judge it, as AWS Config is off."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for id in var.excluded_accounts : can(regex("^\\d{12}$", id))])
    error_message = "excluded_accounts must be 12-digit account IDs."
  }
}

variable "protect_tag" {
  description = "Tag that the guardrails module's SCP protects the rule by (protect_tag_key = protect_tag_value there)."
  type = object({
    key   = string
    value = string
  })
  default = { key = "delivery-guard", value = "protected" }
}

################################################################################
# Common
################################################################################

variable "region" {
  description = "Region of the function and rule (the provider's Region when null)."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags for every resource. Must carry the ownership tags the tag policy enforces: owner and cost-center."
  type        = map(string)

  validation {
    condition     = alltrue([for key in ["owner", "cost-center"] : length(trimspace(lookup(var.tags, key, ""))) > 0])
    error_message = "tags must include non-empty \"owner\" and \"cost-center\" (the Organization's tag policy enforces them)."
  }
}

variable "event_driven" {
  description = "account and watchdog modes: an EventBridge rule sends the CloudTrail events of calls that can break a pipeline (rule/core/src/input/cloudtrail_call.rs) to the function, which checks just the account-region concerned. Watchdog: the alerts module forwards the members' events to this account's bus."
  type        = bool
  default     = true
}

variable "health_event_bus_name" {
  description = "The EventBridge bus in the function's account and Region that gets one health-change event per verdict change (HealthEventBus); null: no events."
  type        = string
  default     = "default"

  validation {
    condition     = var.health_event_bus_name == null || can(regex("^[A-Za-z0-9._-]{1,256}$", var.health_event_bus_name))
    error_message = "health_event_bus_name must be an EventBridge bus name (1-256 letters, digits, dots, hyphens, underscores) or null."
  }
}

variable "exceptions" {
  description = <<-DOC
    Accepted exceptions (docs/exceptions.md), written to a versioned bucket of the function's account
    that the rule reads at every invocation (ExceptionsObject). Each names what it covers (accounts,
    or OU paths as scans show them such as Root/sandbox; regions, default all; check IDs, an area
    such as recorder.* or *), a reason, an owner and its expiry (YYYY-MM-DD, at most
    exceptions_max_days ahead). A covered failure stays NON_COMPLIANT with "accepted until <date>
    (<owner>): <reason>", its Security Hub finding SUPPRESSED, and raises no health event or alarm.
    Null: none. OU paths apply in watchdog mode (account and organization modes do not read OUs).
  DOC
  type = list(object({
    id       = string
    accounts = optional(list(string), [])
    ous      = optional(list(string), [])
    regions  = optional(list(string), [])
    checks   = list(string)
    reason   = string
    owner    = string
    expires  = string
  }))
  default = null

  validation {
    condition     = var.exceptions == null || length(distinct([for e in coalesce(var.exceptions, []) : e.id])) == length(coalesce(var.exceptions, []))
    error_message = "exceptions: every id must be unique."
  }

  validation {
    condition = alltrue([for e in coalesce(var.exceptions, []) : (
      length(trimspace(e.reason)) > 0 && length(trimspace(e.owner)) > 0 && length(e.checks) > 0 &&
      (length(e.accounts) > 0 || length(e.ous) > 0) &&
      alltrue([for a in e.accounts : can(regex("^\\d{12}$", a)) || (a == "*" && length(e.ous) > 0)]) &&
      alltrue([for ou in e.ous : can(regex("^Root(/[^/]+)+$", ou))])
    )])
    error_message = "exceptions: each needs a reason, an owner, checks, and accounts (12-digit IDs; \"*\" only with ous) or OU paths below the root (Root/...)."
  }

  validation {
    # Mandatory and capped: the rule refuses an expiry past its ExceptionMaxDays too, at each run.
    condition = alltrue([for e in coalesce(var.exceptions, []) : (
      can(regex("^\\d{4}-\\d{2}-\\d{2}$", e.expires)) &&
      can(timecmp("${e.expires}T00:00:00Z", plantimestamp())) &&
      timecmp("${e.expires}T00:00:00Z", timeadd(plantimestamp(), "${var.exceptions_max_days * 24}h")) <= 0
    )])
    error_message = "exceptions: expires must be a date (YYYY-MM-DD) at most exceptions_max_days ahead."
  }

  validation {
    # The document must stay small: the rule reads at most 1 MiB.
    condition     = length(jsonencode(coalesce(var.exceptions, []))) <= 1048576
    error_message = "exceptions: the document is over 1 MiB."
  }
}

variable "exceptions_max_days" {
  description = "The cap on how far ahead an exception may expire, in days (the rule's ExceptionMaxDays)."
  type        = number
  default     = 180

  validation {
    condition     = var.exceptions_max_days >= 1 && var.exceptions_max_days <= 366 && floor(var.exceptions_max_days) == var.exceptions_max_days
    error_message = "exceptions_max_days must be a whole number from 1 to 366."
  }
}
