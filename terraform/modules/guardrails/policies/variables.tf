variable "values" {
  description = "The templates' placeholders: exempt_principal_arns (a JSON list), partition, recorder_role_name, audit_role_name, log_bucket, log_key_arn, function_name, alert_topic_name, alert_rule_prefix, protect_tag_key, protect_tag_value, organization_rule_name, organization_id."
  type        = map(string)
}

variable "templates_dir" {
  description = "Folder of the reviewed templates; the module's templates/ (a copy of the repository's scp-policies/) by default."
  type        = string
  default     = null
}

variable "required_tag_resource_types" {
  description = "Tag policy resource types (service:type) the ownership tags are required for; null: the template's."
  type        = list(string)
  default     = null
}

variable "casing_enforced_for" {
  description = "Tag policy resource types on which another casing of the ownership tags is refused (enforced_for)."
  type        = list(string)
  default     = []
}
