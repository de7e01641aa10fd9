# Every member account but the audit and log-archive accounts, whose own stacks hold these parts
# (apply per account, for example from an account-vending pipeline; the management account too): the
# recorder and channel to the central bucket, the audit role, and alerts forwarded to the audit account.
locals {
  home_region      = "us-east-1"
  regions          = ["us-east-1", "eu-west-1"]
  organization_id  = "o-abc123def4"
  audit_account_id = "222222222222"
  tags             = { owner = "platform-team", "cost-center" = "cc-1234" }
}

module "config_recorder" {
  source = "../../../modules/config-recorder"

  regions              = local.regions
  home_region          = local.home_region
  delivery_bucket_name = "${local.organization_id}-config-logs"
  kms_key_arn          = "arn:aws:kms:us-east-1:999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab"
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
  protected_role_names  = [module.audit_role.role_name]
  tags                  = local.tags
}
