variable "regions" {
  description = "Regions to record in. Each gets a recorder, a delivery channel and a started recorder status."
  type        = list(string)

  validation {
    condition     = length(var.regions) > 0 && alltrue([for r in var.regions : can(regex("^[a-z]{2}(-[a-z]+)+-\\d$", r))])
    error_message = "regions must list at least one Region name such as us-east-1."
  }
}

variable "home_region" {
  description = "The one Region that records global resource types (IAM): recording them everywhere multiplies cost and duplicates items."
  type        = string

  validation {
    condition     = contains(var.regions, var.home_region)
    error_message = "home_region must be one of regions: it records the global resource types."
  }
}

variable "delivery_bucket_name" {
  description = "The central log-archive bucket (the log-archive module's bucket_name)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.delivery_bucket_name))
    error_message = "delivery_bucket_name must be a valid S3 bucket name."
  }
}

variable "key_prefix" {
  description = "s3_key_prefix of every channel (the log-archive module's key_prefix), without slashes at either end."
  type        = string
  default     = "config"

  validation {
    condition     = !startswith(var.key_prefix, "/") && !endswith(var.key_prefix, "/") && !strcontains(var.key_prefix, "AWSLogs")
    error_message = "key_prefix must not start or end with \"/\" and must not contain \"AWSLogs\"."
  }
}

variable "kms_key_arn" {
  description = "The log-archive key (the log-archive module's kms_key_arn): Config encrypts snapshots and history with it. A customer-managed key in the bucket's Region; aws/s3 cannot serve Config."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:\\d{12}:key/", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN (arn:...:kms:<region>:<account>:key/<id>), not an alias."
  }
}

variable "sns_topic_arns" {
  description = "Optional SNS topic per Region for configuration-change notifications (a topic must be in its channel's Region)."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for region, arn in var.sns_topic_arns : strcontains(arn, ":sns:${region}:")])
    error_message = "Each sns_topic_arns entry must be a topic in the Region it is keyed by."
  }
}

variable "snapshot_delivery_frequency" {
  description = "How often Config delivers a configuration snapshot; config-delivery-guard judges staleness against it."
  type        = string
  default     = "Six_Hours"

  validation {
    condition     = contains(["One_Hour", "Three_Hours", "Six_Hours", "Twelve_Hours", "TwentyFour_Hours"], var.snapshot_delivery_frequency)
    error_message = "snapshot_delivery_frequency must be One_Hour, Three_Hours, Six_Hours, Twelve_Hours or TwentyFour_Hours."
  }
}

variable "recording_frequency" {
  description = "CONTINUOUS or DAILY recording (DAILY costs less and delivers less often)."
  type        = string
  default     = "CONTINUOUS"

  validation {
    condition     = contains(["CONTINUOUS", "DAILY"], var.recording_frequency)
    error_message = "recording_frequency must be CONTINUOUS or DAILY."
  }
}

variable "recorder_role_arn" {
  description = "A customer-managed recorder role, or null for Config's service-linked role (recommended: SCPs cannot touch it)."
  type        = string
  default     = null

  validation {
    condition     = var.recorder_role_arn == null || can(regex("^arn:aws[a-z-]*:iam::\\d{12}:role/", var.recorder_role_arn))
    error_message = "recorder_role_arn must be an IAM role ARN."
  }
}

variable "create_service_linked_role" {
  description = "Create AWSServiceRoleForConfig. Set false where it exists already (Config was enabled before, or Control Tower made it)."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Ownership tags. Config recorders and channels take no tags; they are required for consistency and used on the service-linked role."
  type        = map(string)

  validation {
    condition     = alltrue([for key in ["owner", "cost-center"] : length(trimspace(lookup(var.tags, key, ""))) > 0])
    error_message = "tags must include non-empty \"owner\" and \"cost-center\" (the Organization's tag policy enforces them)."
  }
}
