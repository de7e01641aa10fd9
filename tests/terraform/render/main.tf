# Renders every policy document the modules apply, with the Organization of the proofs, so that
# tests/terraform can judge them with the project's IAM evaluator and parliament. Provider-free.
terraform {
  required_version = ">= 1.9.0"
}

locals {
  health_bus      = "arn:aws:events:us-east-1:${local.audit}:event-bus/default"
  organization_id = "o-abc123def4"
  log_archive     = "999999999999"
  audit           = "222222222222"
  members         = ["111111111111", "222222222222", "999999999999"]
  bucket          = "o-abc123def4-config-logs"
  key_arn         = "arn:aws:kms:us-east-1:999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  function_role   = "arn:aws:iam::222222222222:role/config-delivery-guard"
  audit_roles     = "arn:aws:iam::*:role/ConfigDeliveryAudit"
  readers = [
    "arn:aws:iam::999999999999:role/ConfigDeliveryGuardReader",
    "arn:aws:iam::000000000000:role/ConfigDeliveryGuardOrgReader",
  ]
  log_group = "arn:aws:logs:us-east-1:222222222222:log-group:/aws/lambda/config-delivery-guard"
  queue     = "arn:aws:sqs:us-east-1:222222222222:config-delivery-guard-failed-evaluations"
}

module "log_archive" {
  source = "../../../terraform/modules/log-archive/policies"

  partition              = "aws"
  log_archive_account_id = local.log_archive
  bucket_name            = local.bucket
  key_prefix             = "config"
  member_account_ids     = local.members
  delivery_paths         = "per-account"
  source_condition       = "accounts"
  organization_id        = local.organization_id
  audit_role_name        = "ConfigDeliveryAudit"
  key_administrator_arns = ["arn:aws:iam::999999999999:role/KeyAdmin"]
  key_reader_arns        = [local.readers[0]]
}

# The same archive for an Organization too large for account lists: aws:SourceOrgID instead.
module "log_archive_by_organization" {
  source = "../../../terraform/modules/log-archive/policies"

  partition              = "aws"
  log_archive_account_id = local.log_archive
  bucket_name            = local.bucket
  key_prefix             = "config"
  member_account_ids     = local.members
  delivery_paths         = "wildcard"
  source_condition       = "organization"
  organization_id        = local.organization_id
  audit_role_name        = "ConfigDeliveryAudit"
  key_administrator_arns = []
  key_reader_arns        = []
}

# Any number of members, each member's Config in its own folder: the aws:SourceAccount policy variable.
module "log_archive_by_source_account" {
  source = "../../../terraform/modules/log-archive/policies"

  partition              = "aws"
  log_archive_account_id = local.log_archive
  bucket_name            = local.bucket
  key_prefix             = "config"
  member_account_ids     = local.members
  delivery_paths         = "source-account"
  source_condition       = "organization"
  organization_id        = local.organization_id
  audit_role_name        = "ConfigDeliveryAudit"
  key_administrator_arns = []
  key_reader_arns        = []
}

module "guardrails" {
  source = "../../../terraform/modules/guardrails/policies"

  values = {
    exempt_principal_arns  = jsonencode(["arn:aws:iam::*:role/AWSControlTowerExecution", "arn:aws:iam::*:role/BreakGlass"])
    partition              = "aws"
    recorder_role_name     = "config-recorder"
    audit_role_name        = "ConfigDeliveryAudit"
    log_bucket             = local.bucket
    log_key_arn            = local.key_arn
    function_name          = "config-delivery-guard"
    alert_topic_name       = "config-delivery-alerts"
    alert_rule_prefix      = "config-delivery-"
    protect_tag_key        = "delivery-guard"
    protect_tag_value      = "protected"
    organization_rule_name = "delivery-pipeline"
    organization_id        = local.organization_id
  }
}

module "alerts" {
  source = "../../../terraform/modules/alerts/policies"

  partition                 = "aws"
  account_id                = local.audit
  name_prefix               = "config-delivery-"
  rule_names                = ["delivery-pipeline"]
  log_bucket_name           = local.bucket
  log_key_arns              = [local.key_arn]
  protected_role_names      = ["ConfigDeliveryAudit"]
  rule_function_names       = ["config-delivery-guard"]
  topic_arn                 = "arn:aws:sns:us-east-1:222222222222:config-delivery-alerts"
  organization_id           = local.organization_id
  event_bus_arns            = ["arn:aws:events:us-east-1:222222222222:event-bus/default"]
  forward_to_event_bus_arns = ["arn:aws:events:us-east-1:222222222222:event-bus/default"]
}

# The roles, with the grants the audit-role and rule modules give them.
module "member_audit_role" {
  source = "../../../terraform/modules/permissions"

  partition        = "aws"
  grants           = ["delivery-checks", "list-regions", "event-path-trails", "security-hub"]
  trusted_role_arn = local.function_role
  organization_id  = local.organization_id
  external_id      = "config-delivery-guard"
}

# The member stack set's template: the same audit role, from the same sources.
module "member_stackset_template" {
  source = "../../../terraform/modules/member-stackset/template"

  partition                = "aws"
  role_name                = "ConfigDeliveryAudit"
  permissions              = ["delivery-checks", "list-regions", "event-path-trails", "security-hub"]
  rule_function_role_arn   = local.function_role
  organization_id          = local.organization_id
  external_id              = "config-delivery-guard"
  max_session_duration     = 3600
  permissions_boundary_arn = null
  tags                     = { owner = "platform", "cost-center" = "1234" }
}

