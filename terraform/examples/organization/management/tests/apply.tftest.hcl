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

run "day_two_is_not_blocked" {
  command = apply

  assert {
    condition = length([for name in keys(module.guardrails.rendered_policies) : name if startswith(name, "deny-")]) == 4 && alltrue([for name, policy in module.guardrails.rendered_policies : alltrue([
      for role in ["AWSControlTowerExecution", "AWSAFTExecution", "terraform-deploy"] :
      strcontains(policy, "arn:aws:iam::*:role/${role}")
    ]) if startswith(name, "deny-")])
    error_message = "Every guardrail exempts Control Tower's and AFT's execution roles and the deploy pipeline's role, or account vending and the next apply are blocked."
  }
}

run "registration_waits_for_trusted_access" {
  command = plan

  override_data {
    target = data.aws_organizations_organization.this
    values = { aws_service_access_principals = ["config.amazonaws.com"] }
  }

  expect_failures = [aws_organizations_delegated_administrator.config]
}
