variable "partition" {
  description = "The AWS partition of the log-archive account (aws, aws-cn, aws-us-gov)."
  type        = string
}

variable "log_archive_account_id" {
  description = "The account that owns the bucket and the key."
  type        = string
}

variable "bucket_name" {
  description = "The central log-archive bucket."
  type        = string
}

variable "key_prefix" {
  description = "The delivery channels' s3KeyPrefix, without slashes at either end; empty for none."
  type        = string
}

variable "member_account_ids" {
  description = "Accounts whose AWS Config may deliver: the only values of aws:SourceAccount that the Config statements accept."
  type        = list(string)
}

variable "delivery_paths" {
  description = "per-account: PutObject only to <prefix>/AWSLogs/<account>/Config/* of each member; source-account: one statement, <prefix>/AWSLogs/$${aws:SourceAccount}/Config/*, each member's Config into its own folder whatever their number; wildcard: <prefix>/AWSLogs/*/Config/* (still limited to the members by the source condition)."
  type        = string
}

variable "source_condition" {
  description = "accounts: every config.amazonaws.com statement requires aws:SourceAccount in member_account_ids; organization: it requires aws:SourceOrgID = organization_id instead (sized for any Organization; AWS Control Tower uses it on PutObject, its use on GetBucketAcl, ListBucket and KMS is not verified here)."
  type        = string
}

variable "organization_id" {
  description = "The Organization: the audit roles that may check the bucket and key must belong to it. Null: no cross-account audit statements."
  type        = string
  default     = null
}

variable "audit_role_name" {
  description = "The audit role in every member account (config-delivery-guard's cross-account reader)."
  type        = string
}

variable "key_administrator_arns" {
  description = "Principals that administer the key (no use of it)."
  type        = list(string)
}

variable "key_reader_arns" {
  description = "Principals in the log-archive account that read the key and its policy (config-delivery-guard's log-archive reader)."
  type        = list(string)
}

variable "replication_role_arn" {
  description = "The replication role, or null: it may read the key to replicate encrypted objects."
  type        = string
  default     = null
}
