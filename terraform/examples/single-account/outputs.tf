output "bucket_name" {
  description = "The Config bucket."
  value       = module.log_archive.bucket_name
}

output "rule_names" {
  description = "The Config rule in each Region."
  value       = { for region, rule in module.rule : region => rule.rule_name }
}

output "alert_topic_arn" {
  description = "Subscribe here for alerts."
  value       = module.alerts.topic_arn
}
