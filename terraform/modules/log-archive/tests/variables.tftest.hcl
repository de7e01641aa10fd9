# The validation blocks of variables.tf (tests/terraform/test_plans.py).
# Planned against hashicorp/aws 6.25.0's schema (tests/terraform/stand_in), every resource mocked.
mock_provider "aws" {
  source = "../../tests/mocks"
}

variables {
  bucket_name        = "o-abc123def4-config-logs"
  member_account_ids = ["111111111111"]
  organization_id    = "o-abc123def4"
  tags               = { owner = "platform", "cost-center" = "1234" }
}

run "valid_inputs_pass" {
  command = plan
}

run "object_lock_default_retention_is_refused" {
  command = plan

  variables {
    object_lock_default_retention_days = 365
  }

  expect_failures = [var.object_lock_default_retention_days]
}

run "ownership_tags_are_required" {
  command = plan

  variables {
    tags = { owner = "platform" }
  }

  expect_failures = [var.tags]
}

run "prefix_with_a_trailing_slash_is_refused" {
  command = plan

  variables {
    key_prefix = "config/"
  }

  expect_failures = [var.key_prefix]
}

run "account_ids_are_twelve_digits" {
  command = plan

  variables {
    member_account_ids = ["11111111111"]
  }

  expect_failures = [var.member_account_ids]
}

run "bucket_names_follow_s3_rules" {
  command = plan

  variables {
    bucket_name = "Config_Logs"
  }

  expect_failures = [var.bucket_name]
}

run "organization_id_is_checked" {
  command = plan

  variables {
    organization_id = "r-abcd"
  }

  expect_failures = [var.organization_id]
}

run "retention_is_at_least_a_year" {
  command = plan

  variables {
    retention_days = 90
  }

  expect_failures = [var.retention_days]
}

run "glacier_follows_infrequent_access_by_thirty_days" {
  command = plan

  variables {
    transition_to_infrequent_access_days = 90
    transition_to_glacier_days           = 100
  }

  expect_failures = [var.transition_to_glacier_days]
}

run "expiration_comes_after_every_transition" {
  command = plan

  variables {
    transition_to_glacier_days = 400
    retention_days             = 400
  }

  expect_failures = [var.retention_days]
}

run "the_lifecycle_applies_the_days_given" {
  command = plan

  variables {
    transition_to_infrequent_access_days = 30
    transition_to_glacier_days           = 90
    retention_days                       = 366
  }

  assert {
    condition     = [for r in aws_s3_bucket_lifecycle_configuration.this.rule : r.expiration[0].days] == [366]
    error_message = "The smallest valid combination is accepted and applied."
  }
}

run "an_alias_kms_refuses_is_refused" {
  command = plan

  variables {
    key_alias = "alias/config.logs"
  }

  expect_failures = [var.key_alias]
}

run "aws_aliases_are_refused" {
  command = plan

  variables {
    key_alias = "alias/aws/config"
  }

  expect_failures = [var.key_alias]
}
