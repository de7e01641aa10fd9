# The bucket and key policies of the central log archive, as plain documents.
# Statement shapes follow the AWS Config Developer Guide (s3-bucket-policy, s3-kms-key-policy),
# with aws:SourceAccount on every config.amazonaws.com statement against the confused deputy.
locals {
  bucket_arn = "arn:${var.partition}:s3:::${var.bucket_name}"
  prefix     = var.key_prefix == "" ? "" : "${var.key_prefix}/"

  # per-account: one statement per member, its folder bound to its own aws:SourceAccount, so one
  # member's Config cannot write into another's folder. wildcard: one statement for every member.
  per_account_delivery = [
    for account in sort(var.member_account_ids) : {
      Sid       = "AWSConfigBucketDelivery${account}"
      Effect    = "Allow"
      Principal = { Service = "config.amazonaws.com" }
      Action    = "s3:PutObject"
      Resource  = "${local.bucket_arn}/${local.prefix}AWSLogs/${account}/Config/*"
      Condition = {
        StringEquals = { "s3:x-amz-acl" = "bucket-owner-full-control", "AWS:SourceAccount" = account }
      }
    } if var.delivery_paths == "per-account"
  ]
  # source-account: one statement whose path names the writing account through the policy variable
  # ${aws:SourceAccount}, which Config's service-principal requests carry (IAM User Guide, "IAM policy
  # elements: Variables and tags": global condition keys can be used as variables): each member's
  # Config writes only its own folder, and the policy does not grow with the members.
  source_account_delivery = [
    for path in ["${local.bucket_arn}/${local.prefix}AWSLogs/$${aws:SourceAccount}/Config/*"] : {
      Sid       = "AWSConfigBucketDelivery"
      Effect    = "Allow"
      Principal = { Service = "config.amazonaws.com" }
      Action    = "s3:PutObject"
      Resource  = path
      Condition = {
        StringEquals = merge({ "s3:x-amz-acl" = "bucket-owner-full-control" }, local.config_source)
      }
    } if var.delivery_paths == "source-account"
  ]
  wildcard_delivery = [
    for path in ["${local.bucket_arn}/${local.prefix}AWSLogs/*/Config/*"] : {
      Sid       = "AWSConfigBucketDelivery"
      Effect    = "Allow"
      Principal = { Service = "config.amazonaws.com" }
      Action    = "s3:PutObject"
      Resource  = path
      Condition = {
        StringEquals = merge({ "s3:x-amz-acl" = "bucket-owner-full-control" }, local.config_source)
      }
    } if var.delivery_paths == "wildcard"
  ]

  # Who may make Config write here: the members' account IDs, or the whole Organization.
  config_source = {
    for key, value in {
      "aws:SourceOrgID"   = var.organization_id
      "AWS:SourceAccount" = sort(var.member_account_ids)
    } : key => value
    if key == (var.source_condition == "organization" ? "aws:SourceOrgID" : "AWS:SourceAccount")
  }

  # Any role named like the audit role, but only inside the Organization.
  audit_role_pattern = "arn:${var.partition}:iam::*:role/${var.audit_role_name}"

  bucket_policy = {
    Version = "2012-10-17"
    Statement = concat(
      [
        {
          # The guide's AWSConfigBucketPermissionsCheck and AWSConfigBucketExistenceCheck, in one
          # statement so that the account list is written once less.
          Sid       = "AWSConfigBucketChecks"
          Effect    = "Allow"
          Principal = { Service = "config.amazonaws.com" }
          Action    = ["s3:GetBucketAcl", "s3:ListBucket"]
          Resource  = local.bucket_arn
          Condition = { StringEquals = local.config_source }
        },
        {
          Sid       = "DenyInsecureTransport"
          Effect    = "Deny"
          Principal = "*"
          Action    = "s3:*"
          Resource  = [local.bucket_arn, "${local.bucket_arn}/*"]
          Condition = { Bool = { "aws:SecureTransport" = "false" } }
        },
      ],
      local.per_account_delivery,
      local.source_account_delivery,
      local.wildcard_delivery,
      var.organization_id == null ? [] : [{
        # HeadBucket from a member's audit role: does the bucket still exist and answer to us?
        Sid       = "DeliveryGuardAuditExistenceCheck"
        Effect    = "Allow"
        Principal = { AWS = "*" }
        Action    = "s3:ListBucket"
        Resource  = local.bucket_arn
        Condition = {
          StringEquals = { "aws:PrincipalOrgID" = var.organization_id }
          ArnLike      = { "aws:PrincipalArn" = local.audit_role_pattern }
        }
      }],
    )
  }

  key_policy = {
    Version = "2012-10-17"
    Statement = concat(
      [
        {
          # Without it the account's IAM policies cannot grant use of the key at all.
          Sid       = "EnableAccountIamPolicies"
          Effect    = "Allow"
          Principal = { AWS = "arn:${var.partition}:iam::${var.log_archive_account_id}:root" }
          Action    = "kms:*"
          Resource  = "*"
        },
        {
          Sid       = "AWSConfigKMSPolicy"
          Effect    = "Allow"
          Principal = { Service = "config.amazonaws.com" }
          Action    = ["kms:Decrypt", "kms:GenerateDataKey"]
          Resource  = "*"
          Condition = { StringEquals = local.config_source }
        },
      ],
      var.organization_id == null ? [] : [{
        Sid       = "DeliveryGuardAuditDescribeKey"
        Effect    = "Allow"
        Principal = { AWS = "*" }
        Action    = "kms:DescribeKey"
        Resource  = "*"
        Condition = {
          StringEquals = { "aws:PrincipalOrgID" = var.organization_id }
          ArnLike      = { "aws:PrincipalArn" = local.audit_role_pattern }
        }
      }],
      length(var.key_administrator_arns) == 0 ? [] : [{
        Sid       = "KeyAdministration"
        Effect    = "Allow"
        Principal = { AWS = sort(var.key_administrator_arns) }
        Action = [
          "kms:CancelKeyDeletion", "kms:CreateAlias", "kms:DeleteAlias", "kms:DescribeKey",
          "kms:EnableKey", "kms:EnableKeyRotation", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus",
          "kms:ListAliases", "kms:ListResourceTags", "kms:TagResource", "kms:UntagResource",
          "kms:UpdateAlias", "kms:UpdateKeyDescription",
        ]
        Resource = "*"
      }],
      length(var.key_reader_arns) == 0 ? [] : [{
        Sid       = "DeliveryGuardLogArchiveReader"
        Effect    = "Allow"
        Principal = { AWS = sort(var.key_reader_arns) }
        Action    = ["kms:DescribeKey", "kms:GetKeyPolicy"]
        Resource  = "*"
      }],
      var.replication_role_arn == null ? [] : [{
        Sid       = "Replication"
        Effect    = "Allow"
        Principal = { AWS = var.replication_role_arn }
        Action    = ["kms:Decrypt"]
        Resource  = "*"
      }],
    )
  }
}
