output "policy_json" {
  description = "The identity policy holding exactly the chosen grants, minified."
  value       = jsonencode(local.policy)

  precondition {
    condition     = length(local.grants) > 0
    error_message = "Name at least one grant, or a function_mode."
  }

  precondition {
    condition     = !contains(var.grants, "assume-audit-roles") || length(var.assume_role_arns) > 0
    error_message = "assume-audit-roles needs at least one role in assume_role_arns."
  }

  precondition {
    condition     = !contains(local.grants, "function-log") || var.log_group_arn != null
    error_message = "function-log needs log_group_arn."
  }

  precondition {
    condition     = !contains(local.grants, "failure-destination") || var.failure_queue_arn != null
    error_message = "failure-destination needs failure_queue_arn."
  }

  precondition {
    condition     = length(jsonencode(local.policy)) <= 10240
    error_message = "The policy is over IAM's 10,240-character limit for an inline role policy."
  }
}

output "actions" {
  description = "Every action the policy allows, sorted: what the README's permission table must list for this role."
  value       = sort(distinct(flatten([for statement in local.statements : statement.Action])))
}

output "audit_role_trust_json" {
  description = "Trust policy of the audit role: the rule's Lambda role alone, in the Organization, with the external ID if set. Null unless trusted_role_arn is set."
  value       = var.trusted_role_arn == null ? null : jsonencode(local.audit_role_trust)

  precondition {
    condition     = var.trusted_role_arn == null || var.organization_id != null
    error_message = "The audit role's trust needs organization_id as well as trusted_role_arn."
  }
}

output "function_trust_json" {
  description = "Trust policy of the rule's execution role. Null unless function_account_id is set."
  value       = var.function_account_id == null ? null : jsonencode(local.function_trust)
}

output "breaking_calls" {
  description = "The calls that can break a delivery pipeline, by CloudTrail event source (breaking-calls.json): the event path and the alerts watch them."
  value       = jsondecode(file("${path.module}/breaking-calls.json"))
}
