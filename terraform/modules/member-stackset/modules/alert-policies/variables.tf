variable "partition" {
  description = "The AWS partition."
  type        = string
}

variable "account_id" {
  description = "The account the alerts are deployed in."
  type        = string
}

variable "name_prefix" {
  description = "Prefix of the alarms (the alarm-state pattern matches it)."
  type        = string
}

variable "rule_names" {
  description = "Config rule names whose NON_COMPLIANT changes alert; organization rules are matched by their OrgConfigRule-<name> prefix as well."
  type        = list(string)
}

variable "log_bucket_name" {
  description = "The log-archive bucket whose policy and configuration changes alert, or null."
  type        = string
  default     = null
}

variable "log_key_arns" {
  description = "KMS keys whose disabling, deletion or re-policying alerts."
  type        = list(string)
  default     = []
}

variable "protected_role_names" {
  description = "IAM roles (recorder role, audit role) whose changes alert; IAM's events arrive in us-east-1 only."
  type        = list(string)
  default     = []
}

variable "rule_function_names" {
  description = "config-delivery-guard's Lambda functions, one per Region where the rule runs: deleting, re-coding, reconfiguring or un-permitting any alerts. Empty where none runs."
  type        = list(string)
  default     = []
}

variable "topic_arn" {
  description = "The alert topic, for its policy; null where no topic is made (forwarding accounts)."
  type        = string
  default     = null
}

variable "organization_id" {
  description = "Organization whose accounts may send to this account's event bus, or null."
  type        = string
  default     = null
}

variable "event_bus_arns" {
  description = "Default event buses (one per Region) that receive the Organization's forwarded events."
  type        = list(string)
  default     = []
}

variable "forward_to_event_bus_arns" {
  description = "Buses a forwarding role may put events on."
  type        = list(string)
  default     = []
}
