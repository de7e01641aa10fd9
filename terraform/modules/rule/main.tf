data "aws_partition" "current" {}
data "aws_caller_identity" "current" {}
# The Region the rule lives in: var.region, or the provider's when it is null.
data "aws_region" "current" {
  region = var.region
}

locals {
  partition  = data.aws_partition.current.partition
  account_id = data.aws_caller_identity.current.account_id
  region     = data.aws_region.current.region
  timeout    = coalesce(var.timeout, var.mode == "watchdog" ? 900 : 60)

  reader_roles = compact([var.log_archive_read_role_arn, var.organization_read_role_arn])
  # organization and watchdog: the audit role in any member, and the readers.
  assume_roles = var.mode == "account" ? local.reader_roles : concat(
    ["arn:${local.partition}:iam::*:role/${var.audit_role_name}"], local.reader_roles,
  )
  reads_organization = (var.mode == "account" && var.organization_reads) || (var.mode == "watchdog" && var.organization_read_role_arn == null)
  security_hub       = lookup(var.rule_parameters, "SecurityHubFindings", "false") == "true"

  input_parameters = jsonencode(merge(
    var.rule_parameters,
    { Mode = var.mode },
    var.mode == "account" ? {} : { AuditRoleName = var.audit_role_name },
    var.audit_role_external_id == null ? {} : { AuditRoleExternalId = var.audit_role_external_id },
    var.log_archive_read_role_arn == null ? {} : { LogArchiveReadRoleArn = var.log_archive_read_role_arn },
    var.organization_read_role_arn == null ? {} : { OrganizationReadRoleArn = var.organization_read_role_arn },
    { HealthEventBus = coalesce(var.health_event_bus_name, "off") },
    var.landing_zone == "none" ? {} : { LandingZone = var.landing_zone },
    var.exceptions == null ? {} : {
      ExceptionsObject = "s3://${local.exceptions_bucket}/${local.exceptions_key}"
      ExceptionMaxDays = tostring(var.exceptions_max_days)
    },
  ))
  health_event_bus_arn = var.health_event_bus_name == null ? null : "arn:${local.partition}:events:${local.region}:${local.account_id}:event-bus/${var.health_event_bus_name}"

  # The calls that can break a pipeline: one list with the function's event path and the alerts
  # module (permissions/breaking-calls.json). Organization mode: each member's rule records its own
  # result, which this function cannot write without a token, so no event path.
  breaking_calls = module.permissions.breaking_calls
  event_driven   = var.event_driven && var.mode != "organization"

  log_group_name = "/aws/lambda/${var.function_name}"
}

module "permissions" {
  # A copy of modules/permissions (make docs writes it), so that this module inits alone.
  source = "./modules/permissions"

  partition           = local.partition
  function_mode       = var.mode
  organization_reads  = local.reads_organization
  security_hub        = local.security_hub
  assume_role_arns    = local.assume_roles
  organization_id     = var.organization_id
  log_group_arn       = aws_cloudwatch_log_group.this.arn
  failure_queue_arn   = aws_sqs_queue.failures.arn
  function_account_id = local.account_id
  # Delta reporting and the event path read the rule's results; the events go to this bus.
  health_event_bus_arn = local.health_event_bus_arn
  # The accepted-exceptions document, when there is one.
  exceptions_object_arn = var.exceptions == null ? null : "arn:${local.partition}:s3:::${local.exceptions_bucket}/${local.exceptions_key}"
}

################################################################################
# Function
################################################################################

resource "aws_cloudwatch_log_group" "this" {
  #checkov:skip=CKV_AWS_158:Encryption with a customer key is optional (log_kms_key_arn); the logs hold verdicts, no secrets.
  region = var.region

  name              = local.log_group_name
  retention_in_days = var.log_retention_days
  kms_key_id        = var.log_kms_key_arn

  tags = var.tags
}

# Failed asynchronous invocations (after Lambda's retries) land here: no evaluation is lost silently.
resource "aws_sqs_queue" "failures" {
  region = var.region

  name                      = "${var.function_name}-failed-evaluations"
  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = var.log_kms_key_arn == null ? true : null
  kms_master_key_id         = var.log_kms_key_arn

  tags = var.tags
}

resource "aws_iam_role" "function" {
  name               = var.function_name
  description        = "config-delivery-guard ${var.mode} mode"
  assume_role_policy = module.permissions.function_trust_json

  tags = var.tags
}

resource "aws_iam_role_policy" "function" {
  name   = "config-delivery-guard"
  role   = aws_iam_role.function.id
  policy = module.permissions.policy_json
}

