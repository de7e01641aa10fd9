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

  # Config records IAM's global types only in the Regions it supported before February 2022
  # (Config Developer Guide, "Recording global resource types"): a newer home Region would never record them.
  validation {
    condition     = !contains(["ap-south-2", "ap-southeast-4", "ap-southeast-5", "ap-southeast-7", "ca-west-1", "eu-central-2", "eu-south-2", "il-central-1", "me-central-1", "mx-central-1", "ap-east-2", "ap-southeast-6"], var.home_region)
    error_message = "home_region is a Region Config added after February 2022, where it does not record IAM's global resource types: choose a Region such as us-east-1."
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
  description = "Create AWSServiceRoleForConfig. The default looks the existing role up instead (Config enabled before, console-created, or Control Tower's), and the plan fails clearly if there is none: set true in a fresh account."
  type        = bool
  default     = false
}

variable "recorder_name" {
  description = "The recorder's name. Config allows one customer-managed recorder per Region: keep an existing one's name (the console's: default) and import it (README). Control Tower's recorder is refused: the landing zone owns it (examples/control-tower)."
  type        = string
  default     = "default"

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{1,256}$", var.recorder_name))
    error_message = "recorder_name must be 1-256 letters, digits, '.', '_' or '-'."
  }

  # Control Tower's mandatory control GRCONFIGENABLED denies PutConfigurationRecorder to all but
  # AWSControlTowerExecution, and an account update puts its recorder back (AWS Control Tower
  # Controls Reference, "Mandatory controls").
  validation {
    condition     = !startswith(lower(var.recorder_name), "aws-controltower-")
    error_message = "recorder_name names a Control Tower recorder: Control Tower owns it (GRCONFIGENABLED denies changing it), so this module must not manage it. In a Control Tower account deploy only the rule, audit role and alerts (examples/control-tower)."
  }
}

variable "delivery_channel_name" {
  description = "The delivery channel's name (the console's: default). Control Tower's channel is refused: the landing zone owns it (examples/control-tower)."
  type        = string
  default     = "default"

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{1,256}$", var.delivery_channel_name))
    error_message = "delivery_channel_name must be 1-256 letters, digits, '.', '_' or '-'."
  }

  validation {
    condition     = !startswith(lower(var.delivery_channel_name), "aws-controltower-")
    error_message = "delivery_channel_name names a Control Tower delivery channel: Control Tower owns it (GRCONFIGENABLED denies PutDeliveryChannel to all but AWSControlTowerExecution), so this module must not manage it. In a Control Tower account deploy only the rule, audit role and alerts (examples/control-tower)."
  }
}

variable "enabled" {
  description = "Whether the recorders record. false keeps recorders and channels but stops them (Config then bills no configuration items), as the cloudposse and trussworks modules allow."
  type        = bool
  default     = true
}

variable "recording_mode_overrides" {
  description = "Per-resource-type recording frequency overrides (recording_mode_override): for example DAILY for AWS::EC2::NetworkInterface, which changes often."
  type = list(object({
    description         = optional(string)
    resource_types      = list(string)
    recording_frequency = string
  }))
  default = []

  validation {
    condition     = alltrue([for o in var.recording_mode_overrides : contains(["CONTINUOUS", "DAILY"], o.recording_frequency) && length(o.resource_types) > 0])
    error_message = "Each override names at least one resource type and a recording_frequency of CONTINUOUS or DAILY."
  }
}

variable "tags" {
  description = "Ownership tags. Config recorders and channels take no tags; they are required for consistency and used on the service-linked role."
  type        = map(string)

  validation {
    condition     = alltrue([for key in ["owner", "cost-center"] : length(trimspace(lookup(var.tags, key, ""))) > 0])
    error_message = "tags must include non-empty \"owner\" and \"cost-center\" (the Organization's tag policy enforces them)."
  }
}
