# What `mock_provider "aws"` returns for computed values the modules parse or validate: without
# these, Terraform invents random strings and every ARN check fails. Account 111111111111, us-east-1.
mock_data "aws_partition" {
  defaults = {
    partition  = "aws"
    dns_suffix = "amazonaws.com"
  }
}

mock_data "aws_caller_identity" {
  defaults = {
    account_id = "111111111111"
    arn        = "arn:aws:iam::111111111111:role/terraform"
  }
}

mock_data "aws_region" {
  defaults = {
    region = "us-east-1"
    name   = "us-east-1"
  }
}

mock_resource "aws_kms_key" {
  defaults = {
    arn    = "arn:aws:kms:us-east-1:111111111111:key/00000000-0000-4000-8000-000000000000"
    key_id = "00000000-0000-4000-8000-000000000000"
  }
}

mock_resource "aws_iam_role" {
  defaults = {
    arn = "arn:aws:iam::111111111111:role/mocked"
  }
}

mock_resource "aws_sns_topic" {
  defaults = {
    arn = "arn:aws:sns:us-east-1:111111111111:mocked"
  }
}

mock_resource "aws_sqs_queue" {
  defaults = {
    arn = "arn:aws:sqs:us-east-1:111111111111:mocked"
    url = "https://sqs.us-east-1.amazonaws.com/111111111111/mocked"
  }
}

mock_resource "aws_lambda_function" {
  defaults = {
    arn = "arn:aws:lambda:us-east-1:111111111111:function:mocked"
  }
}

mock_resource "aws_cloudwatch_log_group" {
  defaults = {
    arn = "arn:aws:logs:us-east-1:111111111111:log-group:mocked"
  }
}

mock_resource "aws_s3_bucket" {
  defaults = {
    arn = "arn:aws:s3:::mocked"
  }
}

mock_resource "aws_cloudwatch_event_bus" {
  defaults = {
    arn = "arn:aws:events:us-east-1:111111111111:event-bus/mocked"
  }
}

mock_resource "aws_cloudwatch_event_rule" {
  defaults = {
    arn = "arn:aws:events:us-east-1:111111111111:rule/mocked"
  }
}

mock_resource "aws_config_config_rule" {
  defaults = {
    arn = "arn:aws:config:us-east-1:111111111111:config-rule/config-rule-mocked"
  }
}

mock_resource "aws_organizations_policy" {
  defaults = {
    id  = "p-mocked0000"
    arn = "arn:aws:organizations::111111111111:policy/o-mocked0000/service_control_policy/p-mocked0000"
  }
}

mock_data "aws_iam_role" {
  defaults = {
    arn = "arn:aws:iam::111111111111:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig"
  }
}

# An Organization with every policy type the guardrails attach enabled on its root, and trusted
# access enabled for the services the stacks register or deploy through.
mock_data "aws_organizations_organization" {
  defaults = {
    aws_service_access_principals = [
      "config.amazonaws.com",
      "config-multiaccountsetup.amazonaws.com",
      "member.org.stacksets.cloudformation.amazonaws.com",
    ]
    roots = [{
      id   = "r-ab12"
      arn  = "arn:aws:organizations::000000000000:root/o-abc123def4/r-ab12"
      name = "Root"
      policy_types = [
        { type = "SERVICE_CONTROL_POLICY", status = "ENABLED" },
        { type = "TAG_POLICY", status = "ENABLED" },
        { type = "RESOURCE_CONTROL_POLICY", status = "ENABLED" },
      ]
    }]
  }
}
