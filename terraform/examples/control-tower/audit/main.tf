# The audit account of a Control Tower landing zone: the rule in organization mode in every
# governed Region, judging Control Tower's own pipeline (its log archive bucket and prefix), its
# audit role, and the central alerts. No recorder, channel, bucket or aggregator: Control Tower
# owns the account's recorder and channel, and already aggregates the Organization's Config data
# in this account (aws-controltower-GuardrailsComplianceAggregator).
locals {
  home_region     = "us-east-1"
  regions         = ["us-east-1", "eu-west-1"]
  organization_id = "o-abc123def4"
  log_archive_id  = "999999999999"
  management_id   = "000000000000"
  tags            = { owner = "platform-team", "cost-center" = "cc-1234" }
  # Control Tower delivers every enrolled account's Config data to one bucket in the log archive
  # account, named for that account and the landing zone's home Region, under the Organization's
  # ID as key prefix (AWS Control Tower User Guide, "Logging and monitoring in AWS Control Tower").
  control_tower_bucket = "aws-controltower-logs-${local.log_archive_id}-${local.home_region}"
}

# One function and one organization rule per Region: a rule judges the Region it lives in.
module "rule" {
  source   = "../../../modules/rule"
  for_each = toset(local.regions)

  package                    = var.rule_package
  region                     = each.key
  function_name              = "config-delivery-guard-${each.key}"
  mode                       = "organization"
  organization_id            = local.organization_id
  landing_zone               = "control-tower"
  audit_role_name            = "ConfigDeliveryAudit"
  audit_role_external_id     = "config-delivery-guard"
  log_archive_read_role_arn  = "arn:aws:iam::${local.log_archive_id}:role/ConfigDeliveryGuardReader"
  organization_read_role_arn = "arn:aws:iam::${local.management_id}:role/ConfigDeliveryGuardOrgReader"
  rule_parameters = {
    ExpectedBucket    = local.control_tower_bucket
    ExpectedKeyPrefix = local.organization_id
  }
  # An organization rule cannot be deployed where there is no recorder, and Control Tower deploys
  # none in accounts it does not enroll: list them here (the management account unless Config runs
  # there). The watchdog, or `delivery-guard scan --org`, still judges them.
  excluded_accounts = [local.management_id]
  tags              = local.tags
}

# The organization rule judges this account too, through the same role as everywhere.
module "audit_role" {
  source = "../../../modules/audit-role"

  role_name              = "ConfigDeliveryAudit"
  rule_function_role_arn = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/config-delivery-guard-*"
  organization_id        = local.organization_id
  external_id            = "config-delivery-guard"
  tags                   = local.tags
}

data "aws_caller_identity" "current" {}

module "alerts" {
  source = "../../../modules/alerts"

  regions         = local.regions
  home_region     = local.home_region
  organization_id = local.organization_id
  rule_names      = [module.rule[local.home_region].rule_name]
  # Every Region's function: its tampering alerts, and its failure queue's alarm.
  rule_functions       = { for region, rule in module.rule : region => { function_name = rule.function_name, failure_queue_name = rule.failure_queue_name } }
  protected_role_names = [module.audit_role.role_name]
  subscriptions        = [{ protocol = "email", endpoint = "platform-alerts@example.com" }]
  tags                 = local.tags
}
