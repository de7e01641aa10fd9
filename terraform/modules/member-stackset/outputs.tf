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
