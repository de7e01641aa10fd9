variable "role_name" {
  description = "Name of the role. The rule's AuditRoleName (in members) or the role named by LogArchiveReadRoleArn / OrganizationReadRoleArn."
  type        = string
  default     = "ConfigDeliveryAudit"

  validation {
    condition     = can(regex("^[\\w+=,.@-]{1,64}$", var.role_name))
    error_message = "role_name must be an IAM role name (1-64 of letters, digits and +=,.@_-)."
  }
}

variable "rule_function_role_arn" {
  description = "The rule's Lambda execution role (the rule module's function_role_arn), or a pattern of them (role/config-delivery-guard-*, one function per Region): trusted through its account's root and aws:PrincipalArn, so the role need not exist yet."
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
    # RE2 caps a repeat count at 1000, so the length is checked apart.
    condition     = var.external_id == null || (can(regex("^[\\w+=,.@:/-]+$", var.external_id)) && length(coalesce(var.external_id, "")) >= 2 && length(coalesce(var.external_id, "")) <= 1224)
    error_message = "external_id must be 2-1224 of letters, digits and +=,.@:/-_ (STS's rule)."
  }
}

variable "permissions" {
  description = <<-DOC
    What the role may do. Members: ["delivery-checks"], plus "list-regions" for a watchdog without
    Regions, "event-path-trails" for the watchdog's and scan's event-path.blind check, and
    "security-hub" with SecurityHubFindings. The log-archive reader: ["log-archive"].
    The organization reader in the management account: ["organization"].
  DOC
  type        = list(string)
  default     = ["delivery-checks", "list-regions", "event-path-trails"]

  validation {
    condition     = length(var.permissions) > 0 && alltrue([for p in var.permissions : contains(["delivery-checks", "list-regions", "event-path-trails", "security-hub", "log-archive", "organization"], p)])
    error_message = "permissions may only name delivery-checks, list-regions, event-path-trails, security-hub, log-archive and organization."
  }
}

variable "max_session_duration" {
  description = "Longest session, in seconds; the watchdog asks for 3600."
  type        = number
  default     = 3600

  validation {
    condition     = var.max_session_duration >= 3600 && var.max_session_duration <= 43200
    error_message = "max_session_duration must be between 3600 and 43200 seconds."
  }
}

variable "permissions_boundary_arn" {
  description = "Permissions boundary for the role, or null."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags for the role. Must carry the ownership tags the tag policy enforces: owner and cost-center."
  type        = map(string)

  validation {
    condition     = alltrue([for key in ["owner", "cost-center"] : length(trimspace(lookup(var.tags, key, ""))) > 0])
    error_message = "tags must include non-empty \"owner\" and \"cost-center\" (the Organization's tag policy enforces them)."
  }
}
