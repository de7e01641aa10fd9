output "organization_read_role_arn" {
  description = "The audit account's rule takes it as organization_read_role_arn."
  value       = module.organization_reader.role_arn
}

output "service_control_policy_ids" {
  description = "The guardrail SCPs."
  value       = module.guardrails.service_control_policy_ids
}
