data "aws_partition" "current" {}
data "aws_caller_identity" "current" {}

locals {
  regions = toset(var.regions)
  recorder_role_arn = coalesce(
    var.recorder_role_arn,
    one(aws_iam_service_linked_role.config[*].arn),
    one(data.aws_iam_role.service_linked[*].arn),
  )
}

# An existing service-linked role is looked up, never created twice: most accounts have one already.
data "aws_iam_role" "service_linked" {
  count = var.recorder_role_arn == null && !var.create_service_linked_role ? 1 : 0

  name = "AWSServiceRoleForConfig"
}

resource "aws_iam_service_linked_role" "config" {
  count = var.recorder_role_arn == null && var.create_service_linked_role ? 1 : 0

  aws_service_name = "config.amazonaws.com"
  tags             = var.tags
}

resource "aws_config_configuration_recorder" "this" {
  #checkov:skip=CKV2_AWS_48:Every supported type is recorded; global types (IAM) only in home_region, on purpose, to avoid duplicates and cost.
  for_each = local.regions
  region   = each.key

  name     = var.recorder_name
  role_arn = local.recorder_role_arn

  recording_group {
    all_supported                 = true
    include_global_resource_types = each.key == var.home_region
  }

  recording_mode {
    recording_frequency = var.recording_frequency

    dynamic "recording_mode_override" {
      for_each = var.recording_mode_overrides
      content {
        description         = recording_mode_override.value.description
        resource_types      = recording_mode_override.value.resource_types
        recording_frequency = recording_mode_override.value.recording_frequency
      }
    }
  }

  depends_on = [aws_iam_service_linked_role.config]

  # `terraform destroy` must not stop recording (Terraform language, "The lifecycle
  # meta-argument": prevent_destroy); to remove the module, README's removed block forgets it.
  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_config_delivery_channel" "this" {
  for_each = local.regions
  region   = each.key

  name           = var.delivery_channel_name
  s3_bucket_name = var.delivery_bucket_name
  s3_key_prefix  = var.key_prefix == "" ? null : var.key_prefix
  s3_kms_key_arn = var.kms_key_arn
  sns_topic_arn  = lookup(var.sns_topic_arns, each.key, null)

  snapshot_delivery_properties {
    delivery_frequency = var.snapshot_delivery_frequency
  }

  # A channel needs its recorder first.
  depends_on = [aws_config_configuration_recorder.this]

  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_config_configuration_recorder_status" "this" {
  for_each = local.regions
  region   = each.key

  name       = aws_config_configuration_recorder.this[each.key].name
  is_enabled = var.enabled

  # Starting needs the channel.
  depends_on = [aws_config_delivery_channel.this]
}
