data "aws_partition" "current" {}
data "aws_caller_identity" "current" {}

locals {
  partition  = data.aws_partition.current.partition
  account_id = data.aws_caller_identity.current.account_id
  central    = var.forward_to_account_id == null

  topic_name = "${var.name_prefix}alerts"
  topic_arn  = "arn:${local.partition}:sns:${var.home_region}:${local.account_id}:${local.topic_name}"
  home_bus   = "arn:${local.partition}:events:${var.home_region}:${coalesce(var.forward_to_account_id, local.account_id)}:event-bus/default"

  # Every (alert kind, Region) pair. IAM's and Organizations' events reach EventBridge in us-east-1
  # only, whichever Regions are recorded: their rules live there, and forward to the home bus.
  global_kinds = ["role-tamper", "organizations-tamper"]
  rules = merge(
    {
      for pair in setproduct(keys(module.policies.event_patterns), var.regions) :
      "${pair[0]}/${pair[1]}" => { kind = pair[0], region = pair[1] }
      if !contains(local.global_kinds, pair[0])
    },
    {
      for kind in keys(module.policies.event_patterns) : "${kind}/us-east-1" => { kind = kind, region = "us-east-1" }
      if contains(local.global_kinds, kind)
    },
  )

  # The home Region of the central account publishes; every other rule forwards to the home bus.
  publishes = { for key, rule in local.rules : key => local.central && rule.region == var.home_region }
  forwards  = anytrue([for key, publishes in local.publishes : !publishes])

  alarm_metrics = module.policies.delivery_alarm_metrics
  alarms = {
    for pair in setproduct(keys(local.alarm_metrics), var.regions) :
    "${pair[0]}/${pair[1]}" => { metric = pair[0], region = pair[1] }
  }
}

module "policies" {
  source = "./policies"

  partition                 = local.partition
  account_id                = local.account_id
  name_prefix               = var.name_prefix
  rule_names                = var.rule_names
  log_bucket_name           = var.log_bucket_name
  log_key_arns              = var.log_key_arns
  protected_role_names      = var.protected_role_names
  rule_function_names       = [for function in values(var.rule_functions) : function.function_name]
  topic_arn                 = local.central ? local.topic_arn : null
  organization_id           = var.organization_id
  event_bus_arns            = local.central && var.organization_id != null ? [local.home_bus] : []
  forward_to_event_bus_arns = [local.home_bus]
}

################################################################################
# Topic (central mode)
################################################################################

resource "aws_kms_key" "topic" {
  count  = local.central ? 1 : 0
  region = var.home_region

  description             = "config-delivery-guard alert topic"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = module.policies.topic_key_policy_json

  tags = var.tags
}

resource "aws_sns_topic" "this" {
  count  = local.central ? 1 : 0
  region = var.home_region

  name              = local.topic_name
  kms_master_key_id = aws_kms_key.topic[0].arn

  tags = var.tags
}

resource "aws_sns_topic_policy" "this" {
  count  = local.central ? 1 : 0
  region = var.home_region

  arn    = aws_sns_topic.this[0].arn
  policy = module.policies.topic_policy_json
}

resource "aws_sns_topic_subscription" "this" {
  for_each = local.central ? { for s in var.subscriptions : "${s.protocol}:${s.endpoint}" => s } : {}
  region   = var.home_region

  topic_arn = aws_sns_topic.this[0].arn
  protocol  = each.value.protocol
  endpoint  = each.value.endpoint
}

# One statement added to the default bus's policy (the statement of policies/bus_policy_json), not
# the whole policy replaced: other statements on the bus (Control Tower's, another team's) stay.
resource "aws_cloudwatch_event_permission" "organization" {
  for_each = toset(local.central && var.organization_id != null ? [local.home_bus] : [])
  region   = var.home_region

  event_bus_name = "default"
  statement_id   = "OrganizationForwardsPipelineEvents"
  principal      = "*"
  action         = "events:PutEvents"

  condition {
    key   = "aws:PrincipalOrgID"
    type  = "StringEquals"
    value = var.organization_id
  }
}

################################################################################
# Rules
################################################################################

resource "aws_iam_role" "forwarding" {
  count = local.forwards ? 1 : 0

  name               = "${var.name_prefix}forward-events"
  description        = "EventBridge forwards delivery-pipeline events to ${local.home_bus}"
  assume_role_policy = module.policies.forwarding_trust_json

  tags = var.tags
}

resource "aws_iam_role_policy" "forwarding" {
  count = local.forwards ? 1 : 0

  name   = "forward-events"
  role   = aws_iam_role.forwarding[0].id
  policy = module.policies.forwarding_policy_json
}

resource "aws_cloudwatch_event_rule" "this" {
  for_each = local.rules
  region   = each.value.region

  name          = "${var.name_prefix}${each.value.kind}"
  description   = "config-delivery-guard: ${each.value.kind} (${local.publishes[each.key] ? "to the alert topic" : "forwarded to ${local.home_bus}"})"
  event_pattern = module.policies.event_patterns[each.value.kind]

  tags = var.tags
}

resource "aws_cloudwatch_event_target" "this" {
  for_each = local.rules
  region   = each.value.region

  rule     = aws_cloudwatch_event_rule.this[each.key].name
  arn      = local.publishes[each.key] ? aws_sns_topic.this[0].arn : local.home_bus
  role_arn = local.publishes[each.key] ? null : aws_iam_role.forwarding[0].arn
}

################################################################################
# Alarms: their state changes travel as the "alarms" events above
################################################################################

resource "aws_cloudwatch_metric_alarm" "delivery" {
  for_each = local.alarms
  region   = each.value.region

  alarm_name          = "${var.name_prefix}${each.value.metric}"
  alarm_description   = "AWS Config in ${each.value.region}: ${local.alarm_metrics[each.value.metric]}."
  namespace           = "AWS/Config"
  metric_name         = each.value.metric
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"

  tags = var.tags
}

# One per Region where the rule runs: a queue's metrics, and so its alarm, live in its Region; the
# alarm's state change reaches the topic through that Region's "alarms" rule.
resource "aws_cloudwatch_metric_alarm" "failed_evaluations" {
  for_each = local.central ? { for region, function in var.rule_functions : region => function.failure_queue_name if function.failure_queue_name != null } : {}
  region   = each.key

  alarm_name          = "${var.name_prefix}failed-evaluations"
  alarm_description   = "config-delivery-guard could not report an evaluation after Lambda's retries; the event is in ${each.value} (${each.key})."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = each.value }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"

  tags = var.tags
}
