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
