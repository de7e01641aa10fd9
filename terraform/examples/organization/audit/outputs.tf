output "function_role_arn" {
  description = "Every member's audit role trusts this role."
  value       = module.rule.function_role_arn
}

output "alert_topic_arn" {
  description = "Subscribe here for alerts."
  value       = module.alerts.topic_arn
}
