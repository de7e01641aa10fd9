output "organization_reader_role_arn" {
  description = "The rule's OrganizationReadRoleArn."
  value       = module.organization_reader.role_arn
}
