output "reader_role_arn" {
  description = "The rule's LogArchiveReadRoleArn."
  value       = module.reader.role_arn
}
