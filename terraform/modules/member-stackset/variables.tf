variable "organizational_unit_ids" {
  description = "The OUs (or the root, r-...) whose accounts, present and future, get the audit role."
  type        = list(string)

  validation {
    condition     = length(var.organizational_unit_ids) > 0 && alltrue([for id in var.organizational_unit_ids : can(regex("^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$", id))])
    error_message = "organizational_unit_ids must list OU IDs (ou-...-...) or the root ID (r-...)."
  }
}

variable "home_region" {
  description = "The one Region the stack instances deploy in: the role is an IAM resource, global to the account, so a second Region would collide on its name."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-\\d$", var.home_region))
    error_message = "home_region must be a Region name such as us-east-1."
  }
}

variable "call_as" {
  description = "SELF in the management account; DELEGATED_ADMIN in a StackSets delegated administrator account."
  type        = string
  default     = "SELF"

  validation {
    condition     = contains(["SELF", "DELEGATED_ADMIN"], var.call_as)
    error_message = "call_as must be SELF or DELEGATED_ADMIN."
  }
}

variable "stack_set_name" {
  description = "The stack set's name."
  type        = string
  default     = "config-delivery-guard-audit-role"

  validation {
    # CloudFormation: a stack set name starts with a letter and holds letters, digits and hyphens, 128 at most.
    condition     = can(regex("^[A-Za-z][A-Za-z0-9-]{0,127}$", var.stack_set_name))
    error_message = "stack_set_name must start with a letter and hold only letters, digits and hyphens (128 at most)."
  }
}

variable "role_name" {
  description = "The rule's AuditRoleName."
  type        = string
  default     = "ConfigDeliveryAudit"

  validation {
    condition     = can(regex("^[\\w+=,.@-]{1,64}$", var.role_name))
    error_message = "role_name must be an IAM role name (1-64 of letters, digits and +=,.@_-)."
  }
}

variable "rule_function_role_arn" {
  description = "The rule's Lambda execution role, or a pattern of them (role/config-delivery-guard-*): trusted through its account's root and aws:PrincipalArn, as in the audit-role module."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::\\d{12}:role/", var.rule_function_role_arn))
    error_message = "rule_function_role_arn must be an IAM role ARN."
  }
}

variable "organization_id" {
  description = "The Organization the trusted role must belong to (aws:PrincipalOrgID)."
  type        = string

  validation {
    condition     = can(regex("^o-[a-z0-9]{10,32}$", var.organization_id))
    error_message = "organization_id must look like o-abc123def4."
  }
}

variable "external_id" {
  description = "The rule's AuditRoleExternalId, required in the trust when set."
  type        = string
  default     = null

  validation {
    condition     = var.external_id == null || (can(regex("^[\\w+=,.@:/-]+$", var.external_id)) && length(coalesce(var.external_id, "")) >= 2 && length(coalesce(var.external_id, "")) <= 1224)
    error_message = "external_id must be 2-1224 of letters, digits and +=,.@:/-_ (STS's rule)."
  }
}

variable "permissions" {
  description = "What the role may do, as in the audit-role module: delivery-checks, list-regions, event-path-trails, security-hub."
  type        = list(string)
  default     = ["delivery-checks", "list-regions", "event-path-trails"]

  validation {
    condition     = length(var.permissions) > 0 && alltrue([for p in var.permissions : contains(["delivery-checks", "list-regions", "event-path-trails", "security-hub"], p)])
    error_message = "permissions may only name delivery-checks, list-regions, event-path-trails and security-hub."
  }
}

variable "max_session_duration" {
  description = "The role's maximum session, in seconds (3600 to 43200)."
  type        = number
  default     = 3600

  validation {
    condition     = var.max_session_duration >= 3600 && var.max_session_duration <= 43200
    error_message = "max_session_duration must be between 3600 and 43200 seconds."
  }
}

variable "permissions_boundary_arn" {
  description = "A permissions boundary for the role, where the Organization requires one."
  type        = string
  default     = null
}

variable "failure_tolerance_percentage" {
  description = "Accounts per Region whose deployment may fail before CloudFormation stops the operation, in percent."
  type        = number
  default     = 10

  validation {
    condition     = var.failure_tolerance_percentage >= 0 && var.failure_tolerance_percentage <= 100
    error_message = "failure_tolerance_percentage must be 0 to 100."
  }
}

