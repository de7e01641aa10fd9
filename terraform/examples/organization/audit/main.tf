# The audit account (Config's delegated administrator): the rule in organization mode in every
# Region, the central alert topic that every account forwards its pipeline events to, and the
# account's own recorder and audit role (apply `member/` everywhere else, not here: its forwarding
# alerts would collide with the central ones).
locals {
  home_region     = "us-east-1"
  regions         = ["us-east-1", "eu-west-1"]
  organization_id = "o-abc123def4"
  log_archive_id  = "999999999999"
  management_id   = "000000000000"
  tags            = { owner = "platform-team", "cost-center" = "cc-1234" }
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
  audit_role_name            = "ConfigDeliveryAudit"
  audit_role_external_id     = "config-delivery-guard"
  log_archive_read_role_arn  = "arn:aws:iam::${local.log_archive_id}:role/ConfigDeliveryGuardReader"
  organization_read_role_arn = "arn:aws:iam::${local.management_id}:role/ConfigDeliveryGuardOrgReader"
  rule_parameters = {
    ExpectedBucket    = "${local.organization_id}-config-logs"
    ExpectedKeyPrefix = "config"
  }
  tags = local.tags
}

module "config_recorder" {
  source = "../../../modules/config-recorder"

  regions              = local.regions
  home_region          = local.home_region
  delivery_bucket_name = "${local.organization_id}-config-logs"
  kms_key_arn          = "arn:aws:kms:us-east-1:${local.log_archive_id}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  tags                 = local.tags
}

# The organization rule checks this account too, through the same role as everywhere.
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

# An organization-wide aggregator: every account and Region's Config data in one view, next to the
# rule (the audit account is Config's delegated administrator; management/ registers it).
resource "aws_iam_role" "aggregator" {
  name = "config-delivery-guard-aggregator"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "config.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "aws:SourceAccount" = data.aws_caller_identity.current.account_id } }
    }]
  })
  tags = local.tags
}

resource "aws_iam_role_policy_attachment" "aggregator" {
  role       = aws_iam_role.aggregator.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSConfigRoleForOrganizations"
}

resource "aws_config_configuration_aggregator" "organization" {
  region = local.home_region
  name   = "config-delivery-guard"

  organization_aggregation_source {
    all_regions = true
    role_arn    = aws_iam_role.aggregator.arn
  }

  tags = local.tags

  depends_on = [aws_iam_role_policy_attachment.aggregator]
}
