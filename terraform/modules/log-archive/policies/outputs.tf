output "bucket_policy_json" {
  description = "The bucket policy, minified."
  value       = jsonencode(local.bucket_policy)

  precondition {
    condition     = length(jsonencode(local.bucket_policy)) <= 20480
    error_message = "The bucket policy is over S3's 20 KB limit: set delivery_paths = \"wildcard\" (one path for all members) or source_condition = \"organization\" (no account list)."
  }
}

output "key_policy_json" {
  description = "The key policy, minified."
  value       = jsonencode(local.key_policy)

  precondition {
    condition     = length(jsonencode(local.key_policy)) <= 32768
    error_message = "The key policy is over KMS's 32 KB limit: set source_condition = \"organization\"."
  }
}
