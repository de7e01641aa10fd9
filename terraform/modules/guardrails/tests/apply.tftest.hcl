# The guardrails applied under the mock: which policy lands on which target.
mock_provider "aws" {
  source = "../../tests/mocks"
}

variables {
  exempt_principal_arns = ["arn:aws:iam::*:role/BreakGlass", "arn:aws:iam::*:role/AWSControlTowerExecution"]
  organization_id       = "o-abc123def4"
  log_bucket            = "o-abc123def4-config-logs"
  log_key_arn           = "arn:aws:kms:us-east-1:999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  tags                  = { owner = "platform", "cost-center" = "1234" }
  targets = {
    config_tampering      = ["r-ab12"]
    log_archive_tampering = ["999999999999"]
    watchdog_tampering    = ["222222222222"]
    ownership_tags        = ["r-ab12"]
  }
}

run "each_policy_is_attached_where_asked" {
  command = apply

  assert {
    condition = toset(keys(aws_organizations_policy_attachment.scp)) == toset([
      "deny-config-tampering/r-ab12", "deny-log-archive-tampering/999999999999", "deny-watchdog-tampering/222222222222",
    ])
    error_message = "Each SCP is attached to exactly its targets."
  }

  assert {
    condition     = aws_organizations_policy_attachment.scp["deny-config-tampering/r-ab12"].policy_id == aws_organizations_policy.scp["deny-config-tampering"].id
    error_message = "An attachment names its own policy."
  }

  assert {
    condition     = length(aws_organizations_policy.rcp) == 0 && keys(aws_organizations_policy_attachment.tag) == ["r-ab12"]
    error_message = "No RCP unless a perimeter target is given; the tag policy on the root."
  }
}

run "a_policy_type_not_enabled_on_the_root_is_named" {
  command = plan

  override_data {
    target = data.aws_organizations_organization.this
    values = {
      roots = [{ id = "r-ab12", arn = "arn:aws:organizations::000000000000:root/o-abc123def4/r-ab12", name = "Root", policy_types = [{ type = "SERVICE_CONTROL_POLICY", status = "ENABLED" }] }]
    }
  }

  expect_failures = [aws_organizations_policy.tag]
}

run "the_perimeter_needs_resource_control_policies_enabled" {
  command = plan

  variables {
    targets = { log_archive_perimeter = ["999999999999"] }
  }

  override_data {
    target = data.aws_organizations_organization.this
    values = {
      roots = [{ id = "r-ab12", arn = "arn:aws:organizations::000000000000:root/o-abc123def4/r-ab12", name = "Root", policy_types = [{ type = "SERVICE_CONTROL_POLICY", status = "ENABLED" }] }]
    }
  }

  expect_failures = [aws_organizations_policy.rcp]
}

run "an_organization_trail_when_asked" {
  command = apply

  variables {
    organization_trail = { s3_bucket_name = "o-abc123def4-cloudtrail", kms_key_arn = "arn:aws:kms:us-east-1:999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab" }
  }

  assert {
    condition     = aws_cloudtrail.organization[0].is_organization_trail && aws_cloudtrail.organization[0].is_multi_region_trail && aws_cloudtrail.organization[0].include_global_service_events && aws_cloudtrail.organization[0].enable_logging
    error_message = "The trail logs every Region's and the global services' management events for the whole Organization."
  }
}

run "the_ownership_tags_are_required_and_other_casings_left_alone" {
  command = apply

  assert {
    condition = alltrue([
      for key in ["owner", "cost-center"] : (
        contains(jsondecode(aws_organizations_policy.tag.content).tags[key].report_required_tag_for["@@assign"], "s3:bucket") &&
        !can(jsondecode(aws_organizations_policy.tag.content).tags[key].enforced_for)
      )
    ])
    error_message = "Both keys are required (report_required_tag_for), and no casing is enforced on anyone's resources unless asked."
  }
}

run "casing_is_enforced_only_where_asked" {
  command = apply

  variables {
    ownership_tag_required_for        = ["lambda:function"]
    ownership_tag_casing_enforced_for = ["config:config-rule"]
  }

  assert {
    condition     = jsondecode(aws_organizations_policy.tag.content).tags.owner.enforced_for["@@assign"] == ["config:config-rule"] && jsondecode(aws_organizations_policy.tag.content).tags["cost-center"].report_required_tag_for["@@assign"] == ["lambda:function"]
    error_message = "The caller's types replace the template's."
  }
}
