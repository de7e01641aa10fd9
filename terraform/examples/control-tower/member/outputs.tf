output "audit_role_arn" {
  description = "The role the rule assumes in this account."
  value       = module.audit_role.role_arn
}
