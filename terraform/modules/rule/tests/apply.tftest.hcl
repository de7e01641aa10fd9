# The rule module applied under the mock: the wiring Config, Lambda and EventBridge depend on.
mock_provider "aws" {
  source = "../../tests/mocks"
}

variables {
  tags    = { owner = "platform", "cost-center" = "1234" }
  package = { s3_bucket = "artifacts-111111111111", s3_key = "config-delivery-guard/bootstrap.zip" }
  rule_parameters = {
    ExpectedBucket    = "o-abc123def4-config-logs"
    ExpectedKeyPrefix = "config"
  }
}

run "account_mode_without_a_region_uses_the_provider_s" {
  command = apply

  assert {
    condition = jsondecode(aws_config_config_rule.this[0].input_parameters) == {
      ExpectedBucket    = "o-abc123def4-config-logs"
      ExpectedKeyPrefix = "config"
      Mode              = "account"
      HealthEventBus    = "default"
    }
    error_message = "The rule's InputParameters are the rule parameters plus Mode and HealthEventBus."
  }

  assert {
    condition = contains(flatten([
      for s in jsondecode(aws_iam_role_policy.function.policy).Statement : s.Resource if contains(flatten([s.Action]), "events:PutEvents")
    ]), "arn:aws:events:us-east-1:111111111111:event-bus/default")
    error_message = "With no region given, the health-event bus is the provider Region's default bus."
  }

  assert {
    condition     = aws_lambda_permission.config.principal == "config.amazonaws.com" && aws_lambda_permission.config.source_account == "111111111111"
    error_message = "Config may invoke the function from this account only."
  }

  assert {
    condition     = aws_lambda_permission.breaking_calls[0].source_arn == aws_cloudwatch_event_rule.breaking_calls[0].arn && aws_lambda_permission.breaking_calls[0].principal == "events.amazonaws.com"
    error_message = "EventBridge may invoke the function from the breaking-calls rule only."
  }

  assert {
    condition = toset([
      for branch in jsondecode(aws_cloudwatch_event_rule.breaking_calls[0].event_pattern).detail["$or"] : branch.eventSource[0]
    ]) == toset(["config.amazonaws.com", "s3.amazonaws.com", "kms.amazonaws.com", "iam.amazonaws.com", "organizations.amazonaws.com"])
    error_message = "The event path hears Config, S3, KMS, IAM and Organizations calls."
  }

  assert {
    condition     = aws_config_config_rule.this[0].source[0].source_identifier == aws_lambda_function.this.arn && length(aws_config_organization_custom_rule.this) == 0
    error_message = "Account mode: one account rule invoking this function."
  }
}

run "organization_mode" {
  command = apply

  variables {
    mode                   = "organization"
    region                 = "eu-west-1"
    audit_role_external_id = "config-delivery-guard"
    excluded_accounts      = ["444444444444"]
  }

  assert {
    condition = jsondecode(aws_config_organization_custom_rule.this[0].input_parameters) == {
      ExpectedBucket      = "o-abc123def4-config-logs"
      ExpectedKeyPrefix   = "config"
      Mode                = "organization"
      AuditRoleName       = "ConfigDeliveryAudit"
      AuditRoleExternalId = "config-delivery-guard"
      HealthEventBus      = "default"
    }
    error_message = "Organization mode names the audit role and its external ID."
  }

  assert {
    condition     = aws_lambda_permission.config.source_account == null && length(aws_cloudwatch_event_rule.breaking_calls) == 0
    error_message = "Every member invokes an organization rule; it has no event path."
  }

  assert {
    condition     = aws_config_organization_custom_rule.this[0].excluded_accounts == toset(["444444444444"]) && length(aws_config_config_rule.this) == 0
    error_message = "The organization rule skips the excluded accounts."
  }

  assert {
    condition     = aws_config_organization_custom_rule.this[0].timeouts.create == "30m" && aws_config_organization_custom_rule.this[0].timeouts.update == "30m"
    error_message = "The organization rule waits longer than the provider's 5 minutes for every member."
  }

  assert {
    condition = contains(flatten([
      for s in jsondecode(aws_iam_role_policy.function.policy).Statement : s.Resource if contains(flatten([s.Action]), "events:PutEvents")
    ]), "arn:aws:events:eu-west-1:111111111111:event-bus/default")
    error_message = "The health-event bus is in the rule's own Region."
  }
}

run "the_event_pattern_fits_eventbridge" {
  command = plan

  assert {
    condition     = length(aws_cloudwatch_event_rule.breaking_calls[0].event_pattern) <= 4096
    error_message = "EventBridge's PutRule takes an EventPattern of at most 4,096 characters (botocore's model)."
  }
}

run "accepted_exceptions_are_a_versioned_document_the_function_alone_reads" {
  command = apply

  variables {
    exceptions = [{
      id      = "sandbox-without-config"
      ous     = ["Root/sandbox"]
      checks  = ["recorder.*", "channel.*"]
      reason  = "sandbox OU runs without Config until the Q1 rollout"
      owner   = "platform-team"
      expires = formatdate("YYYY-MM-DD", timeadd(timestamp(), "720h"))
    }]
  }

  assert {
    condition     = jsondecode(aws_config_config_rule.this[0].input_parameters).ExceptionsObject == "s3://${aws_s3_bucket.exceptions[0].bucket}/exceptions.json" && jsondecode(aws_config_config_rule.this[0].input_parameters).ExceptionMaxDays == "180"
    error_message = "The rule names the document and the cap."
  }

  assert {
    condition     = jsondecode(aws_s3_object.exceptions[0].content).version == 1 && jsondecode(aws_s3_object.exceptions[0].content).exceptions[0].ous == ["Root/sandbox"] && !can(jsondecode(aws_s3_object.exceptions[0].content).exceptions[0].accounts)
    error_message = "The document is the rule's format: version 1, empty lists left out."
  }

  assert {
    condition     = aws_s3_bucket_versioning.exceptions[0].versioning_configuration[0].status == "Enabled" && aws_s3_bucket_public_access_block.exceptions[0].restrict_public_buckets && length(aws_s3_bucket.exceptions[0].bucket) <= 63
    error_message = "Every change stays on record; nothing is public; the name fits S3."
  }

  assert {
    condition = contains(flatten([
      for s in jsondecode(aws_iam_role_policy.function.policy).Statement : s.Resource if contains(flatten([s.Action]), "s3:GetObject")
    ]), "arn:aws:s3:::${aws_s3_bucket.exceptions[0].bucket}/exceptions.json")
    error_message = "The function may read the document and nothing else of the bucket."
  }
}
