output "topic_arn" {
  description = "The alert topic (central mode), or null."
  value       = try(aws_sns_topic.this[0].arn, null)
}

output "event_bus_arn" {
  description = "The bus the events end on: this account's default bus in home_region (central) or the audit account's (forwarding)."
  value       = local.home_bus
}

output "rule_names" {
  description = "EventBridge rule name per alert kind and Region."
  value       = { for key, rule in aws_cloudwatch_event_rule.this : key => rule.name }
}

output "alarm_names" {
  description = "Delivery-failure alarm per metric and Region."
  value       = { for key, alarm in aws_cloudwatch_metric_alarm.delivery : key => alarm.alarm_name }
}

output "event_patterns" {
  description = "The event patterns by alert kind."
  value       = module.policies.event_patterns
}
