# Every enrolled account but the audit and log archive accounts: the audit role the rule assumes
# and the alerts forwarded to the audit account. No recorder or channel: Control Tower deploys its
# own in every enrolled account (apply per account from Account Factory for Terraform
# customizations, or as a StackSet to the OUs).
locals {
  home_region      = "us-east-1"
  regions          = ["us-east-1", "eu-west-1"]
  organization_id  = "o-abc123def4"
  audit_account_id = "222222222222"
  tags             = { owner = "platform-team", "cost-center" = "cc-1234" }
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
