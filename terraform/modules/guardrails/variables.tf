variable "name_prefix" {
  description = "Prefix of the policies' names in Organizations."
  type        = string
  default     = "config-delivery-guard"
}

variable "exempt_principal_arns" {
  description = <<-DOC
    The principal patterns every guardrail exempts (ArnNotLike on aws:PrincipalArn). List the roles
    that must keep changing what the guardrails protect, or day two is blocked: the pipeline role
    that applies the modules (a new member's recorder, the log archive's policies, the rule and the
    function), Control Tower's arn:aws:iam::*:role/AWSControlTowerExecution (or AFT's execution
    role) for account vending, and a break-glass role.
  DOC
  type        = list(string)

  validation {
    condition     = length(var.exempt_principal_arns) > 0 && alltrue([for arn in var.exempt_principal_arns : can(regex("^arn:aws[a-z-]*:iam::(\\d{12}|\\*):role/", arn))])
    error_message = "exempt_principal_arns must list at least one role ARN pattern such as arn:aws:iam::*:role/BreakGlass."
  }
}

variable "organization_id" {
  description = "The Organization (the perimeter RCP admits only its principals and services acting for it)."
  type        = string

  validation {
    condition     = can(regex("^o-[a-z0-9]{10,32}$", var.organization_id))
    error_message = "organization_id must look like o-abc123def4."
  }
}

variable "recorder_role_name" {
  description = "Name of a customer-managed recorder role to protect (the service-linked role needs no SCP: SCPs do not apply to it)."
  type        = string
  default     = "config-recorder"
}

variable "audit_role_name" {
  description = "Name of config-delivery-guard's audit role in the members."
  type        = string
  default     = "ConfigDeliveryAudit"
}

variable "log_bucket" {
  description = "The log-archive bucket."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.log_bucket))
    error_message = "log_bucket must be a valid S3 bucket name."
  }
}

variable "log_key_arn" {
  description = "The log-archive KMS key."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:\\d{12}:key/", var.log_key_arn))
    error_message = "log_key_arn must be a KMS key ARN."
  }
}

variable "function_name" {
  description = "The rule's Lambda function."
  type        = string
  default     = "config-delivery-guard"
}

variable "organization_rule_name" {
  description = "The organization rule's name (organization mode)."
  type        = string
  default     = "delivery-pipeline"
}

variable "alert_topic_name" {
  description = "The alerts module's SNS topic."
  type        = string
  default     = "config-delivery-alerts"
}

variable "alert_rule_prefix" {
  description = "Prefix of the alerts module's EventBridge rules and alarms."
  type        = string
  default     = "config-delivery-"
}

variable "protect_tag" {
  description = "Tag that marks the rule as protected (the rule module's protect_tag)."
  type = object({
    key   = string
    value = string
  })
  default = { key = "delivery-guard", value = "protected" }
}

variable "targets" {
  description = <<-DOC
    Roots, OUs or accounts each policy is attached to. config_tampering and role_tampering: where
    members record; log_archive_tampering and log_archive_perimeter (an RCP): the log-archive account;
    watchdog_tampering: the audit account; ownership_tags: where the tag policy applies. An empty list
    creates the policy without attaching it.
  DOC
  type = object({
    config_tampering      = optional(list(string), [])
    role_tampering        = optional(list(string), [])
    log_archive_tampering = optional(list(string), [])
    watchdog_tampering    = optional(list(string), [])
    ownership_tags        = optional(list(string), [])
    log_archive_perimeter = optional(list(string), [])
  })
  default = {}

  validation {
    condition = alltrue([
      for id in flatten(values(var.targets)) : can(regex("^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|\\d{12})$", id))
    ])
    error_message = "targets must hold root IDs (r-...), OU IDs (ou-...-...) or 12-digit account IDs."
  }
}

variable "tags" {
  description = "Tags for the policies. Must carry the ownership tags the tag policy enforces: owner and cost-center."
  type        = map(string)

  validation {
    condition     = alltrue([for key in ["owner", "cost-center"] : length(trimspace(lookup(var.tags, key, ""))) > 0])
    error_message = "tags must include non-empty \"owner\" and \"cost-center\" (the Organization's tag policy enforces them)."
  }
}

variable "organization_trail" {
  description = <<-DOC
    EventBridge receives "AWS API Call via CloudTrail" events only where a trail logs management
    events: without one the alerts and the rule's event path are blind, and only the scheduled run
    catches a broken pipeline. Give a bucket (whose policy lets CloudTrail write, and the key's for
    CloudTrail to encrypt) to create a multi-Region organization trail here; leave null where one
    already logs (Control Tower's aws-controltower-BaselineCloudTrail).
  DOC
  type = object({
    name           = optional(string, "config-delivery-guard")
    s3_bucket_name = string
    kms_key_arn    = string
  })
  default = null

  validation {
    condition     = var.organization_trail == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:\\d{12}:key/", var.organization_trail.kms_key_arn))
    error_message = "organization_trail.kms_key_arn must be a KMS key ARN."
  }
}

variable "ownership_tag_required_for" {
  description = <<-DOC
    Tag policy resource types (service:type, as the AWS Organizations User Guide lists them for
    "Required tag key") on which owner and cost-center are required: reported by Organizations, and
    refused before creation by Terraform (the AWS provider's tag_policy_compliance = "error", provider
    6.22 and later), CloudFormation (its tag policy hook) and Pulumi. Null: the template's list (the
    resource types these modules create). Basic compliance rules alone never require a key.
  DOC
  type        = list(string)
  default     = null

  validation {
    condition     = var.ownership_tag_required_for == null || alltrue([for type in coalesce(var.ownership_tag_required_for, []) : can(regex("^[a-z0-9-]+:[A-Za-z0-9*-]+$", type))])
    error_message = "ownership_tag_required_for must list service:type resource types, such as s3:bucket."
  }
}

variable "ownership_tag_casing_enforced_for" {
  description = <<-DOC
    Resource types (service:type) on which Organizations refuses owner or cost-center in another
    casing (the tag policy's enforced_for). Empty by default: enforcement applies to every resource of
    the type in every targeted account, so a team's unrelated bucket tagged "Owner" could no longer be
    tagged; name only types whose every resource follows this Organization's casing.
  DOC
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for type in var.ownership_tag_casing_enforced_for : can(regex("^[a-z0-9-]+:[A-Za-z0-9*-]+$", type))])
    error_message = "ownership_tag_casing_enforced_for must list service:type resource types, such as s3:bucket."
  }
}
