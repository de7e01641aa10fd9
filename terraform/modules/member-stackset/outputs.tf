output "stack_set_name" {
  description = "The stack set."
  value       = aws_cloudformation_stack_set.audit_role.name
}

output "template_body" {
  description = "The CloudFormation template every member gets (the audit role), for review and for the policy tests."
  value       = module.template.template_body
}

output "role_name" {
  description = "The rule's AuditRoleName."
  value       = var.role_name
}

output "actions" {
  description = "Every action the role holds."
  value       = module.template.actions
}

output "regional_stack_set_name" {
  description = "The regional stack set, or null when there is none."
  value       = one(aws_cloudformation_stack_set.regional[*].name)
}

output "regional_template_body" {
  description = "The CloudFormation template every member gets in every Region (forwarding, alarms, recorder), for review and for the tests."
  value       = module.regional.template_body
}

output "forwarded_kinds" {
  description = "The alert kinds each member forwards to the central bus."
  value       = module.regional.forwarded_kinds
}
