variable "values" {
  description = "The templates' placeholders: exempt_principal_arns (a JSON list), partition, recorder_role_name, audit_role_name, log_bucket, log_key_arn, function_name, alert_topic_name, alert_rule_prefix, protect_tag_key, protect_tag_value, organization_rule_name, organization_id."
  type        = map(string)
}

variable "templates_dir" {
  description = "Folder of the reviewed templates; the module's templates/ (a copy of the repository's scp-policies/) by default."
  type        = string
  default     = null
}