variable "max_concurrent_percentage" {
  description = "Accounts deployed at once, in percent of the targets."
  type        = number
  default     = 25

  validation {
    condition     = var.max_concurrent_percentage >= 1 && var.max_concurrent_percentage <= 100
    error_message = "max_concurrent_percentage must be 1 to 100."
  }
}

variable "tags" {
  description = "Tags for the stack set and the role. Must carry the ownership tags the tag policy enforces: owner and cost-center."
  type        = map(string)

  validation {
    condition     = alltrue([for key in ["owner", "cost-center"] : length(trimspace(lookup(var.tags, key, ""))) > 0])
    error_message = "tags must include non-empty \"owner\" and \"cost-center\" (the Organization's tag policy enforces them)."
  }
}

variable "regions" {
  description = "The Regions the regional stack set covers (event forwarding, delivery alarms, the recorder); must include home_region. Empty: the audit role alone."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for region in var.regions : can(regex("^[a-z]{2}(-[a-z]+)+-\\d$", region))])
    error_message = "regions must be Region names such as eu-west-1."
  }

  validation {
    condition     = length(var.regions) == 0 || contains(var.regions, var.home_region)
    error_message = "regions must include home_region (the forwarding and service-linked roles are created there)."
  }

  validation {
    condition     = length(var.regions) == 0 || var.forward_to_account_id != null || var.recorder != null
    error_message = "regions deploys nothing without forward_to_account_id or recorder."
  }
}

variable "forward_to_account_id" {
  description = "The audit account whose default bus in home_region receives every member's pipeline events (the central alerts module there must allow the Organization: organization_id). Null: no forwarding."
  type        = string
  default     = null

  validation {
    condition     = var.forward_to_account_id == null || can(regex("^\\d{12}$", var.forward_to_account_id))
    error_message = "forward_to_account_id must be a 12-digit account ID."
  }
}

variable "name_prefix" {
  description = "Prefix of the members' EventBridge rules, alarms and forwarding role: the alerts module's name_prefix (its central alarm pattern matches it, and the guardrails module's alert_rule_prefix protects it)."
  type        = string
  default     = "config-delivery-"

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{1,30}$", var.name_prefix))
    error_message = "name_prefix must be 1-30 letters, digits, dots, hyphens or underscores."
  }
}

variable "rule_names" {
  description = "The rule's names, for the forwarded compliance and rule-tamper events."
  type        = list(string)
  default     = ["config-delivery-guard"]
}

variable "recorder" {
  description = "The recorder and delivery channel in every Region of every member, where the pipeline is ours. Null (the default) where it is not: under AWS Control Tower (its GRCONFIGENABLED control denies these calls) or where accounts keep their own."
  type = object({
    bucket_name                = string
    key_prefix                 = optional(string)
    kms_key_arn                = optional(string)
    name                       = optional(string, "default")
    delivery_channel_name      = optional(string, "default")
    snapshot_frequency         = optional(string, "TwentyFour_Hours")
    create_service_linked_role = optional(bool, false)
  })
  default = null

  validation {
    condition     = var.recorder == null || !anytrue([for name in [try(var.recorder.name, ""), try(var.recorder.delivery_channel_name, "")] : startswith(name, "aws-controltower-")])
    error_message = "recorder must not name AWS Control Tower's recorder or channel (aws-controltower-*): Control Tower owns them and its GRCONFIGENABLED control denies changing them; leave recorder null under Control Tower."
  }

  validation {
    condition     = var.recorder == null || contains(["One_Hour", "Three_Hours", "Six_Hours", "Twelve_Hours", "TwentyFour_Hours"], try(var.recorder.snapshot_frequency, ""))
    error_message = "recorder.snapshot_frequency must be One_Hour, Three_Hours, Six_Hours, Twelve_Hours or TwentyFour_Hours."
  }
}

variable "regional_stack_set_name" {
  description = "The regional stack set's name."
  type        = string
  default     = "config-delivery-guard-member-regional"

  validation {
    condition     = can(regex("^[A-Za-z][A-Za-z0-9-]{0,127}$", var.regional_stack_set_name))
    error_message = "regional_stack_set_name must start with a letter and hold only letters, digits and hyphens (128 at most)."
  }
}
