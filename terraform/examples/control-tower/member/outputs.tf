output "forwarding_rule_names" {
  description = "The EventBridge rules that forward this account's pipeline events to the audit account."
  value       = module.alerts.rule_names
}
