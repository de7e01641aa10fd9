mock_provider "aws" {
  source = "../../../tests/mocks"
}

run "applies" {
  command = apply
}

run "the_audit_account_is_config_s_delegated_administrator" {
  command = apply

  assert {
    condition     = { for p, d in aws_organizations_delegated_administrator.config : p => d.account_id } == { "config.amazonaws.com" = "222222222222", "config-multiaccountsetup.amazonaws.com" = "222222222222" }
    error_message = "Both Config service principals are delegated to the audit account."
  }
}
