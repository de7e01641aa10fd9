# The validation blocks of variables.tf (tests/terraform/test_plans.py).
# Planned against hashicorp/aws 6.25.0's schema (tests/terraform/stand_in), every resource mocked.
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

run "valid_inputs_pass" {
  command = plan
}

run "an_alias_is_not_a_key_arn" {
  command = plan

  variables {
    kms_key_arn = "arn:aws:kms:us-east-1:999999999999:alias/aws/s3"
  }

  expect_failures = [var.kms_key_arn]
}

run "topics_live_in_their_channels_region" {
  command = plan

  variables {
    sns_topic_arns = { "eu-west-1" = "arn:aws:sns:us-east-1:999999999999:config" }
  }

  expect_failures = [var.sns_topic_arns]
}

run "regions_are_region_names" {
  command = plan

  variables {
    regions = ["us-east-1", "global"]
  }

  expect_failures = [var.regions]
}

run "control_towers_recorder_is_refused" {
  command = plan

  variables {
    recorder_name = "aws-controltower-BaselineConfigRecorder"
  }

  expect_failures = [var.recorder_name]
}

run "control_towers_channel_is_refused" {
  command = plan

  variables {
    delivery_channel_name = "aws-controltower-BaselineConfigDeliveryChannel"
  }

  expect_failures = [var.delivery_channel_name]
}
