data "aws_partition" "current" {}
data "aws_caller_identity" "current" {}

locals {
  # KMS alias names take letters, digits, ':', '/', '_' and '-' (botocore's kms model, AliasNameType
  # ^[a-zA-Z0-9:/_-]+$, 1-256): a bucket name's dots are not among them.
  key_alias = coalesce(var.key_alias, "alias/${replace(var.bucket_name, ".", "-")}")
}

module "policies" {
  source = "./policies"

  partition              = data.aws_partition.current.partition
  log_archive_account_id = data.aws_caller_identity.current.account_id
  bucket_name            = var.bucket_name
  key_prefix             = var.key_prefix
  member_account_ids     = var.member_account_ids
  delivery_paths         = var.delivery_paths
  source_condition       = var.source_condition
  organization_id        = var.organization_id
  audit_role_name        = var.audit_role_name
  key_administrator_arns = var.key_administrator_arns
  key_reader_arns        = var.key_reader_arns
  replication_role_arn   = try(var.replication_destination.role_arn, null)
}

################################################################################
# Key: symmetric, single-Region, customer-managed (aws/s3 cannot grant Config)
################################################################################

resource "aws_kms_key" "this" {
  region = var.region

  description             = "AWS Config snapshots and history in ${var.bucket_name}"
  key_usage               = "ENCRYPT_DECRYPT"
  multi_region            = false
  enable_key_rotation     = true
  deletion_window_in_days = var.key_deletion_window_days
  policy                  = module.policies.key_policy_json

  tags = var.tags

  # Every member's delivery depends on it: `terraform destroy` must not take it (Terraform
  # language, "The lifecycle meta-argument": prevent_destroy); removing the module is README's removed blocks.
  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_kms_alias" "this" {
  region = var.region

  name          = local.key_alias
  target_key_id = aws_kms_key.this.key_id
}

################################################################################
# Bucket
################################################################################

#trivy:ignore:AVD-AWS-0089 Access logging is optional (access_log_bucket): a log bucket cannot log to itself.
resource "aws_s3_bucket" "this" {
  #checkov:skip=CKV_AWS_144:Cross-Region replication is optional (replication_destination); a one-Region archive is a valid choice.
  #checkov:skip=CKV2_AWS_62:Event notifications are not needed: the alerts module watches delivery through Config and CloudTrail.
  #checkov:skip=CKV_AWS_18:Access logging is optional (access_log_bucket): a log bucket cannot log to itself.
  region = var.region

  bucket              = var.bucket_name
  force_destroy       = var.force_destroy
  object_lock_enabled = false

  tags = var.tags

  # Every member's delivery depends on it: `terraform destroy` must not take it (Terraform
  # language, "The lifecycle meta-argument": prevent_destroy); removing the module is README's removed blocks.
  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_s3_bucket_ownership_controls" "this" {
  region = var.region

  bucket = aws_s3_bucket.this.bucket

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  region = var.region

  bucket                  = aws_s3_bucket.this.bucket
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "this" {
  region = var.region

  bucket = aws_s3_bucket.this.bucket

  versioning_configuration {
    status = "Enabled"
  }

  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  region = var.region

  bucket = aws_s3_bucket.this.bucket

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.this.arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_policy" "this" {
  region = var.region

  bucket = aws_s3_bucket.this.bucket
  policy = module.policies.bucket_policy_json

  # The public-access block must exist first, or S3 may judge the policy before it applies.
  depends_on = [aws_s3_bucket_public_access_block.this]

  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  region = var.region

  bucket = aws_s3_bucket.this.bucket

  rule {
    id     = "tier-and-retain"
    status = "Enabled"

    filter {}

    transition {
      days          = var.transition_to_infrequent_access_days
      storage_class = "STANDARD_IA"
    }

    transition {
      days          = var.transition_to_glacier_days
      storage_class = "GLACIER_IR"
    }

    expiration {
      days = var.retention_days
    }

    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_version_retention_days
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  depends_on = [aws_s3_bucket_versioning.this]
}

resource "aws_s3_bucket_logging" "this" {
  count  = var.access_log_bucket == null ? 0 : 1
  region = var.region

  bucket        = aws_s3_bucket.this.bucket
  target_bucket = var.access_log_bucket
  target_prefix = "s3-access/${var.bucket_name}/"
}

resource "aws_s3_bucket_replication_configuration" "this" {
  count  = var.replication_destination == null ? 0 : 1
  region = var.region

  bucket = aws_s3_bucket.this.bucket
  role   = var.replication_destination.role_arn

  rule {
    id     = "everything"
    status = "Enabled"

    filter {}

    delete_marker_replication {
      status = "Disabled"
    }

    source_selection_criteria {
      sse_kms_encrypted_objects {
        status = "Enabled"
      }
    }

    destination {
      bucket        = var.replication_destination.bucket_arn
      account       = var.replication_destination.account_id
      storage_class = "STANDARD"

      encryption_configuration {
        replica_kms_key_id = var.replication_destination.kms_key_arn
      }

      dynamic "access_control_translation" {
        for_each = var.replication_destination.account_id == null ? [] : [1]
        content {
          owner = "Destination"
        }
      }
    }
  }

  depends_on = [aws_s3_bucket_versioning.this]
}
