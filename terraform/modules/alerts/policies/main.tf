# Event patterns, the topic and key policies, and the forwarding role's policies, as plain data.
# Patterns follow the AWS Config Developer Guide (monitor-config-with-cloudwatchevents) and the
# CloudTrail event shapes; there is no event for a history delivery failure (the metric alarms cover it).
locals {
  # AWS/Config metrics whose alarms say a delivery failed, with what each means.
  alarm_metrics = {
    ConfigHistoryExportFailed         = "history files did not reach the bucket"
    ConfigSnapshotExportFailed        = "a configuration snapshot did not reach the bucket"
    ChangeNotificationsDeliveryFailed = "change notifications did not reach the SNS topic"
    # Config Developer Guide, "Monitoring AWS Config with Amazon CloudWatch" (AWS/Config metrics).
    ConfigurationRecorderInsufficientPermissionsFailure = "the recorder's role lacks the permissions to record"
  }

  # The calls that can break a pipeline, the list the rule's event path acts on.
  # The module's own copy of permissions/breaking-calls.json (kept equal by `make docs`).
  breaking_calls = jsondecode(file("${path.module}/breaking-calls.json"))

  # Which optional patterns apply, from inputs known at plan time: the patterns themselves may hold
  # values known only after apply (the log archive's key ARN), their keys must not.
  included = {
    "function-tamper" = length(var.rule_function_names) > 0
    "bucket-tamper"   = var.log_bucket_name != null
    "key-tamper"      = length(var.log_key_arns) > 0
    "role-tamper"     = length(var.protected_role_names) > 0
  }
  patterns = { for kind, pattern in local.all_patterns : kind => pattern if lookup(local.included, kind, true) }

  all_patterns = {
    compliance = {
      source        = ["aws.config"]
      "detail-type" = ["Config Rules Compliance Change"]
      detail = {
        messageType    = ["ComplianceChangeNotification"]
        configRuleName = flatten([for name in var.rule_names : [name, { prefix = "OrgConfigRule-${name}" }]])
        newEvaluationResult = {
          complianceType = ["NON_COMPLIANT"]
          # Not a failure an exception accepts (docs/exceptions.md): its annotation starts "accepted
          # until". An event without an annotation still alarms (EventBridge User Guide, "Content
          # filtering in Amazon EventBridge event patterns": anything-but prefix, exists, $or).
          "$or" = [
            { annotation = [{ "anything-but" = { prefix = "accepted until " } }] },
            { annotation = [{ exists = false }] },
          ]
        }
      }
    }
    "delivery-failed" = {
      source        = ["aws.config"]
      "detail-type" = ["Config Configuration Snapshot Delivery Status"]
      detail = {
        messageType = ["ConfigurationSnapshotDeliveryFailed"]
      }
    }
    "config-tamper" = {
      source        = ["aws.config"]
      "detail-type" = ["AWS API Call via CloudTrail"]
      detail = {
        eventSource = ["config.amazonaws.com"]
        eventName   = local.breaking_calls["config.amazonaws.com"]
      }
    }
    alarms = {
      source        = ["aws.cloudwatch"]
      "detail-type" = ["CloudWatch Alarm State Change"]
      detail = {
        alarmName = [{ prefix = var.name_prefix }]
        state     = { value = ["ALARM"] }
      }
    }
    # Deleting or rewriting the rule itself, or its results, in the account where it runs.
    "rule-tamper" = {
      source        = ["aws.config"]
      "detail-type" = ["AWS API Call via CloudTrail"]
      detail = {
        eventSource = ["config.amazonaws.com"]
        eventName = [
          "DeleteConfigRule", "DeleteEvaluationResults", "DeleteOrganizationConfigRule",
          "PutConfigRule", "PutOrganizationConfigRule",
        ]
        "$or" = [
          { requestParameters = { configRuleName = var.rule_names } },
          { requestParameters = { configRule = { configRuleName = var.rule_names } } },
          { requestParameters = { organizationConfigRuleName = var.rule_names } },
        ]
      }
    }
    # CloudTrail names Lambda's events with their API version: DeleteFunction20150331 and so on.
    "function-tamper" = {
      source        = ["aws.lambda"]
      "detail-type" = ["AWS API Call via CloudTrail"]
      detail = {
        eventSource = ["lambda.amazonaws.com"]
        eventName = [
          { prefix = "DeleteFunction" }, { prefix = "RemovePermission" },
          { prefix = "UpdateFunctionCode" }, { prefix = "UpdateFunctionConfiguration" },
          { prefix = "PutFunctionConcurrency" },
        ]
        requestParameters = { functionName = sort(var.rule_function_names) }
      }
    }
    "bucket-tamper" = {
      source        = ["aws.s3"]
      "detail-type" = ["AWS API Call via CloudTrail"]
      detail = {
        eventSource       = ["s3.amazonaws.com"]
        eventName         = local.breaking_calls["s3.amazonaws.com"]
        requestParameters = { bucketName = [var.log_bucket_name] }
      }
    }
    "key-tamper" = {
      source        = ["aws.kms"]
      "detail-type" = ["AWS API Call via CloudTrail"]
      detail = {
        eventSource = ["kms.amazonaws.com"]
        eventName   = local.breaking_calls["kms.amazonaws.com"]
        resources   = { ARN = sort(var.log_key_arns) }
      }
    }
    "role-tamper" = {
      source        = ["aws.iam"]
      "detail-type" = ["AWS API Call via CloudTrail"]
      detail = {
        eventSource       = ["iam.amazonaws.com"]
        eventName         = local.breaking_calls["iam.amazonaws.com"]
        requestParameters = { roleName = sort(var.protected_role_names) }
      }
    }
    # IAM and Organizations calls reach EventBridge only in us-east-1, in the account that made them
    # (Organizations: normally the management account); the alerts module forwards them from there.
    "organizations-tamper" = {
      source        = ["aws.organizations"]
      "detail-type" = ["AWS API Call via CloudTrail"]
      detail = {
        eventSource = ["organizations.amazonaws.com"]
        eventName   = local.breaking_calls["organizations.amazonaws.com"]
      }
    }
  }

  topic_policy = var.topic_arn == null ? null : {
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "EventBridgeRulesOfThisAccount"
        Effect    = "Allow"
        Principal = { Service = "events.amazonaws.com" }
        Action    = "sns:Publish"
        Resource  = var.topic_arn
        Condition = { StringEquals = { "aws:SourceAccount" = var.account_id } }
      },
      {
        Sid       = "DenyInsecureTransport"
        Effect    = "Deny"
        Principal = "*"
        Action    = "sns:Publish"
        Resource  = var.topic_arn
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      },
    ]
  }

  # The topic's key: alias/aws/sns cannot serve EventBridge, so a customer key grants it.
  topic_key_policy = {
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "EnableAccountIamPolicies"
        Effect    = "Allow"
        Principal = { AWS = "arn:${var.partition}:iam::${var.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "EventBridgePublishesEncrypted"
        Effect    = "Allow"
        Principal = { Service = "events.amazonaws.com" }
        Action    = ["kms:Decrypt", "kms:GenerateDataKey*"]
        Resource  = "*"
        Condition = { StringEquals = { "aws:SourceAccount" = var.account_id } }
      },
    ]
  }

  bus_policies = {
    for arn in var.event_bus_arns : arn => {
      Version = "2012-10-17"
      Statement = [{
        Sid       = "OrganizationForwardsPipelineEvents"
        Effect    = "Allow"
        Principal = { AWS = "*" }
        Action    = "events:PutEvents"
        Resource  = arn
        Condition = { StringEquals = { "aws:PrincipalOrgID" = var.organization_id } }
      }]
    }
  }

  forwarding_trust = {
    Version = "2012-10-17"
    Statement = [{
      Sid       = "EventBridgeOfThisAccount"
      Effect    = "Allow"
      Principal = { Service = "events.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "aws:SourceAccount" = var.account_id } }
    }]
  }

  forwarding_policy = {
    Version = "2012-10-17"
    Statement = [{
      Sid      = "PutOnTheCentralBuses"
      Effect   = "Allow"
      Action   = "events:PutEvents"
      Resource = sort(var.forward_to_event_bus_arns)
    }]
  }
}