#trivy:ignore:AVD-AWS-0066 The Rust runtime emits no X-Ray segments; Active tracing would only add cost.
resource "aws_lambda_function" "this" {
  #checkov:skip=CKV_AWS_50:The Rust runtime emits no X-Ray segments; Active tracing would only add cost.
  #checkov:skip=CKV_AWS_116:An on-failure destination (the SQS queue) replaces the dead-letter queue and keeps the response too.
  #checkov:skip=CKV_AWS_117:The function only calls public AWS APIs; a VPC would need NAT or endpoints for nothing.
  #checkov:skip=CKV_AWS_115:Organization mode is invoked by every member at once; a reservation is a variable (reserved_concurrency).
  #checkov:skip=CKV_AWS_272:Code signing is optional (code_signing_config_arn): the package is built from this repository.
  #checkov:skip=CKV_AWS_173:The one environment variable is the rule's name, no secret.
  region = var.region

  function_name                  = var.function_name
  description                    = "config-delivery-guard: is AWS Config's delivery pipeline healthy?"
  role                           = aws_iam_role.function.arn
  runtime                        = "provided.al2023"
  handler                        = "bootstrap"
  architectures                  = [var.architecture]
  filename                       = var.package.local_path
  s3_bucket                      = var.package.s3_bucket
  s3_key                         = var.package.s3_key
  s3_object_version              = var.package.s3_object_version
  source_code_hash               = var.package.local_path == null ? var.package.source_code_hash : filebase64sha256(var.package.local_path)
  memory_size                    = var.memory_size
  timeout                        = local.timeout
  reserved_concurrent_executions = var.reserved_concurrency
  code_signing_config_arn        = var.code_signing_config_arn

  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.this.name
  }

  environment {
    # The event-driven path reads this rule's parameters and results.
    variables = { DELIVERY_GUARD_CONFIG_RULE_NAME = var.rule_name }
  }

  tags = var.tags

  depends_on = [aws_iam_role_policy.function]
}

resource "aws_lambda_function_event_invoke_config" "this" {
  region = var.region

  function_name                = aws_lambda_function.this.function_name
  maximum_retry_attempts       = 2
  maximum_event_age_in_seconds = 21600

  destination_config {
    on_failure {
      destination = aws_sqs_queue.failures.arn
    }
  }
}

# Must exist before the rule: Config checks it can invoke the function when the rule is created.
# A rule's ARN carries an ID Config draws when it creates the rule, so source_arn cannot name it here.
#trivy:ignore:AVD-AWS-0067 The rule's ARN is unknown before the rule exists, which needs this permission first; source_account limits it (account and watchdog modes).
resource "aws_lambda_permission" "config" {
  region = var.region

  statement_id  = "AllowConfigInvoke"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.this.function_name
  principal     = "config.amazonaws.com"
  # Organization rules invoke from every member account, so no single source account applies.
  source_account = var.mode == "organization" ? null : local.account_id
}

################################################################################
# Rule
################################################################################

resource "aws_config_config_rule" "this" {
  count  = var.mode == "organization" ? 0 : 1
  region = var.region

  name             = var.rule_name
  description      = "config-delivery-guard (${var.mode} mode): AWS Config's snapshots and history reach the expected bucket."
  input_parameters = local.input_parameters

  source {
    owner             = "CUSTOM_LAMBDA"
    source_identifier = aws_lambda_function.this.arn

    source_detail {
      message_type                = "ScheduledNotification"
      maximum_execution_frequency = var.maximum_execution_frequency
    }
  }

  tags = merge(var.tags, { (var.protect_tag.key) = var.protect_tag.value })

  lifecycle {
    precondition {
      condition     = length(local.input_parameters) <= 1024
      error_message = "The rule parameters are over Config's 1,024-character limit for InputParameters."
    }
  }

  depends_on = [aws_lambda_permission.config]
}

resource "aws_config_organization_custom_rule" "this" {
  count  = var.mode == "organization" ? 1 : 0
  region = var.region

  name                        = var.rule_name
  description                 = "config-delivery-guard (organization mode): AWS Config's snapshots and history reach the expected bucket."
  lambda_function_arn         = aws_lambda_function.this.arn
  trigger_types               = ["ScheduledNotification"]
  maximum_execution_frequency = var.maximum_execution_frequency
  input_parameters            = local.input_parameters
  excluded_accounts           = var.excluded_accounts

  # The provider waits 5 minutes by default for every member to reach CREATE_SUCCESSFUL, and a
  # large Organization takes longer (the provider's aws_config_organization_custom_rule page,
  # Timeouts); a member without a recorder never gets there (list it in excluded_accounts).
  timeouts {
    create = var.organization_rule_timeout
    update = var.organization_rule_timeout
    delete = var.organization_rule_timeout
  }

  lifecycle {
    precondition {
      condition     = length(local.input_parameters) <= 2048
      error_message = "The rule parameters are over Config's 2,048-character limit for organization rules."
    }
  }

  depends_on = [aws_lambda_permission.config]
}

################################################################################
# Event-driven checks
################################################################################

resource "aws_cloudwatch_event_rule" "breaking_calls" {
  count  = local.event_driven ? 1 : 0
  region = var.region

  name        = "${var.function_name}-breaking-calls"
  description = "config-delivery-guard: a call that can break a Config delivery pipeline; the function checks the account-region at once"
  event_pattern = jsonencode({
    "detail-type" = ["AWS API Call via CloudTrail"]
    detail = {
      "$or" = [for source, names in local.breaking_calls : { eventSource = [source], eventName = names }]
    }
  })

  tags = var.tags
}

resource "aws_cloudwatch_event_target" "breaking_calls" {
  count  = local.event_driven ? 1 : 0
  region = var.region

  rule = aws_cloudwatch_event_rule.breaking_calls[0].name
  arn  = aws_lambda_function.this.arn
}

resource "aws_lambda_permission" "breaking_calls" {
  count  = local.event_driven ? 1 : 0
  region = var.region

  statement_id  = "AllowEventBridgeInvoke"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.this.function_name
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.breaking_calls[0].arn
}
