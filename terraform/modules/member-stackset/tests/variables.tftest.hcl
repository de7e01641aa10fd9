# The validation blocks of variables.tf.
mock_provider "aws" {
  source = "../../tests/mocks"
}

variables {
  organizational_unit_ids = ["ou-ab12-workload1"]
  home_region             = "us-east-1"
  rule_function_role_arn  = "arn:aws:iam::222222222222:role/config-delivery-guard-*"
  organization_id         = "o-abc123def4"
  tags                    = { owner = "platform", "cost-center" = "1234" }
}

run "valid_inputs_pass" {
  command = plan
}

run "targets_are_ous_or_the_root" {
  command = plan

  variables {
    organizational_unit_ids = ["111111111111"]
  }

  expect_failures = [var.organizational_unit_ids]
}

run "call_as_is_self_or_delegated_admin" {
  command = plan

  variables {
    call_as = "ADMIN"
  }

  expect_failures = [var.call_as]
}

run "the_role_reads_only" {
  command = plan

  variables {
    permissions = ["organization"]
  }

  expect_failures = [var.permissions]
}

run "control_towers_recorder_is_refused" {
  command = plan

  variables {
    regions  = ["us-east-1"]
    recorder = { bucket_name = "aws-controltower-logs-111111111111-us-east-1", name = "aws-controltower-BaselineConfigRecorder" }
  }

  expect_failures = [var.recorder]
}

run "regions_must_include_the_home_region" {
  command = plan

  variables {
    regions               = ["eu-west-1"]
    forward_to_account_id = "222222222222"
  }

  expect_failures = [var.regions]
}

run "regions_alone_deploy_nothing" {
  command = plan

  variables {
    regions = ["us-east-1"]
  }

  expect_failures = [var.regions]
}
