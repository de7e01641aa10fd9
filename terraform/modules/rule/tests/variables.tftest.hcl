# The validation blocks of variables.tf (run offline by tests/terraform against variables.tf alone).
variables {
  tags = { owner = "platform", "cost-center" = "1234" }
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
