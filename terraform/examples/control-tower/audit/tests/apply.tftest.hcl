mock_provider "aws" {
  source = "../../../tests/mocks"
}

variables {
  rule_package = { s3_bucket = "artifacts-111111111111", s3_key = "config-delivery-guard/bootstrap.zip" }
}

run "applies" {
  command = apply
}

run "the_rule_judges_control_towers_pipeline" {
  command = apply

  assert {
    condition     = alltrue([for region, rule in module.rule : jsondecode(rule.input_parameters).LandingZone == "control-tower" && jsondecode(rule.input_parameters).ExpectedBucket == "aws-controltower-logs-999999999999-us-east-1" && jsondecode(rule.input_parameters).ExpectedKeyPrefix == "o-abc123def4"])
    error_message = "Every Region's rule judges Control Tower's log archive bucket and prefix, and says what Control Tower allows."
  }
}
