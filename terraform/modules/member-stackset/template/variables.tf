variable "partition" {
  description = "The AWS partition (aws, aws-cn, aws-us-gov)."
  type        = string
}

variable "role_name" {
  description = "The rule's AuditRoleName."
  type        = string
}

variable "rule_function_role_arn" {
  description = "The rule's Lambda execution role, or a pattern of them."
  type        = string
}

variable "organization_id" {
  description = "The Organization the trusted role must belong to."
  type        = string
}

variable "external_id" {
  description = "The rule's AuditRoleExternalId, or null."
  type        = string
}

variable "permissions" {
  description = "The catalogue's grants the role holds."
  type        = list(string)
}

variable "max_session_duration" {
  description = "The role's maximum session, in seconds."
  type        = number
}

variable "permissions_boundary_arn" {
  description = "A permissions boundary for the role, or null."
  type        = string
}

variable "tags" {
  description = "The role's tags."
  type        = map(string)
}
