data "aws_partition" "current" {}

# Service-managed stack sets need trusted access for StackSets in the Organization (AWS
# CloudFormation User Guide, "Activate trusted access with AWS Organizations").
data "aws_organizations_organization" "this" {}

module "template" {
  source = "./template"

  partition                = data.aws_partition.current.partition
  role_name                = var.role_name
  rule_function_role_arn   = var.rule_function_role_arn
  organization_id          = var.organization_id
  external_id              = var.external_id
  permissions              = var.permissions
  max_session_duration     = var.max_session_duration
  permissions_boundary_arn = var.permissions_boundary_arn
  tags                     = var.tags
}

module "regional" {
  source = "./regional"

  partition            = data.aws_partition.current.partition
  home_region          = var.home_region
  central_account_id   = var.forward_to_account_id
  name_prefix          = var.name_prefix
  rule_names           = var.rule_names
  protected_role_names = [var.role_name]
  recorder             = var.recorder
  tags                 = var.tags
}

locals {
  regional = var.forward_to_account_id != null || var.recorder != null
  # The home Region first: its stacks create the roles the other Regions' resources name. Role
  # tampering is heard in us-east-1 only, so forwarding deploys there too.
  regional_regions = distinct(concat([var.home_region], var.regions, var.forward_to_account_id == null ? [] : ["us-east-1"]))
}

# Service-managed: Organizations deploys the stack to every account of the OUs, and to every account
# that joins them later, and removes it from an account that leaves (AWS CloudFormation User Guide,
# "Create a stack set with service-managed permissions", automatic deployments).
resource "aws_cloudformation_stack_set" "audit_role" {
  name             = var.stack_set_name
  description      = "config-delivery-guard audit role in every member of the target OUs"
  permission_model = "SERVICE_MANAGED"
  call_as          = var.call_as
  capabilities     = ["CAPABILITY_NAMED_IAM"]
  template_body    = module.template.template_body

  auto_deployment {
    enabled                          = true
    retain_stacks_on_account_removal = false
  }

  managed_execution {
    active = true
  }

  operation_preferences {
    failure_tolerance_percentage = var.failure_tolerance_percentage
    max_concurrent_percentage    = var.max_concurrent_percentage
    region_concurrency_type      = "PARALLEL"
  }

  tags = var.tags

  lifecycle {
    precondition {
      condition     = contains(data.aws_organizations_organization.this.aws_service_access_principals, "member.org.stacksets.cloudformation.amazonaws.com")
      error_message = "Trusted access for CloudFormation StackSets is not enabled: activate it in the CloudFormation console (StackSets, \"Activate trusted access\") or run `aws organizations enable-aws-service-access --service-principal member.org.stacksets.cloudformation.amazonaws.com` in the management account."
    }

    # With auto_deployment, AWS fills in the administration role and provider 6.25 shows it as a
    # change on every plan (hashicorp/terraform-provider-aws#23464; fixed by #45992, after 6.25).
    ignore_changes = [administration_role_arn]
  }
}

resource "aws_cloudformation_stack_set_instance" "audit_role" {
  stack_set_name = aws_cloudformation_stack_set.audit_role.name
  call_as        = var.call_as
  region         = var.home_region

  deployment_targets {
    organizational_unit_ids = var.organizational_unit_ids
  }

  operation_preferences {
    failure_tolerance_percentage = var.failure_tolerance_percentage
    max_concurrent_percentage    = var.max_concurrent_percentage
  }
}

# The regional half: every Region of every member, present and future, forwards its pipeline events
# to the audit account's bus, alarms on failed deliveries and (where the pipeline is ours) records.
resource "aws_cloudformation_stack_set" "regional" {
  count = local.regional ? 1 : 0

  name             = var.regional_stack_set_name
  description      = "config-delivery-guard event forwarding${var.recorder == null ? "" : " and recorder"} in every Region of the target OUs' members"
  permission_model = "SERVICE_MANAGED"
  call_as          = var.call_as
  capabilities     = ["CAPABILITY_NAMED_IAM"]
  template_body    = module.regional.template_body

  auto_deployment {
    enabled                          = true
    retain_stacks_on_account_removal = false
  }

  managed_execution {
    active = true
  }

  tags = var.tags

  lifecycle {
    ignore_changes = [administration_role_arn]
  }

  depends_on = [aws_cloudformation_stack_set.audit_role]
}

resource "aws_cloudformation_stack_instances" "regional" {
  count = local.regional ? 1 : 0

  stack_set_name = aws_cloudformation_stack_set.regional[0].name
  call_as        = var.call_as
  regions        = local.regional_regions

  deployment_targets {
    organizational_unit_ids = var.organizational_unit_ids
  }

  # Region by Region, the home Region first (its stack creates the forwarding and service-linked
  # roles). Not verified here: whether automatic deployment to a new account keeps this order
  # (the CloudFormation User Guide does not say); a Region deployed before the role exists retries
  # on the next stack set operation.
  operation_preferences {
    failure_tolerance_percentage = var.failure_tolerance_percentage
    max_concurrent_percentage    = var.max_concurrent_percentage
    region_concurrency_type      = "SEQUENTIAL"
    region_order                 = local.regional_regions
  }
}
