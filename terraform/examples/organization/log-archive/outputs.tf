output "bucket_name" {
  description = "Every member's delivery bucket."
  value       = module.log_archive.bucket_name
}

output "kms_key_arn" {
  description = "Every member's s3_kms_key_arn."
  value       = module.log_archive.kms_key_arn
}

output "log_archive_read_role_arn" {
  description = "The audit account's rule takes it as log_archive_read_role_arn."
  value       = module.reader.role_arn
}
