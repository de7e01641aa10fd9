variable "name_prefix" {
  description = "Prefix of every rule, alarm, topic and role (the guardrails module's alert_rule_prefix protects it)."
  type        = string
  default     = "config-delivery-"

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{1,30}$", var.name_prefix))
    error_message = "name_prefix must be 1-30 letters, digits, dots, hyphens or underscores."
  }
}

variable "regions" {
  description = "Regions to watch: each gets the EventBridge rules and the AWS/Config delivery alarms."
  type        = list(string)

  validation {
    condition     = length(var.regions) > 0 && alltrue([for r in var.regions : can(regex("^[a-z]{2}(-[a-z]+)+-\\d$", r))])
    error_message = "regions must list at least one Region name such as us-east-1."
  }
}

variable "home_region" {
  description = "Region of the alert topic (central) or of the central bus (forwarding); must be one of regions."
  type        = string

  validation {
    condition     = contains(var.regions, var.home_region)
    error_message = "home_region must be one of regions."
  }
}

variable "forward_to_account_id" {
  description = "Forwarding mode (member accounts): the audit account whose default bus in home_region receives this account's events. Null: this is the central account, with the topic."
  type        = string
  default     = null

  validation {
    condition     = var.forward_to_account_id == null || can(regex("^\\d{12}$", var.forward_to_account_id))
    error_message = "forward_to_account_id must be a 12-digit account ID."
  }
}

variable "organization_id" {
  description = "Central mode: let the Organization's accounts forward to this account's default bus in home_region. Null: receive nothing from others."
  type        = string
  default     = null

  validation {
    condition     = var.organization_id == null || can(regex("^o-[a-z0-9]{10,32}$", var.organization_id))
    error_message = "organization_id must look like o-abc123def4."
  }
}

variable "rule_names" {
  description = "Config rules whose NON_COMPLIANT changes alert (the rule module's rule_name)."
  type        = list(string)
  default     = ["delivery-pipeline"]
}

variable "rule_functions" {
  description = "config-delivery-guard's function in every Region where it runs, by Region (the rule module's function_name and failure_queue_name): deleting, re-coding, reconfiguring or un-permitting any alerts, and (central mode) a failed evaluation in any Region's failure queue raises an alarm there."
  type = map(object({
    function_name      = string
    failure_queue_name = optional(string)
  }))
  default = {}

  validation {
    condition     = alltrue([for region in keys(var.rule_functions) : can(regex("^[a-z]{2}(-[a-z]+)+-\\d$", region))])
    error_message = "rule_functions must be keyed by Region names such as us-east-1."
  }
}

variable "log_bucket_name" {
  description = "The log-archive bucket: policy, ACL, encryption, versioning and deletion calls on it alert. Only useful in the log-archive account."
  type        = string
  default     = null
}

variable "log_key_arns" {
  description = "KMS keys whose DisableKey, ScheduleKeyDeletion, PutKeyPolicy, DisableKeyRotation or CreateGrant alert. Only useful in the key's account."
  type        = list(string)
  default     = []
}

variable "protected_role_names" {
  description = "IAM roles (a customer-managed recorder role, the audit role) whose changes alert. IAM events arrive in us-east-1 only, so that rule exists only if us-east-1 is watched."
  type        = list(string)
  default     = []
}

variable "subscriptions" {
  description = "Subscriptions to the alert topic (central mode)."
  type = list(object({
    protocol = string
    endpoint = string
  }))
  default = []

  validation {
    condition     = alltrue([for s in var.subscriptions : contains(["email", "email-json", "https", "http", "sqs", "lambda", "sms", "application", "firehose"], s.protocol)])
    error_message = "subscriptions[].protocol must be an SNS protocol (email, email-json, https, http, sqs, lambda, sms, application, firehose)."
  }
}

variable "tags" {
  description = "Tags for every resource. Must carry the ownership tags the tag policy enforces: owner and cost-center."
  type        = map(string)

  validation {
    condition     = alltrue([for key in ["owner", "cost-center"] : length(trimspace(lookup(var.tags, key, ""))) > 0])
    error_message = "tags must include non-empty \"owner\" and \"cost-center\" (the Organization's tag policy enforces them)."
  }
}
