# The per-account alternative to the StackSet (management/, module "members", which forwards for
# every account of its OUs): an enrolled account applied from Account Factory for Terraform
# customizations gets its alerts forwarded to the audit account. Its recorder and channel are
# Control Tower's: neither is created here.
locals {
  home_region      = "us-east-1"
  regions          = ["us-east-1", "eu-west-1"]
  audit_account_id = "222222222222"
  tags             = { owner = "platform-team", "cost-center" = "cc-1234" }
}

module "alerts" {
  source = "../../../modules/alerts"

  regions               = local.regions
  home_region           = local.home_region
  forward_to_account_id = local.audit_account_id
  # The StackSet's audit role: tampering with it is alerted on too.
  protected_role_names = ["ConfigDeliveryAudit"]
  tags                 = local.tags
}
