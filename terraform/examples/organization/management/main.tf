# The management account: guardrail SCPs, the tag policy, the log-archive perimeter RCP, and the
# organization reader the rule assumes (unless the audit account is a delegated administrator).
locals {
  home_region      = "us-east-1"
  organization_id  = "o-abc123def4"
  root_id          = "r-ab12"
  workloads_ou     = "ou-ab12-workload1"
  log_archive_id   = "999999999999"
  audit_account_id = "222222222222"
  tags             = { owner = "platform-team", "cost-center" = "cc-1234" }
}

module "guardrails" {
  source = "../../../modules/guardrails"

  # Day two: the pipeline role that applies these stacks, Control Tower's and AFT's execution roles
  # (account vending and customizations create and update members' pipelines), and break-glass.
  exempt_principal_arns = [
    "arn:aws:iam::*:role/BreakGlass",
    "arn:aws:iam::*:role/AWSControlTowerExecution",
    "arn:aws:iam::*:role/AWSAFTExecution",
    "arn:aws:iam::*:role/terraform-deploy",
  ]
  organization_id = local.organization_id
  log_bucket      = "${local.organization_id}-config-logs"
  log_key_arn     = "arn:aws:kms:us-east-1:${local.log_archive_id}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  targets = {
    config_tampering      = [local.root_id]
    role_tampering        = [local.root_id]
    log_archive_tampering = [local.log_archive_id]
    watchdog_tampering    = [local.audit_account_id]
    ownership_tags        = [local.root_id]
    log_archive_perimeter = [local.log_archive_id]
  }
  tags = local.tags
}

module "organization_reader" {
  source = "../../../modules/audit-role"

  role_name              = "ConfigDeliveryGuardOrgReader"
  permissions            = ["organization"]
  rule_function_role_arn = "arn:aws:iam::${local.audit_account_id}:role/config-delivery-guard-*"
  organization_id        = local.organization_id
  tags                   = local.tags
}

data "aws_organizations_organization" "this" {}

# The audit account as Config's delegated administrator: organization rules and the aggregator are
# created from it (register before applying audit/). Organizations registers a delegated
# administrator only for a service whose trusted access is enabled (AWS Organizations User Guide,
# "AWS Config and AWS Organizations"); enabling it belongs to whoever manages the Organization, so
# this checks and says how instead of changing it.
resource "aws_organizations_delegated_administrator" "config" {
  for_each = toset(["config.amazonaws.com", "config-multiaccountsetup.amazonaws.com"])

  account_id        = local.audit_account_id
  service_principal = each.key

  lifecycle {
    precondition {
      condition     = contains(data.aws_organizations_organization.this.aws_service_access_principals, each.key)
      error_message = "Trusted access for ${each.key} is not enabled: run `aws organizations enable-aws-service-access --service-principal ${each.key}` in the management account first."
    }
  }
}
