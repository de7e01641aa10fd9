# The validation blocks of variables.tf (run offline by tests/terraform against variables.tf alone).
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
