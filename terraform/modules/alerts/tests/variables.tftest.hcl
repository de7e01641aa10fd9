# The validation blocks of variables.tf (tests/terraform/test_plans.py).
# Planned against hashicorp/aws 6.25.0's schema (tests/terraform/stand_in), every resource mocked.
mock_provider "aws" {
  source = "../../tests/mocks"
}

variables {
  regions     = ["us-east-1", "eu-west-1"]
  home_region = "us-east-1"
  tags        = { owner = "platform", "cost-center" = "1234" }
}

run "valid_inputs_pass" {
  command = plan
}

run "home_region_is_watched" {
  command = plan

  variables {
    home_region = "eu-central-1"
  }

  expect_failures = [var.home_region]
}

run "subscriptions_use_sns_protocols" {
  command = plan

  variables {
    subscriptions = [{ protocol = "slack", endpoint = "#alerts" }]
  }

  expect_failures = [var.subscriptions]
}
