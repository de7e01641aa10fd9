variables {
  partition = "aws"
  grants    = ["delivery-checks"]
}

run "delivery_checks_are_read_only_but_for_put_evaluations" {
  command = plan

  assert {
    condition = alltrue([
      for action in output.actions :
      action == "config:PutEvaluations" || length(regexall(":(Describe|Get|List)", action)) > 0
    ])
    error_message = "Every delivery-check action but config:PutEvaluations must be a Describe, Get or List."
  }

  assert {
    condition     = length(output.actions) == 20
    error_message = "delivery-checks holds 6 Config reads, PutEvaluations, 4 S3, 2 KMS, 6 IAM actions and DescribeOrganization; if the catalogue changed, update the README table."
  }
}

run "report_is_folded_into_delivery_checks" {
  command = plan

  variables {
    grants = ["delivery-checks", "report"]
  }

  assert {
    condition     = length([for s in jsondecode(output.policy_json).Statement : s if s.Sid == "ReportEvaluations"]) == 1
    error_message = "PutEvaluations must be granted once."
  }
}

run "assume_roles_need_targets" {
  command = plan

  variables {
    grants = ["assume-audit-roles"]
  }

  expect_failures = [output.policy_json]
}

run "assume_roles_are_only_the_named_roles" {
  command = plan

  variables {
    grants           = ["assume-audit-roles", "report"]
    assume_role_arns = ["arn:aws:iam::*:role/ConfigDeliveryAudit"]
  }

  assert {
    condition     = jsonencode(output.actions) == jsonencode(["config:PutEvaluations", "sts:AssumeRole"])
    error_message = "organization mode's function may only assume audit roles and report."
  }

  assert {
    condition     = jsondecode(output.policy_json).Statement[0].Resource == ["arn:aws:iam::*:role/ConfigDeliveryAudit"]
    error_message = "AssumeRole must be limited to the audit role name."
  }
}

run "unknown_grants_are_refused" {
  command = plan

  variables {
    grants = ["delivery-checks", "s3:*"]
  }

  expect_failures = [var.grants]
}

run "audit_role_trust_names_one_role_in_the_organization" {
  command = plan

  variables {
    trusted_role_arn = "arn:aws:iam::222222222222:role/config-delivery-guard"
    organization_id  = "o-abc123def4"
    external_id      = "delivery-guard-7f3a"
  }

  assert {
    condition     = jsondecode(output.audit_role_trust_json).Statement[0].Principal.AWS == "arn:aws:iam::222222222222:root" && jsondecode(output.audit_role_trust_json).Statement[0].Condition.ArnLike["aws:PrincipalArn"] == "arn:aws:iam::222222222222:role/config-delivery-guard"
    error_message = "Only the rule's role may assume the audit role: its account as the principal (which always exists), its ARN as aws:PrincipalArn."
  }

  assert {
    condition     = jsondecode(output.audit_role_trust_json).Statement[0].Condition.StringEquals["sts:ExternalId"] == "delivery-guard-7f3a" && jsondecode(output.audit_role_trust_json).Statement[0].Condition.StringEquals["aws:PrincipalOrgID"] == "o-abc123def4"
    error_message = "The trust must require the Organization and the external ID."
  }
}

run "organization_mode_function_only_assumes_and_reports" {
  command = plan

  variables {
    grants              = []
    function_mode       = "organization"
    assume_role_arns    = ["arn:aws:iam::*:role/ConfigDeliveryAudit"]
    log_group_arn       = "arn:aws:logs:us-east-1:222222222222:log-group:/aws/lambda/config-delivery-guard"
    failure_queue_arn   = "arn:aws:sqs:us-east-1:222222222222:config-delivery-guard-failed-evaluations"
    function_account_id = "222222222222"
  }

  assert {
    condition     = jsonencode(output.actions) == jsonencode(["config:PutEvaluations", "logs:CreateLogStream", "logs:PutLogEvents", "organizations:DescribeOrganization", "sqs:SendMessage", "sts:AssumeRole"])
    error_message = "organization mode: assume the audit roles, confirm the member is of its own Organization, report, log, and send failures; nothing else."
  }

  assert {
    condition     = jsondecode(output.function_trust_json).Statement[0].Condition.StringEquals["aws:SourceAccount"] == "222222222222"
    error_message = "Only Lambda in the function's account may assume its role."
  }
}

run "a_function_reads_its_own_rule_and_publishes_health_events" {
  command = plan

  variables {
    grants               = []
    function_mode        = "watchdog"
    function_account_id  = "111111111111"
    log_group_arn        = "arn:aws:logs:us-east-1:111111111111:log-group:/aws/lambda/guard"
    failure_queue_arn    = "arn:aws:sqs:us-east-1:111111111111:guard-failed-evaluations"
    health_event_bus_arn = "arn:aws:events:us-east-1:111111111111:event-bus/default"
  }

  assert {
    condition     = contains(output.actions, "config:StartConfigRulesEvaluation") && contains(output.actions, "events:PutEvents")
    error_message = "A watchdog function needs its rule's state (event-driven path) and PutEvents (health events)."
  }

  assert {
    condition     = [for s in jsondecode(output.policy_json).Statement : s.Resource if s.Sid == "PublishHealthEvents"][0] == ["arn:aws:events:us-east-1:111111111111:event-bus/default"]
    error_message = "PutEvents is granted on the health bus alone."
  }
}

run "an_organization_mode_function_has_no_rule_of_its_own_to_read" {
  command = plan

  variables {
    grants              = []
    function_mode       = "organization"
    function_account_id = "111111111111"
    log_group_arn       = "arn:aws:logs:us-east-1:111111111111:log-group:/aws/lambda/guard"
    failure_queue_arn   = "arn:aws:sqs:us-east-1:111111111111:guard-failed-evaluations"
  }

  assert {
    condition     = !contains(output.actions, "config:StartConfigRulesEvaluation") && !contains(output.actions, "events:PutEvents")
    error_message = "Organization mode: no rule state in the function's account, and no events without a bus."
  }
}

run "with_the_organization_only_its_accounts_roles_are_assumed" {
  command = plan

  variables {
    grants           = ["assume-audit-roles"]
    assume_role_arns = ["arn:aws:iam::*:role/ConfigDeliveryAudit"]
    organization_id  = "o-abc123def4"
  }

  assert {
    condition     = jsondecode(output.policy_json).Statement[0].Condition.StringEquals["aws:ResourceOrgID"] == "o-abc123def4"
    error_message = "sts:AssumeRole is confined to roles of the Organization's accounts (aws:ResourceOrgID)."
  }
}
