# The member stack set applied under the mock: every member of the OUs, present and future, gets
# the audit role the audit-role module would create.
mock_provider "aws" {
  source = "../../tests/mocks"
}

variables {
  organizational_unit_ids = ["ou-ab12-workload1", "ou-ab12-sandbox01"]
  home_region             = "us-east-1"
  rule_function_role_arn  = "arn:aws:iam::222222222222:role/config-delivery-guard-*"
  organization_id         = "o-abc123def4"
  external_id             = "config-delivery-guard"
  tags                    = { owner = "platform", "cost-center" = "1234" }
}

run "every_member_of_the_ous_present_and_future" {
  command = apply

  assert {
    condition     = aws_cloudformation_stack_set.audit_role.permission_model == "SERVICE_MANAGED" && aws_cloudformation_stack_set.audit_role.auto_deployment[0].enabled && !aws_cloudformation_stack_set.audit_role.auto_deployment[0].retain_stacks_on_account_removal
    error_message = "Service-managed with automatic deployment: an account that joins an OU gets the role, one that leaves loses it."
  }

  assert {
    condition     = toset(aws_cloudformation_stack_set_instance.audit_role.deployment_targets[0].organizational_unit_ids) == toset(var.organizational_unit_ids) && aws_cloudformation_stack_set_instance.audit_role.region == "us-east-1"
    error_message = "One instance per account, in the home Region only: the role is global."
  }
}

run "the_template_is_the_audit_role" {
  command = apply

  assert {
    condition     = jsondecode(output.template_body).Resources.AuditRole.Properties.RoleName == "ConfigDeliveryAudit" && jsondecode(output.template_body).Resources.AuditRole.Properties.AssumeRolePolicyDocument.Statement[0].Condition.StringEquals["sts:ExternalId"] == "config-delivery-guard"
    error_message = "The template creates the rule's audit role, trusting the function with the external ID."
  }

  assert {
    condition     = contains(output.actions, "config:DescribeDeliveryChannelStatus") && !contains(output.actions, "config:PutDeliveryChannel")
    error_message = "The role reads the pipeline and changes nothing."
  }
}

run "stack_sets_wait_for_trusted_access" {
  command = plan

  override_data {
    target = data.aws_organizations_organization.this
    values = { aws_service_access_principals = [] }
  }

  expect_failures = [aws_cloudformation_stack_set.audit_role]
}
