# The member stack set applied under the mock: every member of the OUs, present and future, gets
# the audit role the audit-role module would create.
mock_provider "aws" {
  source = "../../tests/mocks"
}

variables {
  organizational_unit_ids = ["ou-ab12-workload1", "ou-ab12-sandbox01"]
  home_region             = "us-east-1"
  rule_function_role_arn  = "arn:aws:iam::222222222222:role/config-delivery-guard-*"
  organization_id         = "o-abc123def4"
  external_id             = "config-delivery-guard"
  tags                    = { owner = "platform", "cost-center" = "1234" }
}

run "every_member_of_the_ous_present_and_future" {
  command = apply

  assert {
    condition     = aws_cloudformation_stack_set.audit_role.permission_model == "SERVICE_MANAGED" && aws_cloudformation_stack_set.audit_role.auto_deployment[0].enabled && !aws_cloudformation_stack_set.audit_role.auto_deployment[0].retain_stacks_on_account_removal
    error_message = "Service-managed with automatic deployment: an account that joins an OU gets the role, one that leaves loses it."
  }

  assert {
    condition     = toset(aws_cloudformation_stack_set_instance.audit_role.deployment_targets[0].organizational_unit_ids) == toset(var.organizational_unit_ids) && aws_cloudformation_stack_set_instance.audit_role.region == "us-east-1"
    error_message = "One instance per account, in the home Region only: the role is global."
  }
}

run "the_template_is_the_audit_role" {
  command = apply

  assert {
    condition     = jsondecode(output.template_body).Resources.AuditRole.Properties.RoleName == "ConfigDeliveryAudit" && jsondecode(output.template_body).Resources.AuditRole.Properties.AssumeRolePolicyDocument.Statement[0].Condition.StringEquals["sts:ExternalId"] == "config-delivery-guard"
    error_message = "The template creates the rule's audit role, trusting the function with the external ID."
  }

  assert {
    condition     = contains(output.actions, "config:DescribeDeliveryChannelStatus") && !contains(output.actions, "config:PutDeliveryChannel")
    error_message = "The role reads the pipeline and changes nothing."
  }
}

run "stack_sets_wait_for_trusted_access" {
  command = plan

  override_data {
    target = data.aws_organizations_organization.this
    values = { aws_service_access_principals = [] }
  }

  expect_failures = [aws_cloudformation_stack_set.audit_role]
}

run "without_regions_the_audit_role_alone" {
  command = apply

  assert {
    condition     = length(aws_cloudformation_stack_set.regional) == 0 && output.regional_stack_set_name == null
    error_message = "No regions, no forwarding, no recorder: one stack set, the audit role's."
  }
}

run "every_region_of_every_member_forwards_its_pipeline_events" {
  command = apply

  variables {
    regions               = ["eu-west-1", "us-east-1", "eu-central-1"]
    home_region           = "eu-west-1"
    forward_to_account_id = "222222222222"
  }

  assert {
    condition     = aws_cloudformation_stack_set.regional[0].permission_model == "SERVICE_MANAGED" && aws_cloudformation_stack_set.regional[0].auto_deployment[0].enabled && toset(aws_cloudformation_stack_instances.regional[0].deployment_targets[0].organizational_unit_ids) == toset(var.organizational_unit_ids)
    error_message = "The regional half is service-managed and auto-deployed to the same OUs."
  }

  assert {
    condition     = aws_cloudformation_stack_instances.regional[0].regions == toset(["eu-west-1", "us-east-1", "eu-central-1"]) && aws_cloudformation_stack_instances.regional[0].operation_preferences[0].region_order[0] == "eu-west-1" && aws_cloudformation_stack_instances.regional[0].operation_preferences[0].region_concurrency_type == "SEQUENTIAL"
    error_message = "Every Region, the home Region first and one at a time: its stack creates the role the others name."
  }

  assert {
    condition     = output.forwarded_kinds == tolist(["alarms", "compliance", "config-tamper", "delivery-failed", "role-tamper", "rule-tamper"])
    error_message = "A member forwards what happens in it: not the Organizations, function, bucket or key events."
  }

  assert {
    condition = alltrue([
      for id, resource in jsondecode(output.regional_template_body).Resources : (
        resource.Properties.Targets[0].Arn == "arn:aws:events:eu-west-1:222222222222:event-bus/default" &&
        resource.Properties.Targets[0].RoleArn["Fn::Sub"] == "arn:$${AWS::Partition}:iam::$${AWS::AccountId}:role/config-delivery-forward-events"
      ) if resource.Type == "AWS::Events::Rule"
    ])
    error_message = "Every rule targets the audit account's bus in the home Region through the member's forwarding role."
  }

  assert {
    condition     = jsondecode(output.regional_template_body).Resources.ForwardRoleTamper.Condition == "GlobalEventsRegion" && !can(jsondecode(output.regional_template_body).Resources.ForwardConfigTamper.Condition)
    error_message = "IAM's events are heard in us-east-1 only; Config's in every Region."
  }

  assert {
    condition     = jsondecode(output.regional_template_body).Resources.ForwardingRole.Condition == "HomeRegion" && jsondecode(output.regional_template_body).Resources.ForwardingRole.Properties.AssumeRolePolicyDocument.Statement[0].Condition.StringEquals["aws:SourceAccount"] == { Ref = "AWS::AccountId" } && !strcontains(output.regional_template_body, "__STACK_ACCOUNT_ID__")
    error_message = "One forwarding role per member, in the home Region, assumable by EventBridge of that member only."
  }

  assert {
    condition     = length([for id, resource in jsondecode(output.regional_template_body).Resources : id if resource.Type == "AWS::CloudWatch::Alarm"]) == 4 && !can(jsondecode(output.regional_template_body).Resources.Recorder)
    error_message = "Each Region alarms on the four delivery metrics; no recorder unless asked."
  }
}

run "where_the_pipeline_is_ours_every_region_records" {
  command = apply

  variables {
    regions     = ["us-east-1", "eu-west-1"]
    home_region = "us-east-1"
    recorder = {
      bucket_name                = "org-config-archive"
      kms_key_arn                = "arn:aws:kms:us-east-1:333333333333:key/11111111-2222-3333-4444-555555555555"
      create_service_linked_role = true
    }
  }

  assert {
    condition     = jsondecode(output.regional_template_body).Resources.DeliveryChannel.Properties.S3BucketName == "org-config-archive" && jsondecode(output.regional_template_body).Resources.DeliveryChannel.DependsOn == "Recorder" && jsondecode(output.regional_template_body).Resources.DeliveryChannel.Properties.S3KmsKeyArn == var.recorder.kms_key_arn
    error_message = "The channel delivers to the archive with its key, after the recorder exists."
  }

  assert {
    condition     = jsondecode(output.regional_template_body).Resources.Recorder.Properties.RecordingGroup.IncludeGlobalResourceTypes == { "Fn::If" = ["HomeRegion", true, false] } && jsondecode(output.regional_template_body).Resources.ConfigServiceLinkedRole.Condition == "HomeRegion"
    error_message = "Global resource types once per account, and the service-linked role created once, in the home Region."
  }

  assert {
    condition     = length(output.forwarded_kinds) == 0 && aws_cloudformation_stack_instances.regional[0].regions == toset(["us-east-1", "eu-west-1"])
    error_message = "A recorder without forwarding forwards nothing."
  }
}
