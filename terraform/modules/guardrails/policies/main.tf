# Renders the reviewed templates of scp-policies/ with templatefile, minified: what Organizations
# stores and counts against its size limits.
locals {
  # The module's own copy of scp-policies/ (kept equal by `make docs`; a test fails when it is
  # stale), so that the module reads nothing outside its folder.
  templates_dir = coalesce(var.templates_dir, "${path.module}/templates")

  service_control_policies = {
    for name in ["deny-config-tampering", "deny-role-tampering", "deny-log-archive-tampering", "deny-watchdog-tampering"] :
    name => jsonencode(jsondecode(templatefile("${local.templates_dir}/${name}.json", var.values)))
  }

  resource_control_policies = {
    "rcp-log-archive-perimeter" = jsonencode(jsondecode(templatefile("${local.templates_dir}/rcp-log-archive-perimeter.json", var.values)))
  }

  # Required tags are reported for the template's resource types (or the caller's), and Terraform,
  # CloudFormation and Pulumi can refuse a plan that lacks them; capitalization is enforced only
  # where asked: enforced_for blocks every tagging call with another casing on that resource type in
  # every account, whoever owns the resource (AWS Organizations User Guide, "Enforce tagging
  # consistency": basic compliance rules never enforce a missing key; "Required tag key" does, for IaC).
  ownership_tags = jsondecode(file("${local.templates_dir}/ownership-tag-policy.json")).tags
  tag_policy = jsonencode({
    tags = {
      for key, rule in local.ownership_tags : key => merge(
        rule,
        var.required_tag_resource_types == null ? {} : { report_required_tag_for = { "@@assign" = var.required_tag_resource_types } },
        length(var.casing_enforced_for) == 0 ? {} : { enforced_for = { "@@assign" = var.casing_enforced_for } },
      )
    }
  })
}
