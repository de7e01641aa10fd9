data "aws_partition" "current" {}

module "permissions" {
  # A copy of modules/permissions (make docs writes it), so that this module inits alone.
  source = "./modules/permissions"

  partition        = data.aws_partition.current.partition
  grants           = var.permissions
  trusted_role_arn = var.rule_function_role_arn
  organization_id  = var.organization_id
  external_id      = var.external_id
}

# IAM is global: one role per account serves every Region.
resource "aws_iam_role" "this" {
  name                 = var.role_name
  description          = "config-delivery-guard: read-only checks of the AWS Config delivery pipeline"
  assume_role_policy   = module.permissions.audit_role_trust_json
  max_session_duration = var.max_session_duration
  permissions_boundary = var.permissions_boundary_arn

  tags = var.tags
}

resource "aws_iam_role_policy" "this" {
  name   = "config-delivery-guard"
  role   = aws_iam_role.this.id
  policy = module.permissions.policy_json
}
