# The log-archive account: the central bucket and key, the reader role for their policies, alerts on
# tampering with either (forwarded to the audit account), and the account's own recorder and audit
# role (apply `member/` everywhere else, not here: its forwarding alerts would collide with these).
locals {
  home_region      = "us-east-1"
  regions          = ["us-east-1", "eu-west-1"]
  organization_id  = "o-abc123def4"
  audit_account_id = "222222222222"
  management_id    = "000000000000"
  # Every account whose Config delivers here: the workloads, the audit and log-archive accounts,
  # and the management account (its own recorder delivers here too).
  member_account_ids = [local.management_id, "111111111111", local.audit_account_id, "333333333333", "999999999999"]
  tags               = { owner = "platform-team", "cost-center" = "cc-1234" }
}

module "reader" {
  source = "../../../modules/audit-role"

  role_name              = "ConfigDeliveryGuardReader"
  permissions            = ["log-archive"]
  rule_function_role_arn = "arn:aws:iam::${local.audit_account_id}:role/config-delivery-guard-*"
  organization_id        = local.organization_id
  tags                   = local.tags
}

module "log_archive" {
  source = "../../../modules/log-archive"

  bucket_name        = "${local.organization_id}-config-logs"
  member_account_ids = local.member_account_ids
  organization_id    = local.organization_id
  key_reader_arns    = [module.reader.role_arn]
  tags               = local.tags
}

module "config_recorder" {
  source = "../../../modules/config-recorder"

  regions              = local.regions
  home_region          = local.home_region
  delivery_bucket_name = module.log_archive.bucket_name
  kms_key_arn          = module.log_archive.kms_key_arn
  tags                 = local.tags
}

module "audit_role" {
  source = "../../../modules/audit-role"

  role_name              = "ConfigDeliveryAudit"
  rule_function_role_arn = "arn:aws:iam::${local.audit_account_id}:role/config-delivery-guard-*"
  organization_id        = local.organization_id
  external_id            = "config-delivery-guard"
  tags                   = local.tags
}

module "alerts" {
  source = "../../../modules/alerts"

  regions               = local.regions
  home_region           = local.home_region
  forward_to_account_id = local.audit_account_id
  log_bucket_name       = module.log_archive.bucket_name
  log_key_arns          = [module.log_archive.kms_key_arn]
  protected_role_names  = [module.audit_role.role_name, module.reader.role_name]
  tags                  = local.tags
}
