################################################################################
# Bucket
################################################################################

variable "bucket_name" {
  description = "Name of the central log-archive bucket that every member's delivery channel writes to."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.bucket_name)) && !strcontains(var.bucket_name, "..")
    error_message = "bucket_name must be a valid S3 bucket name: 3-63 lower-case letters, digits, dots and hyphens."
  }
}

variable "key_alias" {
  description = "The key's alias; null: alias/<bucket_name>, its dots as hyphens."
  type        = string
  default     = null

  validation {
    # KMS refuses other characters and the alias/aws/ prefix (botocore's kms model, AliasNameType;
    # AWS KMS API Reference, CreateAlias: "The AliasName value must be string of 1-256 characters ...
    # cannot begin with alias/aws/").
    condition     = var.key_alias == null || (can(regex("^alias/[a-zA-Z0-9:/_-]+$", coalesce(var.key_alias, "-"))) && length(coalesce(var.key_alias, "")) <= 256 && !startswith(coalesce(var.key_alias, ""), "alias/aws/"))
    error_message = "key_alias must be alias/ followed by letters, digits, ':', '/', '_' or '-' (256 characters at most), and not start with alias/aws/."
  }
}

variable "key_prefix" {
  description = <<-DOC
    The delivery channels' s3KeyPrefix, without slashes at either end ("" for none). Config writes
    <prefix>/AWSLogs/<account>/Config/<region>/<yyyy>/<m>/<d>/..., so the bucket policy grants
    <prefix>/AWSLogs/<account>/Config/* and never narrows to a Region.
  DOC
  type        = string
  default     = "config"

  validation {
    condition     = !startswith(var.key_prefix, "/") && !endswith(var.key_prefix, "/") && !strcontains(var.key_prefix, "AWSLogs")
    error_message = "key_prefix must not start or end with \"/\" and must not contain \"AWSLogs\" (Config adds AWSLogs/<account>/Config/ itself)."
  }
}

variable "member_account_ids" {
  description = "Accounts whose AWS Config delivers here (the management account included if it records)."
  type        = list(string)

  validation {
    condition     = length(var.member_account_ids) > 0 && alltrue([for id in var.member_account_ids : can(regex("^\\d{12}$", id))])
    error_message = "member_account_ids must list at least one 12-digit account ID."
  }
}

variable "delivery_paths" {
  description = "per-account: PutObject to each member's own <prefix>/AWSLogs/<account>/Config/* (fits about 50 members under the 20 KB bucket-policy limit); source-account: one statement whose path is <prefix>/AWSLogs/$${aws:SourceAccount}/Config/*, so each member's Config writes only its own folder and the policy does not grow with the members (with source_condition = \"organization\", any number of members); wildcard: one <prefix>/AWSLogs/*/Config/* path, still limited to the members by the source condition."
  type        = string
  default     = "per-account"

  validation {
    condition     = contains(["per-account", "source-account", "wildcard"], var.delivery_paths)
    error_message = "delivery_paths must be \"per-account\", \"source-account\" or \"wildcard\"."
  }
}

variable "source_condition" {
  description = "accounts: Config statements require aws:SourceAccount in member_account_ids (the Config guide's form); organization: they require aws:SourceOrgID = organization_id (for Organizations too large for a list; see the README)."
  type        = string
  default     = "accounts"

  validation {
    condition     = contains(["accounts", "organization"], var.source_condition)
    error_message = "source_condition must be \"accounts\" or \"organization\"."
  }
}

variable "organization_id" {
  description = "The Organization's ID: audit roles inside it may check the bucket and key. Null in a single account (no cross-account audit)."
  type        = string
  default     = null

  validation {
    condition     = var.organization_id == null || can(regex("^o-[a-z0-9]{10,32}$", var.organization_id))
    error_message = "organization_id must look like o-abc123def4."
  }

  validation {
    condition     = var.source_condition != "organization" || var.organization_id != null
    error_message = "source_condition = \"organization\" needs organization_id."
  }
}

variable "audit_role_name" {
  description = "Name of config-delivery-guard's audit role in the member accounts: it may HeadBucket the bucket and DescribeKey the key."
  type        = string
  default     = "ConfigDeliveryAudit"

  validation {
    condition     = can(regex("^[\\w+=,.@-]{1,64}$", var.audit_role_name))
    error_message = "audit_role_name must be an IAM role name (1-64 of letters, digits and +=,.@_-)."
  }
}

variable "force_destroy" {
  description = "Let terraform destroy a bucket that still holds logs. Keep false for a real archive."
  type        = bool
  default     = false
}

variable "object_lock_default_retention_days" {
  description = "Must stay null: AWS Config cannot deliver to a bucket with an Object Lock default retention. For WORM copies, replicate to a locked bucket (replication_destination)."
  type        = number
  default     = null

  validation {
    condition     = var.object_lock_default_retention_days == null
    error_message = "Object Lock default retention is not supported: AWS Config's PutObject carries no retention headers and is refused by a bucket with a default retention, so delivery would stop. Replicate to an Object Lock bucket instead (replication_destination), and protect this one with the guardrails module's SCPs."
  }
}

################################################################################
# Lifecycle
################################################################################

variable "transition_to_infrequent_access_days" {
  description = "Days before current objects move to STANDARD_IA."
  type        = number
  default     = 90

  validation {
    condition     = var.transition_to_infrequent_access_days >= 30
    error_message = "transition_to_infrequent_access_days must be at least 30 (S3's minimum for STANDARD_IA)."
  }
}

variable "transition_to_glacier_days" {
  description = "Days before current objects move to GLACIER_IR (Glacier Instant Retrieval, still readable at once)."
  type        = number
  default     = 365

  validation {
    condition     = var.transition_to_glacier_days >= 90
    error_message = "transition_to_glacier_days must be at least 90."
  }

  # S3 refuses a Glacier transition less than 30 days after a STANDARD_IA one in the same rule
  # (S3 User Guide, "Transitioning objects"); the guide does not name GLACIER_IR, so the gap is kept
  # for it too, as a precaution.
  validation {
    condition     = var.transition_to_glacier_days >= var.transition_to_infrequent_access_days + 30
    error_message = "transition_to_glacier_days must be at least 30 days after transition_to_infrequent_access_days (S3 refuses a smaller gap)."
  }
}

variable "retention_days" {
  description = "Days before current objects expire. The default keeps seven years, as audit regimes commonly ask."
  type        = number
  default     = 2557

  validation {
    condition     = var.retention_days >= 365
    error_message = "retention_days must be at least 365: this is an audit trail."
  }

  validation {
    condition     = var.retention_days > var.transition_to_glacier_days && var.retention_days > var.transition_to_infrequent_access_days
    error_message = "retention_days must be greater than every transition's days (S3 refuses an expiration at or before a transition)."
  }
}

variable "noncurrent_version_retention_days" {
  description = "Days before overwritten or deleted versions expire."
  type        = number
  default     = 365

  validation {
    condition     = var.noncurrent_version_retention_days >= 30
    error_message = "noncurrent_version_retention_days must be at least 30."
  }
}

################################################################################
# Access logging and replication (optional)
################################################################################

variable "access_log_bucket" {
  description = "Bucket for S3 server access logs of the archive, or null for none."
  type        = string
  default     = null
}

variable "replication_destination" {
  description = "Replicate every object to this bucket (for example an Object Lock bucket in another Region), or null."
  type = object({
    bucket_arn  = string
    kms_key_arn = string
    role_arn    = string
    account_id  = optional(string)
  })
  default = null

  validation {
    condition     = var.replication_destination == null || can(regex("^arn:aws[a-z-]*:s3:::", var.replication_destination.bucket_arn))
    error_message = "replication_destination.bucket_arn must be an S3 bucket ARN."
  }
}

################################################################################
# Key
################################################################################

variable "key_administrator_arns" {
  description = "Principals that administer the key. They may not disable, delete or re-policy it (the account root keeps that, for break-glass)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.key_administrator_arns : can(regex("^arn:aws[a-z-]*:iam::\\d{12}:", arn))])
    error_message = "key_administrator_arns must be IAM ARNs."
  }
}

variable "key_reader_arns" {
  description = "Principals in this account that read the key and its policy: config-delivery-guard's log-archive reader role (LogArchiveReadRoleArn)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.key_reader_arns : can(regex("^arn:aws[a-z-]*:iam::\\d{12}:role/", arn))])
    error_message = "key_reader_arns must be IAM role ARNs."
  }
}

variable "key_deletion_window_days" {
  description = "Waiting period before a scheduled key deletion."
  type        = number
  default     = 30

  validation {
    condition     = var.key_deletion_window_days >= 7 && var.key_deletion_window_days <= 30
    error_message = "key_deletion_window_days must be between 7 and 30."
  }
}

################################################################################
# Common
################################################################################

variable "region" {
  description = "Region of the bucket and key (the provider's Region when null). Every member's channel must name a key in the bucket's Region."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags for every resource. Must carry the ownership tags the tag policy enforces: owner and cost-center."
  type        = map(string)

  validation {
    condition     = alltrue([for key in ["owner", "cost-center"] : length(trimspace(lookup(var.tags, key, ""))) > 0])
    error_message = "tags must include non-empty \"owner\" and \"cost-center\" (the Organization's tag policy enforces them)."
  }
}
