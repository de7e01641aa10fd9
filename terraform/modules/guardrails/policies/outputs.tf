output "service_control_policies" {
  description = "The guardrail SCPs by template name, rendered and minified."
  value       = local.service_control_policies

  precondition {
    condition     = alltrue([for text in values(local.service_control_policies) : length(text) <= 5120])
    error_message = "A rendered SCP is over Organizations' 5,120-character limit."
  }
}

output "resource_control_policies" {
  description = "The log-archive perimeter RCP, rendered and minified."
  value       = local.resource_control_policies

  precondition {
    condition     = alltrue([for text in values(local.resource_control_policies) : length(text) <= 5120])
    error_message = "A rendered RCP is over Organizations' 5,120-character limit."
  }
}

output "tag_policy" {
  description = "The ownership tag policy, minified."
  value       = local.tag_policy

  precondition {
    # AWS Organizations User Guide, "Quotas for AWS Organizations": tag policies 10,000 characters
    # (an earlier revision of the page said 2,500; the current one and "Managing policies" say 10,000).
    condition     = length(local.tag_policy) <= 10000
    error_message = "The tag policy is over Organizations' 10,000-character limit."
  }
}
