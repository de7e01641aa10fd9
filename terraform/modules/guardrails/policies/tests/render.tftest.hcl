variables {
  values = {
    exempt_principal_arns  = jsonencode(["arn:aws:iam::*:role/BreakGlass"])
    partition              = "aws"
    recorder_role_name     = "config-recorder"
    audit_role_name        = "ConfigDeliveryAudit"
    log_bucket             = "o-abc123def4-config-logs"
    log_key_arn            = "arn:aws:kms:us-east-1:999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    function_name          = "config-delivery-guard"
    alert_topic_name       = "config-delivery-alerts"
    alert_rule_prefix      = "config-delivery-"
    protect_tag_key        = "delivery-guard"
    protect_tag_value      = "protected"
    organization_rule_name = "delivery-pipeline"
    organization_id        = "o-abc123def4"
  }
}

run "every_template_renders_within_its_limit" {
  command = plan

  assert {
    condition     = length(output.service_control_policies) == 4
    error_message = "Four guardrail SCPs."
  }

  assert {
    condition = alltrue([
      for text in values(output.service_control_policies) : alltrue([
        for statement in jsondecode(text).Statement : statement.Effect == "Deny" && statement.Condition.ArnNotLike["aws:PrincipalArn"] == ["arn:aws:iam::*:role/BreakGlass"]
      ])
    ])
    error_message = "Every SCP statement denies, and exempts the listed roles."
  }

  assert {
    condition     = !strcontains(join("", values(output.service_control_policies)), "$")
    error_message = "No placeholder (a dollar sign) may survive rendering."
  }

  assert {
    condition     = jsondecode(output.resource_control_policies["rcp-log-archive-perimeter"]).Statement[1].Condition.StringNotEquals["aws:SourceOrgID"] == "o-abc123def4" && jsondecode(output.resource_control_policies["rcp-log-archive-perimeter"]).Statement[1].Condition.Null["aws:SourceOrgID"] == "false"
    error_message = "The RCP lets service principals in only on behalf of the Organization."
  }
}
