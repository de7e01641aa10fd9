output "function_arn" {
  description = "ARN of the Lambda function."
  value       = aws_lambda_function.this.arn
}

output "function_name" {
  description = "Name of the Lambda function."
  value       = aws_lambda_function.this.function_name
}

output "function_role_arn" {
  description = "The function's execution role: the audit-role module's rule_function_role_arn."
  value       = aws_iam_role.function.arn
}

output "log_group_name" {
  description = "The function's log group."
  value       = aws_cloudwatch_log_group.this.name
}

output "failure_queue_arn" {
  description = "Queue of failed invocations (the on-failure destination); alarm on its depth (alerts module)."
  value       = aws_sqs_queue.failures.arn
}

output "failure_queue_name" {
  description = "Name of the failure queue."
  value       = aws_sqs_queue.failures.name
}

output "rule_name" {
  description = "Name of the Config rule or organization rule."
  value       = var.rule_name
}

output "rule_arn" {
  description = "ARN of the Config rule or organization rule."
  value       = try(aws_config_config_rule.this[0].arn, aws_config_organization_custom_rule.this[0].arn)
}

output "input_parameters" {
  description = "The rule's InputParameters as deployed."
  value       = local.input_parameters
}

output "actions" {
  description = "Every action the function's role holds."
  value       = module.permissions.actions
}

output "breaking_calls_rule_arn" {
  description = "The EventBridge rule that sends breaking calls to the function (null without the event path)."
  value       = one(aws_cloudwatch_event_rule.breaking_calls[*].arn)
}
