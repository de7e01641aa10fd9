# The alerts applied under the mock: what each Region's rules match and where they send it.
mock_provider "aws" {
  source = "../../tests/mocks"
}

variables {
  regions              = ["us-east-1", "eu-west-1"]
  home_region          = "us-east-1"
  log_bucket_name      = "o-abc123def4-config-logs"
  protected_role_names = ["ConfigDeliveryAudit"]
  tags                 = { owner = "platform", "cost-center" = "1234" }
}

run "central_account_publishes_home_and_forwards_the_rest" {
  command = apply

  assert {
    condition     = aws_cloudwatch_event_target.this["bucket-tamper/us-east-1"].arn == aws_sns_topic.this[0].arn
    error_message = "In the central account, the home Region's rules publish to the alert topic."
  }

  assert {
    condition     = aws_cloudwatch_event_target.this["bucket-tamper/eu-west-1"].arn == "arn:aws:events:us-east-1:111111111111:event-bus/default" && aws_cloudwatch_event_target.this["bucket-tamper/eu-west-1"].role_arn == aws_iam_role.forwarding[0].arn
    error_message = "Other Regions forward to the home Region's bus with the forwarding role."
  }

  assert {
    condition     = jsondecode(aws_cloudwatch_event_rule.this["bucket-tamper/us-east-1"].event_pattern).detail.requestParameters.bucketName == ["o-abc123def4-config-logs"]
    error_message = "The bucket rule matches the log-archive bucket only."
  }

  assert {
    condition     = !contains(keys(aws_cloudwatch_event_rule.this), "key-tamper/us-east-1") && contains(keys(aws_cloudwatch_event_rule.this), "role-tamper/us-east-1")
    error_message = "Optional rules exist exactly when their resources are given."
  }
}

run "every_region_alarms_on_delivery_and_recorder_permissions" {
  command = apply

  assert {
    condition = toset([for a in aws_cloudwatch_metric_alarm.delivery : "${a.metric_name}/${a.region}"]) == toset(flatten([
      for region in var.regions : [
        for metric in ["ConfigHistoryExportFailed", "ConfigSnapshotExportFailed", "ChangeNotificationsDeliveryFailed", "ConfigurationRecorderInsufficientPermissionsFailure"] : "${metric}/${region}"
      ]
    ]))
    error_message = "Each Region alarms on every AWS/Config delivery metric and on the recorder's missing permissions."
  }
}

run "the_organization_may_forward_without_replacing_the_bus_policy" {
  command = apply

  variables {
    organization_id = "o-abc123def4"
  }

  assert {
    condition     = [for p in aws_cloudwatch_event_permission.organization : [p.event_bus_name, p.principal, p.condition[0].key, p.condition[0].value]] == [["default", "*", "aws:PrincipalOrgID", "o-abc123def4"]]
    error_message = "One statement lets the Organization's accounts put events on the home bus; the rest of the bus policy is untouched."
  }

  assert {
    condition     = jsondecode(module.policies.bus_policy_json["arn:aws:events:us-east-1:111111111111:event-bus/default"]).Statement[0].Sid == aws_cloudwatch_event_permission.organization["arn:aws:events:us-east-1:111111111111:event-bus/default"].statement_id
    error_message = "The statement deployed is the one the policy proofs decide."
  }
}

run "global_events_are_heard_in_us_east_1_even_when_it_is_not_recorded" {
  command = apply

  variables {
    regions     = ["eu-west-1"]
    home_region = "eu-west-1"
  }

  assert {
    condition     = aws_cloudwatch_event_rule.this["organizations-tamper/us-east-1"].region == "us-east-1" && aws_cloudwatch_event_rule.this["role-tamper/us-east-1"].region == "us-east-1"
    error_message = "IAM and Organizations calls are matched where they arrive: us-east-1."
  }

  assert {
    condition     = aws_cloudwatch_event_target.this["organizations-tamper/us-east-1"].arn == "arn:aws:events:eu-west-1:111111111111:event-bus/default"
    error_message = "From us-east-1 they go on to the home Region's bus (and from there to the audit account's)."
  }
}

run "the_longest_prefix_keeps_every_name_within_aws_limits" {
  command = apply

  variables {
    name_prefix = "abcdefghijklmnopqrstuvwxyz0123"
  }

  # EventBridge rule names: 64 characters of [.-_A-Za-z0-9] (botocore's events model, RuleName);
  # IAM role names: 64 (IAM User Guide, "IAM and AWS STS quotas").
  assert {
    condition     = alltrue([for rule in aws_cloudwatch_event_rule.this : length(rule.name) <= 64 && can(regex("^[.\\-_A-Za-z0-9]+$", rule.name))])
    error_message = "A 30-character name_prefix (the most variables.tf allows) keeps every EventBridge rule name within 64 characters."
  }

  assert {
    condition     = alltrue([for role in aws_iam_role.forwarding : length(role.name) <= 64])
    error_message = "The forwarding role's name stays within IAM's 64 characters."
  }
}

run "every_regions_function_is_watched" {
  command = apply

  variables {
    rule_functions = {
      "us-east-1" = { function_name = "config-delivery-guard-us-east-1", failure_queue_name = "config-delivery-guard-us-east-1-failed" }
      "eu-west-1" = { function_name = "config-delivery-guard-eu-west-1", failure_queue_name = "config-delivery-guard-eu-west-1-failed" }
    }
  }

  assert {
    condition     = jsondecode(aws_cloudwatch_event_rule.this["function-tamper/eu-west-1"].event_pattern).detail.requestParameters.functionName == ["config-delivery-guard-eu-west-1", "config-delivery-guard-us-east-1"]
    error_message = "Tampering with any Region's function alerts, not only the home Region's."
  }

  assert {
    condition     = toset(keys(aws_cloudwatch_metric_alarm.failed_evaluations)) == toset(["us-east-1", "eu-west-1"]) && aws_cloudwatch_metric_alarm.failed_evaluations["eu-west-1"].region == "eu-west-1" && aws_cloudwatch_metric_alarm.failed_evaluations["eu-west-1"].dimensions.QueueName == "config-delivery-guard-eu-west-1-failed"
    error_message = "Each Region's failure queue has its alarm, in its own Region (a queue's metrics live there)."
  }
}
