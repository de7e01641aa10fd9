# Removing the log archive from the stack (tests/terraform/test_plans.py reads the plans).
mock_provider "aws" {
  source = "../../../tests/mocks"
}

run "archive_applied" {
  command   = apply
  state_key = "archive"
}

run "module_removed_with_the_removed_block" {
  command   = plan
  state_key = "archive"

  module {
    source = "./tests/module-removed"
  }
}

run "archive_applied_again" {
  command   = apply
  state_key = "deleted"
}

run "module_deleted_without_it" {
  command   = plan
  state_key = "deleted"

  module {
    source = "./tests/module-deleted"
  }
}
