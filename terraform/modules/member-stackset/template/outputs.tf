output "template_body" {
  description = "The CloudFormation template (JSON)."
  value       = jsonencode(local.template)
}

output "actions" {
  description = "Every action the role holds."
  value       = module.permissions.actions
}
