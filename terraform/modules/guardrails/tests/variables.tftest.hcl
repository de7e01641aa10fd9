# The validation blocks of variables.tf (tests/terraform/test_plans.py).
# Planned against hashicorp/aws 6.25.0's schema (tests/terraform/stand_in), every resource mocked.
mock_provider "aws" {
  source = "../../tests/mocks"
}

variables {
  exempt_principal_arns = ["arn:aws:iam::*:role/BreakGlass", "arn:aws:iam::*:role/AWSControlTowerExecution"]
  organization_id       = "o-abc123def4"
  log_bucket            = "o-abc123def4-config-logs"
  log_key_arn           = "arn:aws:kms:us-east-1:999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  tags                  = { owner = "platform", "cost-center" = "1234" }
  targets = {
    config_tampering   = ["ou-abcd-12345678"]
    watchdog_tampering = ["222222222222"]
  }
}

run "valid_inputs_pass" {
  command = plan
}

run "targets_are_roots_ous_or_accounts" {
  command = plan

  variables {
    targets = { config_tampering = ["production"] }
  }

  expect_failures = [var.targets]
}

run "break_glass_is_a_role_pattern" {
  command = plan

  variables {
    exempt_principal_arns = ["*"]
  }

  expect_failures = [var.exempt_principal_arns]
}

run "tag_policy_resource_types_are_service_colon_type" {
  command = plan

  variables {
    ownership_tag_casing_enforced_for = ["AWS::S3::Bucket"]
  }

  expect_failures = [var.ownership_tag_casing_enforced_for]
}
