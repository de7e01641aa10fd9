output "rule_names" {
  description = "The organization rule in each Region."
  value       = { for region, rule in module.rule : region => rule.rule_name }
}

output "function_role_arns" {
  description = "The rule's function role in each Region (the audit, reader and organization-reader roles trust these)."
  value       = { for region, rule in module.rule : region => rule.function_role_arn }
}
