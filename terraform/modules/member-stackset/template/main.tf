# The member stack's CloudFormation template, provider-free: the audit role from the same policy
# sources as the audit-role module (the permissions catalogue and the audit role's trust), so that
# tests/terraform decides its documents like every other rendered one.
module "permissions" {
  # A copy of modules/permissions (make docs writes it), so that this module inits alone.
  source = "../modules/permissions"

  partition        = var.partition
  grants           = var.permissions
  trusted_role_arn = var.rule_function_role_arn
  organization_id  = var.organization_id
  external_id      = var.external_id
}

locals {
  template = {
    AWSTemplateFormatVersion = "2010-09-09"
    Description              = "config-delivery-guard: the read-only audit role the rule assumes in this account"
    Resources = {
      AuditRole = {
        Type = "AWS::IAM::Role"
        Properties = merge(
          {
            RoleName                 = var.role_name
            Description              = "config-delivery-guard: read-only checks of the AWS Config delivery pipeline"
            AssumeRolePolicyDocument = jsondecode(module.permissions.audit_role_trust_json)
            MaxSessionDuration       = var.max_session_duration
            Policies                 = [{ PolicyName = "config-delivery-guard", PolicyDocument = jsondecode(module.permissions.policy_json) }]
            Tags                     = [for key in sort(keys(var.tags)) : { Key = key, Value = var.tags[key] }]
          },
          var.permissions_boundary_arn == null ? {} : { PermissionsBoundary = var.permissions_boundary_arn },
        )
      }
    }
    Outputs = {
      AuditRoleArn = { Value = { "Fn::GetAtt" = ["AuditRole", "Arn"] } }
    }
  }
}
