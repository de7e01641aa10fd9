# Control Tower's log archive account: only the reader role the rule assumes to read Control
# Tower's bucket policy (and the account's own audit role). The bucket, its policy and the
# account's recorder are Control Tower's: its mandatory controls deny changing them.
locals {
  home_region      = "us-east-1"
  organization_id  = "o-abc123def4"
  audit_account_id = "222222222222"
  tags             = { owner = "platform-team", "cost-center" = "cc-1234" }
}

module "reader" {
  source = "../../../modules/audit-role"

  role_name              = "ConfigDeliveryGuardReader"
  permissions            = ["log-archive"]
  rule_function_role_arn = "arn:aws:iam::${local.audit_account_id}:role/config-delivery-guard-*"
  organization_id        = local.organization_id
  tags                   = local.tags
}

module "audit_role" {
  source = "../../../modules/audit-role"

  role_name              = "ConfigDeliveryAudit"
  rule_function_role_arn = "arn:aws:iam::${local.audit_account_id}:role/config-delivery-guard-*"
  organization_id        = local.organization_id
  external_id            = "config-delivery-guard"
  tags                   = local.tags
}
