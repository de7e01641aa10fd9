mock_provider "aws" {
  source = "../../../tests/mocks"
}

variables {
  rule_package = { s3_bucket = "artifacts-111111111111", s3_key = "config-delivery-guard/bootstrap.zip" }
}

run "applies" {
  command = apply
}
