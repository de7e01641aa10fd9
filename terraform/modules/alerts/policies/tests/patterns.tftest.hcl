variables {
  partition           = "aws"
  account_id          = "222222222222"
  name_prefix         = "config-delivery-"
  rule_names          = ["delivery-pipeline"]
  log_bucket_name     = "o-abc123def4-config-logs"
  log_key_arns        = ["arn:aws:kms:us-east-1:999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab"]
  topic_arn           = "arn:aws:sns:us-east-1:222222222222:config-delivery-alerts"
  rule_function_names = ["config-delivery-guard-eu-west-1", "config-delivery-guard-us-east-1"]
}

run "patterns_cover_the_pipeline" {
  command = plan

  assert {
    condition     = jsonencode(sort(keys(output.event_patterns))) == jsonencode(["alarms", "bucket-tamper", "compliance", "config-tamper", "delivery-failed", "function-tamper", "key-tamper", "organizations-tamper", "rule-tamper"])
    error_message = "Every alert kind has a pattern once its resources are named."
  }

  assert {
    condition     = jsondecode(output.event_patterns["compliance"]).detail.configRuleName[1].prefix == "OrgConfigRule-delivery-pipeline"
    error_message = "Organization rules appear in members as OrgConfigRule-<name>-<suffix>."
  }

  assert {
    condition     = jsondecode(output.event_patterns["compliance"]).detail.newEvaluationResult["$or"] == [{ annotation = [{ "anything-but" = { prefix = "accepted until " } }] }, { annotation = [{ exists = false }] }]
    error_message = "A failure an exception accepts raises no alarm; one without an annotation still does."
  }

  assert {
    condition     = contains(jsondecode(output.event_patterns["config-tamper"]).detail.eventName, "StopConfigurationRecorder")
    error_message = "Stopping the recorder must alert."
  }

  assert {
    condition     = jsondecode(output.event_patterns["rule-tamper"]).detail["$or"][1].requestParameters.configRule.configRuleName == ["delivery-pipeline"]
    error_message = "PutConfigRule carries the name inside configRule."
  }

  assert {
    condition     = jsondecode(output.event_patterns["bucket-tamper"]).detail.requestParameters.bucketName == ["o-abc123def4-config-logs"]
    error_message = "Bucket events are limited to the log-archive bucket."
  }
}

run "without_resources_only_the_account_wide_patterns" {
  command = plan

  variables {
    log_bucket_name     = null
    log_key_arns        = []
    topic_arn           = null
    rule_function_names = []
  }

  assert {
    condition     = length(output.event_patterns) == 6 && output.topic_policy_json == null
    error_message = "Bucket and key patterns need their resources; no topic, no topic policy."
  }
}

run "receiving_needs_the_organization" {
  command = plan

  variables {
    event_bus_arns = ["arn:aws:events:us-east-1:222222222222:event-bus/default"]
  }

  expect_failures = [output.bus_policy_json]
}
