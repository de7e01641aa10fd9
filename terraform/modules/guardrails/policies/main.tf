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

  tag_policy = jsonencode(jsondecode(file("${local.templates_dir}/ownership-tag-policy.json")))
}
