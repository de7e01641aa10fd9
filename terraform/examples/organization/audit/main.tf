# The audit account (Config's delegated administrator): the rule in organization mode, and the
# central alert topic that every account forwards its pipeline events to.
locals {
  home_region     = "us-east-1"
  regions         = ["us-east-1", "eu-west-1"]
  organization_id = "o-abc123def4"
  log_archive_id  = "999999999999"
  management_id   = "000000000000"
  tags            = { owner = "platform-team", "cost-center" = "cc-1234" }
}

module "rule" {
  source = "../../../modules/rule"

  package = var.rule_package

  mode                       = "organization"
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

module "alerts" {
  source = "../../../modules/alerts"

  regions            = local.regions
  home_region        = local.home_region
  organization_id    = local.organization_id
  rule_names         = [module.rule.rule_name]
  rule_function_name = module.rule.function_name
  failure_queue_name = module.rule.failure_queue_name
  subscriptions      = [{ protocol = "email", endpoint = "platform-alerts@example.com" }]
  tags               = local.tags
}
