# The recorder applied under the mock: one recorder and channel per Region, global types once.
mock_provider "aws" {
  source = "../../tests/mocks"
}

variables {
  regions              = ["us-east-1", "eu-west-1"]
  home_region          = "us-east-1"
  delivery_bucket_name = "o-abc123def4-config-logs"
  kms_key_arn          = "arn:aws:kms:us-east-1:999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  tags                 = { owner = "platform", "cost-center" = "1234" }
}

run "every_region_delivers_to_the_central_bucket" {
  command = apply

  assert {
    condition     = { for region, c in aws_config_delivery_channel.this : region => [c.s3_bucket_name, c.s3_key_prefix, c.s3_kms_key_arn] } == { for region in var.regions : region => [var.delivery_bucket_name, "config", var.kms_key_arn] }
    error_message = "Each Region's channel names the central bucket, prefix and key."
  }

  assert {
    condition     = [for region in var.regions : aws_config_configuration_recorder.this[region].recording_group[0].include_global_resource_types] == [true, false]
    error_message = "Global resource types are recorded in the home Region only."
  }

  assert {
    condition     = alltrue([for s in aws_config_configuration_recorder_status.this : s.is_enabled])
    error_message = "Every recorder is started."
  }
}
