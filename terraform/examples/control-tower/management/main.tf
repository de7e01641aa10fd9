# The management account of a Control Tower landing zone: the organization reader the rule
# assumes, and the guardrails Control Tower does not already have: its mandatory controls protect
# its own recorder, channel, log archive bucket and roles (GRCONFIGENABLED and the log archive
# controls), so only the rule itself (watchdog_tampering) and the audit roles (role_tampering) get
# ours. Every guardrail exempts AWSControlTowerExecution and AFT's AWSAFTExecution, or account
# vending and Control Tower's own updates would be blocked on day two.
locals {
  home_region      = "us-east-1"
  regions          = ["us-east-1", "eu-west-1"]
  organization_id  = "o-abc123def4"
  root_id          = "r-ab12"
  workloads_ou     = "ou-ab12-workload1"
  log_archive_id   = "999999999999"
  audit_account_id = "222222222222"
  management_id    = "000000000000"
  tags             = { owner = "platform-team", "cost-center" = "cc-1234" }
}

module "guardrails" {
  source = "../../../modules/guardrails"

  exempt_principal_arns = [
    "arn:aws:iam::*:role/AWSControlTowerExecution",
    "arn:aws:iam::*:role/AWSAFTExecution",
    "arn:aws:iam::*:role/BreakGlass",
  ]
  organization_id    = local.organization_id
  recorder_role_name = "aws-controltower-ConfigRecorderRole"
  log_bucket         = "aws-controltower-logs-${local.log_archive_id}-${local.home_region}"
  # The landing zone's KMS key lives in the management account (AWS Control Tower User Guide,
  # "Optionally configure AWS KMS keys").
  log_key_arn = "arn:aws:kms:${local.home_region}:${local.management_id}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  targets = {
    role_tampering     = [local.root_id]
    watchdog_tampering = [local.audit_account_id]
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

# The audit role in every enrolled account of the workload OUs, and in every account Account
# Factory enrolls there later: one StackSet, no per-account stack.
module "members" {
  source = "../../../modules/member-stackset"

  organizational_unit_ids = [local.workloads_ou]
  home_region             = local.home_region
  rule_function_role_arn  = "arn:aws:iam::${local.audit_account_id}:role/config-delivery-guard-*"
  organization_id         = local.organization_id
  external_id             = "config-delivery-guard"
  tags                    = local.tags

  # And in every Region of those accounts: their pipeline events forwarded to the audit account's
  # bus, the delivery alarms. No recorder: Control Tower's is the one that records.
  regions               = local.regions
  forward_to_account_id = local.audit_account_id
}

# Organizations' own events (a guardrail detached, an SCP rewritten) are recorded in the management
# account, in us-east-1 (AWS Organizations User Guide, "Logging and monitoring in AWS
# Organizations"): the rule that hears them lives here, and forwards to the audit account.
module "alerts" {
  source = "../../../modules/alerts"

  regions               = [local.home_region]
  home_region           = local.home_region
  forward_to_account_id = local.audit_account_id
  tags                  = local.tags
}
