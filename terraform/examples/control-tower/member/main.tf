# Every enrolled account of the workload OUs, applied per account from Account Factory for
# Terraform customizations: the alerts forwarded to the audit account. Its audit role comes from
# the management account's StackSet (management/, module "members"), and its recorder and channel
# from Control Tower: neither is created here.
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
