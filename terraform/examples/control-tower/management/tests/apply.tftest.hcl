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

  assert {
    condition     = module.members.regional_stack_set_name != null && contains(module.members.forwarded_kinds, "delivery-failed") && !can(jsondecode(module.members.regional_template_body).Resources.Recorder) && !can(jsondecode(module.members.regional_template_body).Resources.DeliveryChannel)
    error_message = "Every Region of those accounts forwards its pipeline events; Control Tower's recorder stays the only one."
  }
}

run "organizations_tampering_is_heard_where_it_happens" {
  command = apply

  assert {
    condition     = contains(keys(module.alerts.event_patterns), "organizations-tamper") && module.alerts.rule_names["organizations-tamper/us-east-1"] == "config-delivery-organizations-tamper"
    error_message = "The management account, where Organizations' events are recorded, forwards its tampering events to the audit account."
  }
}
