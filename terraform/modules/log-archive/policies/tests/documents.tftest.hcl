# terraform test, offline: the documents as rendered, for a small and a 200-account Organization.
variables {
  partition              = "aws"
  log_archive_account_id = "999999999999"
  bucket_name            = "o-abc123def4-config-logs"
  key_prefix             = "config"
  member_account_ids     = ["222222222222", "111111111111"]
  delivery_paths         = "per-account"
  source_condition       = "accounts"
  organization_id        = "o-abc123def4"
  audit_role_name        = "ConfigDeliveryAudit"
  key_administrator_arns = ["arn:aws:iam::999999999999:role/KeyAdmin"]
  key_reader_arns        = ["arn:aws:iam::999999999999:role/ConfigDeliveryGuardReader"]
}

run "per_account_delivery_paths" {
  command = plan

  assert {
    condition = jsonencode([for s in jsondecode(output.bucket_policy_json).Statement : [s.Resource, s.Condition.StringEquals["AWS:SourceAccount"]] if s.Action == "s3:PutObject"]) == jsonencode([
      ["arn:aws:s3:::o-abc123def4-config-logs/config/AWSLogs/111111111111/Config/*", "111111111111"],
      ["arn:aws:s3:::o-abc123def4-config-logs/config/AWSLogs/222222222222/Config/*", "222222222222"],
    ])
    error_message = "Each member's Config may put only into its own folder, bound by its aws:SourceAccount."
  }

  assert {
    condition     = alltrue([for s in jsondecode(output.bucket_policy_json).Statement : s.Condition.StringEquals["s3:x-amz-acl"] == "bucket-owner-full-control" if s.Action == "s3:PutObject"])
    error_message = "Config's PutObject must carry bucket-owner-full-control."
  }

  assert {
    condition = alltrue([
      for s in jsondecode(output.bucket_policy_json).Statement :
      contains(["111111111111", "222222222222"], try(s.Condition.StringEquals["AWS:SourceAccount"], "none")) || try(s.Condition.StringEquals["AWS:SourceAccount"], []) == ["111111111111", "222222222222"]
      if try(s.Principal.Service, "") == "config.amazonaws.com"
    ])
    error_message = "Every config.amazonaws.com statement needs the aws:SourceAccount condition."
  }

  assert {
    condition     = length([for s in jsondecode(output.bucket_policy_json).Statement : s if s.Effect == "Deny" && try(s.Condition.Bool["aws:SecureTransport"], "") == "false"]) == 1
    error_message = "Non-TLS requests must be denied."
  }

  assert {
    condition     = length([for s in jsondecode(output.key_policy_json).Statement : s if s.Sid == "AWSConfigKMSPolicy"]) == 1
    error_message = "The key policy must grant Config GenerateDataKey and Decrypt."
  }

  assert {
    condition = alltrue(flatten([
      for s in jsondecode(output.key_policy_json).Statement : [
        for a in try(tolist(s.Action), [s.Action]) : !contains(["kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:PutKeyPolicy"], a)
      ] if s.Sid == "KeyAdministration"
    ]))
    error_message = "Key administrators must not be able to disable, delete or re-policy the key."
  }
}

run "no_prefix" {
  command = plan

  variables {
    key_prefix = ""
  }

  assert {
    condition     = [for s in jsondecode(output.bucket_policy_json).Statement : s.Resource if s.Action == "s3:PutObject"][0] == "arn:aws:s3:::o-abc123def4-config-logs/AWSLogs/111111111111/Config/*"
    error_message = "Without a prefix the path starts at AWSLogs/."
  }
}

run "fifty_accounts_fit_with_per_account_paths" {
  command = plan

  variables {
    member_account_ids = [for i in range(50) : format("1%011d", i)]
  }

  assert {
    condition     = length([for s in jsondecode(output.bucket_policy_json).Statement : s if s.Action == "s3:PutObject"]) == 50
    error_message = "Each of 50 members gets its own delivery statement."
  }
}

run "a_hundred_accounts_need_wildcard_paths" {
  command = plan

  variables {
    member_account_ids = [for i in range(100) : format("1%011d", i)]
  }

  expect_failures = [output.bucket_policy_json]
}

run "a_thousand_accounts_by_list_are_refused_with_advice" {
  command = plan

  variables {
    member_account_ids = [for i in range(1000) : format("1%011d", i)]
    delivery_paths     = "wildcard"
  }

  expect_failures = [output.bucket_policy_json]
}

run "a_thousand_accounts_by_organization" {
  command = plan

  variables {
    member_account_ids = [for i in range(1000) : format("1%011d", i)]
    delivery_paths     = "wildcard"
    source_condition   = "organization"
  }

  assert {
    condition     = [for s in jsondecode(output.bucket_policy_json).Statement : s.Resource if s.Action == "s3:PutObject"][0] == "arn:aws:s3:::o-abc123def4-config-logs/config/AWSLogs/*/Config/*"
    error_message = "wildcard delivery uses one path."
  }

  assert {
    condition = alltrue([
      for s in jsondecode(output.bucket_policy_json).Statement :
      s.Condition.StringEquals["aws:SourceOrgID"] == "o-abc123def4"
      if try(s.Principal.Service, "") == "config.amazonaws.com"
    ])
    error_message = "Every Config statement requires the Organization."
  }

  assert {
    condition     = length(output.bucket_policy_json) <= 20480 && length(output.key_policy_json) <= 32768
    error_message = "1,000 accounts must fit the bucket (20 KB) and key (32 KB) policy limits."
  }
}

run "a_thousand_members_each_in_its_own_folder_by_organization" {
  command = plan

  variables {
    member_account_ids = [for i in range(1000) : format("1%011d", i)]
    delivery_paths     = "source-account"
    source_condition   = "organization"
  }

  assert {
    condition     = [for s in jsondecode(output.bucket_policy_json).Statement : s.Resource if s.Action == "s3:PutObject"] == ["arn:aws:s3:::o-abc123def4-config-logs/config/AWSLogs/$${aws:SourceAccount}/Config/*"]
    error_message = "One delivery statement whose path is the writing account's own folder (the aws:SourceAccount policy variable)."
  }

  assert {
    condition     = length(output.bucket_policy_json) < 2048 && length(output.key_policy_json) < 4096
    error_message = "The central policies do not grow with the members: 1,000 members, a policy of a few statements."
  }
}
