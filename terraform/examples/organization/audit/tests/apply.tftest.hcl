mock_provider "aws" {
  source = "../../../tests/mocks"
}

variables {
  rule_package = { s3_bucket = "artifacts-111111111111", s3_key = "config-delivery-guard/bootstrap.zip" }
}

run "applies" {
  command = apply
}

run "every_region_is_judged" {
  command = apply

  assert {
    condition     = toset(keys(module.rule)) == toset(local.regions) && alltrue([for region, rule in module.rule : jsondecode(rule.input_parameters).Mode == "organization"])
    error_message = "One organization rule per listed Region: a Region without one is never judged."
  }
}

run "the_organization_is_aggregated" {
  command = apply

  assert {
    condition     = aws_config_configuration_aggregator.organization.organization_aggregation_source[0].all_regions && aws_config_configuration_aggregator.organization.organization_aggregation_source[0].role_arn == aws_iam_role.aggregator.arn
    error_message = "One aggregator covers every account and Region of the Organization."
  }
}
