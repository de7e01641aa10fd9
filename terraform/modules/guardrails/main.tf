data "aws_partition" "current" {}

# Organizations refuses to attach a policy whose type is not enabled on the root; enabling one belongs
# to whoever manages the Organization (aws_organizations_organization.enabled_policy_types), so this
# module checks instead of changing it.
data "aws_organizations_organization" "this" {}

locals {
  enabled_policy_types = toset(flatten([
    for root in data.aws_organizations_organization.this.roots : [for t in root.policy_types : t.type if t.status == "ENABLED"]
  ]))
}

module "policies" {
  source = "./policies"

  required_tag_resource_types = var.ownership_tag_required_for
  casing_enforced_for         = var.ownership_tag_casing_enforced_for

  values = {
    # A JSON list in the templates (ArnNotLike takes several patterns).
    exempt_principal_arns  = jsonencode(sort(var.exempt_principal_arns))
    partition              = data.aws_partition.current.partition
    recorder_role_name     = var.recorder_role_name
    audit_role_name        = var.audit_role_name
    log_bucket             = var.log_bucket
    log_key_arn            = var.log_key_arn
    function_name          = var.function_name
    alert_topic_name       = var.alert_topic_name
    alert_rule_prefix      = var.alert_rule_prefix
    protect_tag_key        = var.protect_tag.key
    protect_tag_value      = var.protect_tag.value
    organization_rule_name = var.organization_rule_name
    organization_id        = var.organization_id
  }
}

locals {
  # Template name -> the targets variable that attaches it.
  scp_targets = {
    "deny-config-tampering"      = var.targets.config_tampering
    "deny-role-tampering"        = var.targets.role_tampering
    "deny-log-archive-tampering" = var.targets.log_archive_tampering
    "deny-watchdog-tampering"    = var.targets.watchdog_tampering
  }

  scp_attachments = merge([
    for name, targets in local.scp_targets : { for target in targets : "${name}/${target}" => { policy = name, target = target } }
  ]...)
}

resource "aws_organizations_policy" "scp" {
  for_each = module.policies.service_control_policies

  name        = "${var.name_prefix}-${each.key}"
  description = "config-delivery-guard guardrail (scp-policies/${each.key}.json); exempt: ${join(", ", sort(var.exempt_principal_arns))}"
  type        = "SERVICE_CONTROL_POLICY"
  content     = each.value

  tags = var.tags

  lifecycle {
    precondition {
      condition     = contains(local.enabled_policy_types, "SERVICE_CONTROL_POLICY")
      error_message = "SERVICE_CONTROL_POLICY is not enabled on the Organization's root: run `aws organizations enable-policy-type --root-id <r-...> --policy-type SERVICE_CONTROL_POLICY` first."
    }
  }
}

resource "aws_organizations_policy_attachment" "scp" {
  for_each = local.scp_attachments

  policy_id = aws_organizations_policy.scp[each.value.policy].id
  target_id = each.value.target
}

resource "aws_organizations_policy" "tag" {
  name        = "${var.name_prefix}-ownership-tags"
  description = "Ownership tags (owner, cost-center) of the delivery pipeline's resources"
  type        = "TAG_POLICY"
  content     = module.policies.tag_policy

  tags = var.tags

  lifecycle {
    precondition {
      condition     = length(var.targets.ownership_tags) == 0 || contains(local.enabled_policy_types, "TAG_POLICY")
      error_message = "TAG_POLICY is not enabled on the Organization's root: run `aws organizations enable-policy-type --root-id <r-...> --policy-type TAG_POLICY` (or add it to enabled_policy_types) first."
    }
  }
}

resource "aws_organizations_policy_attachment" "tag" {
  for_each = toset(var.targets.ownership_tags)

  policy_id = aws_organizations_policy.tag.id
  target_id = each.value
}

# RCPs are optional: created only where attached, since they deny every principal outside the Organization.
resource "aws_organizations_policy" "rcp" {
  for_each = length(var.targets.log_archive_perimeter) == 0 ? {} : module.policies.resource_control_policies

  name        = "${var.name_prefix}-${each.key}"
  description = "config-delivery-guard: only the Organization's principals, and services acting for it, reach the log archive"
  type        = "RESOURCE_CONTROL_POLICY"
  content     = each.value

  tags = var.tags

  lifecycle {
    precondition {
      condition     = contains(local.enabled_policy_types, "RESOURCE_CONTROL_POLICY")
      error_message = "RESOURCE_CONTROL_POLICY is not enabled on the Organization's root: run `aws organizations enable-policy-type --root-id <r-...> --policy-type RESOURCE_CONTROL_POLICY` first."
    }
  }
}

resource "aws_organizations_policy_attachment" "rcp" {
  for_each = toset(var.targets.log_archive_perimeter)

  policy_id = aws_organizations_policy.rcp["rcp-log-archive-perimeter"].id
  target_id = each.value
}

# The trail that makes the event path hear anything at all (organization_trail).
resource "aws_cloudtrail" "organization" {
  #checkov:skip=CKV_AWS_252:Alerts travel through EventBridge (the alerts module), not the trail's SNS notifications.
  #checkov:skip=CKV2_AWS_10:EventBridge receives the management events without CloudWatch Logs; the logs go to the bucket.
  count = var.organization_trail == null ? 0 : 1

  name                          = var.organization_trail.name
  s3_bucket_name                = var.organization_trail.s3_bucket_name
  kms_key_id                    = var.organization_trail.kms_key_arn
  is_organization_trail         = true
  is_multi_region_trail         = true
  include_global_service_events = true
  enable_log_file_validation    = true
  enable_logging                = true

  tags = var.tags
}
