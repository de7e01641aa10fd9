variable "partition" {
  description = "The AWS partition (aws, aws-cn, aws-us-gov)."
  type        = string
}

variable "grants" {
  description = <<-DOC
    What the role may do, from the catalogue in main.tf:
    delivery-checks (read the recorder, channel, bucket, key and recorder role; report evaluations),
    list-regions (account:ListRegions, for the watchdog without a Regions parameter),
    event-path-trails (the CloudTrail trails that feed the event path: event-path.blind),
    security-hub (import and resolve findings), log-archive (read the central bucket and key policies),
    organization (list accounts and read SCPs on their path), report (config:PutEvaluations alone),
    assume-audit-roles (sts:AssumeRole on assume_role_arns), function-log (write log_group_arn),
    failure-destination (send to failure_queue_arn). A function (function_mode) also gets
    rule-state (its own rule's results and parameters, StartConfigRulesEvaluation; account and
    watchdog modes), own-organization (organizations:DescribeOrganization of its own account, so
    that organization mode judges only accounts of it), health-events (events:PutEvents on
    health_event_bus_arn) and read-exceptions (s3:GetObject on exceptions_object_arn).
  DOC
  type        = list(string)
  default     = []

  validation {
    condition = alltrue([for grant in var.grants : contains([
      "delivery-checks", "list-regions", "event-path-trails", "security-hub", "log-archive", "organization",
      "report", "assume-audit-roles", "function-log", "failure-destination",
    ], grant)])
    error_message = "grants may only name delivery-checks, list-regions, event-path-trails, security-hub, log-archive, organization, report, assume-audit-roles, function-log and failure-destination."
  }
}

variable "assume_role_arns" {
  description = "Roles the holder may assume (with assume-audit-roles): the audit role pattern and the reader roles."
  type        = list(string)
  default     = []
}

variable "log_group_arn" {
  description = "The function's log group (with function-log)."
  type        = string
  default     = null
}

variable "failure_queue_arn" {
  description = "The on-failure destination queue (with failure-destination)."
  type        = string
  default     = null
}

variable "trusted_role_arn" {
  description = "For audit_role_trust_json: the rule's Lambda role, the only principal that may assume the audit role."
  type        = string
  default     = null
}

variable "organization_id" {
  description = "The Organization: for audit_role_trust_json, the one the trusted role must belong to; for assume-audit-roles, the one whose accounts' roles alone may be assumed (aws:ResourceOrgID)."
  type        = string
  default     = null

  validation {
    condition     = var.organization_id == null || can(regex("^o-[a-z0-9]{10,32}$", var.organization_id))
    error_message = "organization_id must look like o-abc123def4."
  }
}

variable "external_id" {
  description = "For audit_role_trust_json: the sts:ExternalId the trusted role must pass, or null."
  type        = string
  default     = null
}

variable "function_account_id" {
  description = "For function_trust_json: the account of the rule's Lambda function."
  type        = string
  default     = null
}

variable "function_mode" {
  description = "For the rule's Lambda role: account, organization or watchdog. Adds that mode's grants to grants: account judges in place (delivery-checks); the others assume audit roles and only report themselves."
  type        = string
  default     = null

  validation {
    condition     = var.function_mode == null || contains(["account", "organization", "watchdog"], var.function_mode)
    error_message = "function_mode must be account, organization or watchdog."
  }
}

variable "organization_reads" {
  description = "With function_mode: the function reads Organizations itself (account mode in the management account or a delegated administrator; watchdog without an organization reader role)."
  type        = bool
  default     = false
}

variable "security_hub" {
  description = "With function_mode = account: the function imports Security Hub findings itself (SecurityHubFindings)."
  type        = bool
  default     = false
}

variable "health_event_bus_arn" {
  description = "The EventBridge bus the function publishes health-change events to (the health-events grant); null: none."
  type        = string
  default     = null

  validation {
    condition     = var.health_event_bus_arn == null || can(regex("^arn:aws[a-z-]*:events:[a-z0-9-]+:[0-9]{12}:event-bus/[A-Za-z0-9._/-]+$", var.health_event_bus_arn))
    error_message = "health_event_bus_arn must be an EventBridge bus ARN (arn:aws:events:REGION:ACCOUNT:event-bus/NAME)."
  }
}

variable "exceptions_object_arn" {
  description = "The S3 object holding the accepted-exceptions document the function reads (the read-exceptions grant); null: none."
  type        = string
  default     = null

  validation {
    condition     = var.exceptions_object_arn == null || can(regex("^arn:aws[a-z-]*:s3:::[a-z0-9.-]{3,63}/.+$", var.exceptions_object_arn))
    error_message = "exceptions_object_arn must be an S3 object ARN (arn:aws:s3:::BUCKET/KEY)."
  }
}
