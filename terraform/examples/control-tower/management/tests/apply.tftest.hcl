mock_provider "aws" {
  source = "../../../tests/mocks"
}

run "applies" {
  command = apply
}

run "every_workload_account_gets_the_audit_role" {
  command = apply

  assert {
    condition     = module.members.role_name == "ConfigDeliveryAudit" && jsondecode(module.members.template_body).Resources.AuditRole.Properties.RoleName == "ConfigDeliveryAudit"
    error_message = "The StackSet gives every account of the workload OUs the rule's audit role."
  }
}
