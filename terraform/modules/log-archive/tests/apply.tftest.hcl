# The log archive applied under the mock: each member's delivery statement and the key's grants.
mock_provider "aws" {
  source = "../../tests/mocks"
}

variables {
  bucket_name        = "o-abc123def4-config-logs"
  member_account_ids = ["111111111111", "333333333333"]
  organization_id    = "o-abc123def4"
  tags               = { owner = "platform", "cost-center" = "1234" }
}

run "each_member_writes_only_its_own_folder" {
  command = apply

  assert {
    condition = {
      for s in jsondecode(aws_s3_bucket_policy.this.policy).Statement : s.Resource => s.Condition.StringEquals["AWS:SourceAccount"]
      if s.Effect == "Allow" && s.Action == "s3:PutObject"
      } == {
      "arn:aws:s3:::o-abc123def4-config-logs/config/AWSLogs/111111111111/Config/*" = "111111111111"
      "arn:aws:s3:::o-abc123def4-config-logs/config/AWSLogs/333333333333/Config/*" = "333333333333"
    }
    error_message = "One PutObject statement per member, its folder bound to its own aws:SourceAccount."
  }

  assert {
    condition     = aws_s3_bucket_policy.this.bucket == "o-abc123def4-config-logs" && output.bucket_name == "o-abc123def4-config-logs"
    error_message = "The policy is on the log-archive bucket, whose name is known at plan time."
  }

  assert {
    condition     = [for r in aws_s3_bucket_server_side_encryption_configuration.this.rule : r.apply_server_side_encryption_by_default[0].kms_master_key_id] == [aws_kms_key.this.arn]
    error_message = "The bucket encrypts with the log-archive key."
  }
}

run "a_bucket_name_with_dots_gives_an_alias_kms_accepts" {
  command = apply

  variables {
    bucket_name = "config.logs.example-org"
  }

  assert {
    condition     = aws_kms_alias.this.name == "alias/config-logs-example-org" && can(regex("^alias/[a-zA-Z0-9:/_-]+$", aws_kms_alias.this.name))
    error_message = "KMS alias names take no dots (botocore's kms model, AliasNameType): the bucket name's dots become hyphens."
  }
}
