# The audit role applied under the mock: its trust and its read-only permissions.
mock_provider "aws" {
  source = "../../tests/mocks"
}

variables {
  rule_function_role_arn = "arn:aws:iam::222222222222:role/config-delivery-guard"
  organization_id        = "o-abc123def4"
  external_id            = "config-delivery-guard"
  tags                   = { owner = "platform", "cost-center" = "1234" }
}

run "the_rule_s_role_assumes_it_with_the_external_id" {
  command = apply

  assert {
    condition     = jsondecode(aws_iam_role.this.assume_role_policy).Statement[0].Condition.StringEquals["sts:ExternalId"] == "config-delivery-guard"
    error_message = "The trust requires the rule's external ID."
  }

  assert {
    condition     = aws_iam_role.this.name == "ConfigDeliveryAudit" && aws_iam_role_policy.this.role == aws_iam_role.this.id
    error_message = "The role is the rule's AuditRoleName and holds the permissions inline."
  }
}
