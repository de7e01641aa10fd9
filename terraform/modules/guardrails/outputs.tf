output "service_control_policy_ids" {
  description = "ID of each guardrail SCP by template name."
  value       = { for name, policy in aws_organizations_policy.scp : name => policy.id }
}

output "tag_policy_id" {
  description = "ID of the ownership tag policy."
  value       = aws_organizations_policy.tag.id
}

output "resource_control_policy_ids" {
  description = "ID of the perimeter RCP, if created."
  value       = { for name, policy in aws_organizations_policy.rcp : name => policy.id }
}

output "rendered_policies" {
  description = "Every rendered document, by name, as attached."
  value = merge(
    module.policies.service_control_policies,
    module.policies.resource_control_policies,
    { "ownership-tag-policy" = module.policies.tag_policy },
  )
}

output "organization_trail_arn" {
  description = "The organization trail this module created, or null."
  value       = one(aws_cloudtrail.organization[*].arn)
}
