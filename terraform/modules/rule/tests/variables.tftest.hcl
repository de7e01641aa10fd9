# The validation blocks of variables.tf (tests/terraform/test_plans.py).
# Planned against hashicorp/aws 6.25.0's schema (tests/terraform/stand_in), every resource mocked.
mock_provider "aws" {
  source = "../../tests/mocks"
}

variables {
  tags    = { owner = "platform", "cost-center" = "1234" }
  package = { s3_bucket = "artifacts-111111111111", s3_key = "config-delivery-guard/bootstrap.zip" }
}

run "valid_inputs_pass" {
  command = plan
}

run "unknown_modes_are_refused" {
  command = plan

  variables {
    mode = "org"
  }

  expect_failures = [var.mode]
}

run "mode_is_not_a_free_parameter" {
  command = plan

  variables {
    rule_parameters = { Mode = "account", ExpectedBucket = "logs" }
  }

  expect_failures = [var.rule_parameters]
}

run "frequencies_are_configs_own" {
  command = plan

  variables {
    maximum_execution_frequency = "Hourly"
  }

  expect_failures = [var.maximum_execution_frequency]
}

run "log_retention_is_a_cloudwatch_value" {
  command = plan

  variables {
    log_retention_days = 100
  }

  expect_failures = [var.log_retention_days]
}

run "timeout_fits_lambda" {
  command = plan

  variables {
    timeout = 901
  }

  expect_failures = [var.timeout]
}

run "a_package_that_is_not_built_is_named" {
  command = plan

  variables {
    package = { local_path = "../../../dist/x86_64/no-such/bootstrap.zip" }
  }

  expect_failures = [var.package]
}

run "a_package_is_a_file_or_an_s3_object_not_both" {
  command = plan

  variables {
    package = { local_path = "main.tf", s3_bucket = "artifacts-111111111111", s3_key = "bootstrap.zip" }
  }

  expect_failures = [var.package]
}

run "a_local_package_is_hashed" {
  command = plan

  variables {
    package = { local_path = "main.tf" }
  }

  assert {
    condition     = aws_lambda_function.this.source_code_hash == filebase64sha256("main.tf") && aws_lambda_function.this.s3_bucket == null
    error_message = "A local package is deployed from its file, redeployed when its hash changes."
  }
}

run "the_organization_rule_timeout_is_a_duration" {
  command = plan

  variables {
    organization_rule_timeout = "half an hour"
  }

  expect_failures = [var.organization_rule_timeout]
}

run "an_exception_past_the_cap_is_refused" {
  command = plan

  variables {
    exceptions = [{ id = "forever", accounts = ["111111111111"], checks = ["*"], reason = "r", owner = "o", expires = "2099-01-01" }]
  }

  expect_failures = [var.exceptions]
}

run "an_exception_without_an_owner_is_refused" {
  command = plan

  variables {
    exceptions = [{ id = "nobody", accounts = ["111111111111"], checks = ["*"], reason = "r", owner = " ", expires = formatdate("YYYY-MM-DD", timeadd(timestamp(), "24h")) }]
  }

  expect_failures = [var.exceptions]
}

run "every_account_needs_an_ou" {
  command = plan

  variables {
    exceptions = [{ id = "all", accounts = ["*"], checks = ["*"], reason = "r", owner = "o", expires = formatdate("YYYY-MM-DD", timeadd(timestamp(), "24h")) }]
  }

  expect_failures = [var.exceptions]
}
