output "bucket_name" {
  description = "The log-archive bucket: every member's delivery channel s3_bucket_name, and the rule's ExpectedBucket."
  # From the policy, not the bucket: a delivery channel created in the same apply then waits for the
  # policy that admits it (Config refuses a channel the bucket policy does not allow:
  # InsufficientDeliveryPolicyException). Still known at plan time, which the alerts module needs.
  value = aws_s3_bucket_policy.this.bucket
}

output "bucket_arn" {
  description = "ARN of the log-archive bucket."
  value       = aws_s3_bucket.this.arn
}

output "key_prefix" {
  description = "The delivery channels' s3_key_prefix, and the rule's ExpectedKeyPrefix."
  value       = var.key_prefix
}

output "kms_key_arn" {
  description = "The key every member's delivery channel names as s3_kms_key_arn, and the rule's ExpectedKmsKeyArn."
  value       = aws_kms_key.this.arn
}

output "kms_key_alias" {
  description = "Alias of the key."
  value       = aws_kms_alias.this.name
}

output "bucket_policy_json" {
  description = "The bucket policy as applied."
  value       = module.policies.bucket_policy_json
}

output "key_policy_json" {
  description = "The key policy as applied."
  value       = module.policies.key_policy_json
}
