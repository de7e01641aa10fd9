output "template_body" {
  description = "The CloudFormation template (JSON) every member gets in every Region."
  value       = local.template_body
}

output "forwarded_kinds" {
  description = "The alert kinds each member forwards to the central bus."
  value       = sort(keys(local.forwarded))
}

output "forwarding_role_trust_json" {
  description = "The forwarding role's trust, as the template carries it (the account is the stack's own)."
  value       = jsonencode(local.forwarding_trust)
}

output "forwarding_role_policy_json" {
  description = "The forwarding role's policy."
  value       = module.policies.forwarding_policy_json
}
