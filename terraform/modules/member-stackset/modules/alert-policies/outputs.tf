output "event_patterns" {
  description = "Event pattern JSON by alert kind: compliance, delivery-failed, config-tamper, rule-tamper, alarms, and function-tamper, bucket-tamper, key-tamper, role-tamper when their resources are given."
  value       = { for kind, pattern in local.patterns : kind => jsonencode(pattern) }
}

output "topic_policy_json" {
  description = "The alert topic's policy, or null."
  value       = local.topic_policy == null ? null : jsonencode(local.topic_policy)
}

output "topic_key_policy_json" {
  description = "The alert topic key's policy."
  value       = jsonencode(local.topic_key_policy)
}

output "bus_policy_json" {
  description = "Policy of each receiving bus, by bus ARN."
  value       = { for arn, policy in local.bus_policies : arn => jsonencode(policy) }

  precondition {
    condition     = length(var.event_bus_arns) == 0 || var.organization_id != null
    error_message = "Receiving the Organization's events needs organization_id."
  }
}

output "forwarding_trust_json" {
  description = "Trust policy of the role EventBridge uses to forward events."
  value       = jsonencode(local.forwarding_trust)
}

output "forwarding_policy_json" {
  description = "Permissions of the forwarding role."
  value       = jsonencode(local.forwarding_policy)
}

output "delivery_alarm_metrics" {
  description = "The AWS/Config metrics alarmed on in every recorded Region, with what a datapoint means."
  value       = local.alarm_metrics
}
