# The members' regional CloudFormation template, provider-free: the EventBridge rules that forward
# each Region's pipeline events to the central bus, the delivery alarms, and (where the pipeline is
# ours) the recorder and delivery channel. The patterns, alarm metrics and forwarding role's
# policies come from the alerts module's own sources (a copy in modules/alert-policies).
module "policies" {
  # A copy of the alerts module's policies/ (make docs writes it), so that this module inits alone.
  source = "../modules/alert-policies"

  partition            = var.partition
  account_id           = local.stack_account
  name_prefix          = var.name_prefix
  rule_names           = var.rule_names
  protected_role_names = var.protected_role_names
  # The bus of the audit account; the template fills in each member's own account.
  forward_to_event_bus_arns = var.central_account_id == null ? [] : [local.central_bus]
}

locals {
  # Stands for the member's account in the rendered policies; the template says {"Ref": "AWS::AccountId"}.
  stack_account = "__STACK_ACCOUNT_ID__"
  central_bus   = "arn:${var.partition}:events:${var.home_region}:${coalesce(var.central_account_id, "000000000000")}:event-bus/default"
  forwards      = var.central_account_id != null

  forwarding_role_name = "${var.name_prefix}forward-events"
  forwarding_trust     = jsondecode(replace(module.policies.forwarding_trust_json, "\"${local.stack_account}\"", jsonencode({ Ref = "AWS::AccountId" })))

  # What a member's own account can hear: not the Organizations calls (management account only),
  # nor the function's, bucket's or key's (the audit and log-archive accounts' alerts module has them).
  # IAM's events reach EventBridge in us-east-1 only (as in the alerts module).
  global_kinds = ["role-tamper"]
  forwarded = local.forwards ? {
    for kind, pattern in module.policies.event_patterns : kind => pattern
    if !contains(["organizations-tamper", "function-tamper", "bucket-tamper", "key-tamper"], kind)
  } : {}

  logical_id = { for kind in keys(local.forwarded) : kind => replace(title(replace(kind, "-", " ")), " ", "") }

  rules = {
    for kind, pattern in local.forwarded : "Forward${local.logical_id[kind]}" => merge(
      {
        Type = "AWS::Events::Rule"
        Properties = {
          Name         = "${var.name_prefix}${kind}"
          Description  = "config-delivery-guard: ${kind} (forwarded to ${local.central_bus})"
          EventPattern = jsondecode(pattern)
          State        = "ENABLED"
          Targets = [{
            Id      = "central-bus"
            Arn     = local.central_bus
            RoleArn = { "Fn::Sub" = "arn:$${AWS::Partition}:iam::$${AWS::AccountId}:role/${local.forwarding_role_name}" }
          }]
        }
      },
      contains(local.global_kinds, kind) ? { Condition = "GlobalEventsRegion" } : {},
    )
  }

  forwarding_role = local.forwards ? {
    ForwardingRole = {
      Type      = "AWS::IAM::Role"
      Condition = "HomeRegion"
      Properties = {
        RoleName                 = local.forwarding_role_name
        Description              = "EventBridge forwards delivery-pipeline events to ${local.central_bus}"
        AssumeRolePolicyDocument = local.forwarding_trust
        Policies                 = [{ PolicyName = "forward-events", PolicyDocument = jsondecode(module.policies.forwarding_policy_json) }]
        Tags                     = local.cfn_tags
      }
    }
  } : {}

  # Their state changes travel as the forwarded "alarms" events.
  alarms = local.forwards ? {
    for metric, meaning in module.policies.delivery_alarm_metrics : "Alarm${metric}" => {
      Type = "AWS::CloudWatch::Alarm"
      Properties = {
        AlarmName          = "${var.name_prefix}${metric}"
        AlarmDescription   = { "Fn::Sub" = "AWS Config in $${AWS::Region}: ${meaning}." }
        Namespace          = "AWS/Config"
        MetricName         = metric
        Statistic          = "Sum"
        Period             = 300
        EvaluationPeriods  = 1
        Threshold          = 1
        ComparisonOperator = "GreaterThanOrEqualToThreshold"
        TreatMissingData   = "notBreaching"
        Tags               = local.cfn_tags
      }
    }
  } : {}

  # Config's service-linked role, as the config-recorder module uses it. CloudFormation starts the
  # recorder as soon as the delivery channel exists (CloudFormation template reference,
  # AWS::Config::ConfigurationRecorder).
  service_linked_role_arn = "arn:$${AWS::Partition}:iam::$${AWS::AccountId}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig"
  # (Through JSON: the two branches' object types differ.)
  recorder = jsondecode(var.recorder == null ? "{}" : jsonencode(merge(
    {
      for id, resource in {
        ConfigServiceLinkedRole = {
          Type       = "AWS::IAM::ServiceLinkedRole"
          Condition  = "HomeRegion"
          Properties = { AWSServiceName = "config.amazonaws.com" }
        }
      } : id => resource if var.recorder.create_service_linked_role
    },
    {
      Recorder = {
        Type = "AWS::Config::ConfigurationRecorder"
        Properties = {
          Name = var.recorder.name
          # Where the stack creates the role, naming it makes the recorder wait for it.
          RoleARN = {
            "Fn::If" = [
              "HomeRegion",
              { "Fn::Sub" = var.recorder.create_service_linked_role ? replace(local.service_linked_role_arn, "AWSServiceRoleForConfig", "$${ConfigServiceLinkedRole}") : local.service_linked_role_arn },
              { "Fn::Sub" = local.service_linked_role_arn },
            ]
          }
          # Global resource types (IAM) once per account: in the home Region.
          RecordingGroup = {
            AllSupported               = true
            IncludeGlobalResourceTypes = { "Fn::If" = ["HomeRegion", true, false] }
          }
        }
      }
      DeliveryChannel = {
        Type      = "AWS::Config::DeliveryChannel"
        DependsOn = "Recorder"
        Properties = merge(
          {
            Name                             = var.recorder.delivery_channel_name
            S3BucketName                     = var.recorder.bucket_name
            ConfigSnapshotDeliveryProperties = { DeliveryFrequency = var.recorder.snapshot_frequency }
          },
          var.recorder.key_prefix == null ? {} : { S3KeyPrefix = var.recorder.key_prefix },
          var.recorder.kms_key_arn == null ? {} : { S3KmsKeyArn = var.recorder.kms_key_arn },
        )
      }
    },
  )))

  cfn_tags = [for key in sort(keys(var.tags)) : { Key = key, Value = var.tags[key] }]

  template = {
    AWSTemplateFormatVersion = "2010-09-09"
    Description              = "config-delivery-guard: each Region's pipeline events forwarded to the audit account, delivery alarms${var.recorder == null ? "" : ", the recorder and delivery channel"}"
    Conditions = {
      HomeRegion         = { "Fn::Equals" = [{ Ref = "AWS::Region" }, var.home_region] }
      GlobalEventsRegion = { "Fn::Equals" = [{ Ref = "AWS::Region" }, "us-east-1"] }
    }
    Resources = merge(local.forwarding_role, local.rules, local.alarms, local.recorder)
  }
  template_body = jsonencode(local.template)
}
