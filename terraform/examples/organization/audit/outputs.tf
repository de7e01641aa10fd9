output "function_role_arns" {
  description = "The rule's role in each Region; every member's audit role trusts role/config-delivery-guard-* of this account."
  value       = { for region, rule in module.rule : region => rule.function_role_arn }
}

output "alert_topic_arn" {
  description = "Subscribe here for alerts."
  value       = module.alerts.topic_arn
}
