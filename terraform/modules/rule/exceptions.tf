################################################################################
# Accepted exceptions (docs/exceptions.md): the document the function reads at every invocation
# (ExceptionsObject), kept in a bucket of its own in the function's account and Region. Versioned:
# every acceptance, change and removal stays on record.
################################################################################

locals {
  exceptions_enabled = var.exceptions != null
  exceptions_bucket  = replace(lower("${substr(var.function_name, 0, 20)}-exc-${local.account_id}-${local.region}"), "_", "-")
  exceptions_key     = "exceptions.json"
  exceptions_document = jsonencode({
    version = 1
    exceptions = [for e in coalesce(var.exceptions, []) : merge(
      { id = e.id, checks = e.checks, reason = e.reason, owner = e.owner, expires = e.expires },
      length(e.accounts) == 0 ? {} : { accounts = e.accounts },
      length(e.ous) == 0 ? {} : { ous = e.ous },
      length(e.regions) == 0 ? {} : { regions = e.regions },
    )]
  })
}

#trivy:ignore:AVD-AWS-0089 A one-object bucket the function reads; its versions are the record of every change.
resource "aws_s3_bucket" "exceptions" {
  #checkov:skip=CKV_AWS_144:One small document, rewritten by Terraform; replication adds nothing a re-apply does not.
  #checkov:skip=CKV2_AWS_62:Event notifications are not needed: Terraform is the only writer.
  #checkov:skip=CKV_AWS_18:Access logging is optional here: versioning keeps every change, CloudTrail data events can log reads.
  #checkov:skip=CKV2_AWS_61:Lifecycle rules are not needed: one object, and its old versions are the record.
  count  = local.exceptions_enabled ? 1 : 0
  region = var.region

  bucket = local.exceptions_bucket
  tags   = var.tags
}

resource "aws_s3_bucket_ownership_controls" "exceptions" {
  count  = local.exceptions_enabled ? 1 : 0
  region = var.region

  bucket = aws_s3_bucket.exceptions[0].bucket
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "exceptions" {
  count  = local.exceptions_enabled ? 1 : 0
  region = var.region

  bucket                  = aws_s3_bucket.exceptions[0].bucket
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "exceptions" {
  count  = local.exceptions_enabled ? 1 : 0
  region = var.region

  bucket = aws_s3_bucket.exceptions[0].bucket
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "exceptions" {
  count  = local.exceptions_enabled ? 1 : 0
  region = var.region

  bucket = aws_s3_bucket.exceptions[0].bucket
  rule {
    apply_server_side_encryption_by_default {
      # The log key when one is given (the function's role may already use it); else S3's own.
      sse_algorithm     = var.log_kms_key_arn == null ? "AES256" : "aws:kms"
      kms_master_key_id = var.log_kms_key_arn
    }
    bucket_key_enabled = var.log_kms_key_arn != null
  }
}

resource "aws_s3_bucket_policy" "exceptions" {
  count  = local.exceptions_enabled ? 1 : 0
  region = var.region

  bucket = aws_s3_bucket.exceptions[0].bucket
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "DenyInsecureTransport"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = [aws_s3_bucket.exceptions[0].arn, "${aws_s3_bucket.exceptions[0].arn}/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })
}

resource "aws_s3_object" "exceptions" {
  count  = local.exceptions_enabled ? 1 : 0
  region = var.region

  bucket       = aws_s3_bucket.exceptions[0].bucket
  key          = local.exceptions_key
  content      = local.exceptions_document
  content_type = "application/json"
  tags         = var.tags

  depends_on = [aws_s3_bucket_versioning.exceptions, aws_s3_bucket_server_side_encryption_configuration.exceptions]
}
