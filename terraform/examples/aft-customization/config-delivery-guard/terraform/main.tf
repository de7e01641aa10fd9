# An Account Factory for Terraform (AFT) account customization: AFT applies this folder in every
# account whose account request names the customization "config-delivery-guard", as
# AWSAFTExecution, with the provider and backend it renders from its own aft-providers.jinja and
# backend.jinja (AWS Control Tower User Guide, "AFT account customizations"). In a Control Tower
# account it creates no recorder or channel: Control Tower owns them.
#
# Copied into an aft-account-customizations repository, point each source at a pinned copy of
# these modules (for example git::https://<your-git>/config-delivery-guard.git//terraform/modules/alerts?ref=<tag>).
locals {
  home_region      = "us-east-1"
  regions          = ["us-east-1", "eu-west-1"]
  audit_account_id = "222222222222"
  tags             = { owner = "platform-team", "cost-center" = "cc-1234" }
}

# Pipeline events forwarded to the audit account's bus, in every governed Region. The audit role
# comes from the management account's StackSet (modules/member-stackset), to the account's OU.
module "alerts" {
  source = "../../../../modules/alerts"

  regions               = local.regions
  home_region           = local.home_region
  forward_to_account_id = local.audit_account_id
  protected_role_names  = ["ConfigDeliveryAudit"]
  tags                  = local.tags
}
