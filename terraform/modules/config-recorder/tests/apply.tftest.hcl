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

run "an_existing_service_linked_role_is_looked_up_not_created" {
  command = apply

  assert {
    condition     = length(aws_iam_service_linked_role.config) == 0 && aws_config_configuration_recorder.this["us-east-1"].role_arn == data.aws_iam_role.service_linked[0].arn
    error_message = "By default the recorder uses the account's existing AWSServiceRoleForConfig."
  }
}

run "a_fresh_account_creates_the_service_linked_role" {
  command = apply

  variables {
    create_service_linked_role = true
  }

  assert {
    condition     = length(data.aws_iam_role.service_linked) == 0 && aws_config_configuration_recorder.this["eu-west-1"].role_arn == aws_iam_service_linked_role.config[0].arn
    error_message = "create_service_linked_role creates the role and records with it."
  }
}

run "existing_names_are_kept" {
  command = apply

  variables {
    recorder_name         = "console-recorder"
    delivery_channel_name = "console-channel"
  }

  assert {
    condition = alltrue([for region in var.regions :
      aws_config_configuration_recorder.this[region].name == "console-recorder" &&
      aws_config_delivery_channel.this[region].name == "console-channel" &&
      aws_config_configuration_recorder_status.this[region].name == "console-recorder"
    ])
    error_message = "An existing recorder and channel keep their names (Config allows one recorder per Region)."
  }
}

run "disabled_and_overridden" {
  command = apply

  variables {
    enabled                  = false
    recording_mode_overrides = [{ resource_types = ["AWS::EC2::NetworkInterface"], recording_frequency = "DAILY" }]
  }

  assert {
    condition     = !aws_config_configuration_recorder_status.this["us-east-1"].is_enabled
    error_message = "enabled = false stops the recorders."
  }

  assert {
    condition     = [for o in aws_config_configuration_recorder.this["us-east-1"].recording_mode[0].recording_mode_override : o.recording_frequency] == ["DAILY"]
    error_message = "Overrides reach the recorder."
  }
}

run "a_home_region_without_global_iam_recording_is_refused" {
  command = plan

  variables {
    regions     = ["ap-south-2", "us-east-1"]
    home_region = "ap-south-2"
  }

  expect_failures = [var.home_region]
}
