# The validation blocks of variables.tf (tests/terraform/test_plans.py).
# Planned against hashicorp/aws 6.25.0's schema (tests/terraform/stand_in), every resource mocked.
mock_provider "aws" {
  source = "../../tests/mocks"
}

variables {
  rule_function_role_arn = "arn:aws:iam::222222222222:role/config-delivery-guard"
  organization_id        = "o-abc123def4"
  tags                   = { owner = "platform", "cost-center" = "1234" }
}

run "valid_inputs_pass" {
  command = plan
}

run "only_catalogue_permissions" {
  command = plan

  variables {
    permissions = ["delivery-checks", "iam:*"]
  }

  expect_failures = [var.permissions]
}

run "the_trusted_principal_is_a_role" {
  command = plan

  variables {
    rule_function_role_arn = "arn:aws:iam::222222222222:root"
  }

  expect_failures = [var.rule_function_role_arn]
}

run "external_id_follows_sts_rules" {
  command = plan

  variables {
    external_id = "has spaces"
  }

  expect_failures = [var.external_id]
}

run "ownership_tags_are_required" {
  command = plan

  variables {
    tags = { "cost-center" = "1234" }
  }

  expect_failures = [var.tags]
}
