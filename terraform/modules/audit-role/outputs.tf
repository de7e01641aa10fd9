output "role_arn" {
  description = "ARN of the role (LogArchiveReadRoleArn or OrganizationReadRoleArn when used as a reader)."
  value       = aws_iam_role.this.arn
}

output "role_name" {
  description = "Name of the role: the rule's AuditRoleName."
  value       = aws_iam_role.this.name
}

output "actions" {
  description = "Every action the role holds."
  value       = module.permissions.actions
}