# Its regional template: forwarding to the audit account's bus, alarms, a recorder.
module "member_stackset_regional" {
  source = "../../../terraform/modules/member-stackset/regional"

  partition            = "aws"
  home_region          = "us-east-1"
  central_account_id   = local.audit
  name_prefix          = "config-delivery-"
  rule_names           = ["delivery-pipeline"]
  protected_role_names = ["ConfigDeliveryAudit"]
  recorder             = { name = "default", delivery_channel_name = "default", bucket_name = local.bucket, key_prefix = null, kms_key_arn = local.key_arn, snapshot_frequency = "One_Hour", create_service_linked_role = true }
  tags                 = { owner = "platform", "cost-center" = "1234" }
}

locals {
  stackset_role     = jsondecode(module.member_stackset_template.template_body).Resources.AuditRole.Properties
  stackset_regional = jsondecode(module.member_stackset_regional.template_body).Resources
}

module "log_archive_reader" {
  source = "../../../terraform/modules/permissions"

  partition = "aws"
  grants    = ["log-archive"]
}

module "organization_reader" {
  source = "../../../terraform/modules/permissions"

  partition = "aws"
  grants    = ["organization"]
}

module "function_account_mode" {
  source = "../../../terraform/modules/permissions"

  partition            = "aws"
  function_mode        = "account"
  organization_reads   = true
  security_hub         = true
  assume_role_arns     = local.readers
  log_group_arn        = local.log_group
  failure_queue_arn    = local.queue
  function_account_id  = local.audit
  health_event_bus_arn = local.health_bus
  # The accepted-exceptions document (ExceptionsObject).
  exceptions_object_arn = "arn:aws:s3:::config-delivery-guard-exc-${local.audit}-us-east-1/exceptions.json"
}

module "function_organization_mode" {
  source = "../../../terraform/modules/permissions"

  partition            = "aws"
  function_mode        = "organization"
  organization_id      = local.organization_id
  assume_role_arns     = concat([local.audit_roles], local.readers)
  log_group_arn        = local.log_group
  failure_queue_arn    = local.queue
  function_account_id  = local.audit
  health_event_bus_arn = local.health_bus
  # The accepted-exceptions document (ExceptionsObject).
  exceptions_object_arn = "arn:aws:s3:::config-delivery-guard-exc-${local.audit}-us-east-1/exceptions.json"
}

module "function_watchdog_mode" {
  source = "../../../terraform/modules/permissions"

  partition            = "aws"
  function_mode        = "watchdog"
  organization_id      = local.organization_id
  organization_reads   = true
  assume_role_arns     = concat([local.audit_roles], local.readers)
  log_group_arn        = local.log_group
  failure_queue_arn    = local.queue
  function_account_id  = local.audit
  health_event_bus_arn = local.health_bus
  # The accepted-exceptions document (ExceptionsObject).
  exceptions_object_arn = "arn:aws:s3:::config-delivery-guard-exc-${local.audit}-us-east-1/exceptions.json"
}

output "documents" {
  description = "Every rendered document by name."
  value = merge(
    {
      bucket_policy                   = module.log_archive.bucket_policy_json
      key_policy                      = module.log_archive.key_policy_json
      bucket_policy_by_org            = module.log_archive_by_organization.bucket_policy_json
      key_policy_by_org               = module.log_archive_by_organization.key_policy_json
      bucket_policy_by_source_account = module.log_archive_by_source_account.bucket_policy_json
      tag_policy                      = module.guardrails.tag_policy
      alert_topic_policy              = module.alerts.topic_policy_json
      alert_topic_key_policy          = module.alerts.topic_key_policy_json
      forwarding_trust                = module.alerts.forwarding_trust_json
      forwarding_policy               = module.alerts.forwarding_policy_json
      audit_role_trust                = module.member_audit_role.audit_role_trust_json
      audit_role_policy               = module.member_audit_role.policy_json
      stackset_role_trust             = jsonencode(local.stackset_role.AssumeRolePolicyDocument)
      stackset_role_policy            = jsonencode(local.stackset_role.Policies[0].PolicyDocument)
      stackset_forwarding_policy      = jsonencode(local.stackset_regional.ForwardingRole.Properties.Policies[0].PolicyDocument)
      reader_policy                   = module.log_archive_reader.policy_json
      org_reader_policy               = module.organization_reader.policy_json
      function_trust                  = module.function_account_mode.function_trust_json
      function_account                = module.function_account_mode.policy_json
      function_organization           = module.function_organization_mode.policy_json
      function_watchdog               = module.function_watchdog_mode.policy_json
    },
    module.guardrails.service_control_policies,
    module.guardrails.resource_control_policies,
    { for arn, policy in module.alerts.bus_policy_json : "bus_policy" => policy },
  )
}

output "actions" {
  description = "The actions of each role, as the README's permission table must list them."
  value = {
    member_audit_role     = module.member_audit_role.actions
    log_archive_reader    = module.log_archive_reader.actions
    organization_reader   = module.organization_reader.actions
    function_account      = module.function_account_mode.actions
    function_organization = module.function_organization_mode.actions
    function_watchdog     = module.function_watchdog_mode.actions
  }
}

output "event_patterns" {
  description = "The alert patterns."
  value       = module.alerts.event_patterns
}

output "stackset_regional_template" {
  description = "The members' regional template, as CloudFormation gets it."
  value       = module.member_stackset_regional.template_body
}
