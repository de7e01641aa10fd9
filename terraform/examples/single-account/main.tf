# One account: the bucket, the key, the recorder in two Regions, the rule in account mode and the alerts.
data "aws_caller_identity" "current" {}

locals {
  home_region = "us-east-1"
  regions     = ["us-east-1", "eu-west-1"]
  tags        = { owner = "platform-team", "cost-center" = "cc-1234" }
}

module "log_archive" {
  source = "../../modules/log-archive"

  bucket_name        = "config-logs-${data.aws_caller_identity.current.account_id}"
  member_account_ids = [data.aws_caller_identity.current.account_id]
  tags               = local.tags
}

module "config_recorder" {
  source = "../../modules/config-recorder"

  regions              = local.regions
  home_region          = local.home_region
  delivery_bucket_name = module.log_archive.bucket_name
  key_prefix           = module.log_archive.key_prefix
  kms_key_arn          = module.log_archive.kms_key_arn
  tags                 = local.tags
}

# One rule per Region: each judges its own Region's pipeline.
module "rule" {
  source   = "../../modules/rule"
  for_each = toset(local.regions)

  package       = var.rule_package
  region        = each.key
  function_name = "config-delivery-guard-${each.key}"
  mode          = "account"
  rule_parameters = {
    ExpectedBucket    = module.log_archive.bucket_name
    ExpectedKeyPrefix = module.log_archive.key_prefix
    ExpectedKmsKeyArn = module.log_archive.kms_key_arn
  }
  tags = local.tags

  depends_on = [module.config_recorder]
}

module "alerts" {
  source = "../../modules/alerts"

  regions         = local.regions
  home_region     = local.home_region
  log_bucket_name = module.log_archive.bucket_name
  log_key_arns    = [module.log_archive.kms_key_arn]
  rule_functions  = { for region, rule in module.rule : region => { function_name = rule.function_name, failure_queue_name = rule.failure_queue_name } }
  subscriptions   = [{ protocol = "email", endpoint = "platform-alerts@example.com" }]
  tags            = local.tags
}
