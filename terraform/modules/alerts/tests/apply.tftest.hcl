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
