output "recorder_role_arn" {
  description = "The role the recorders use (the service-linked role unless recorder_role_arn was given)."
  value       = local.recorder_role_arn
}

output "regions" {
  description = "Regions with a started recorder and a delivery channel."
  value       = sort(var.regions)
}

output "delivery_channels" {
  description = "Delivery channel name per Region."
  value       = { for region, channel in aws_config_delivery_channel.this : region => channel.name }
}

output "recorder_names" {
  description = "Recorder name per Region."
  value       = { for region, recorder in aws_config_configuration_recorder.this : region => recorder.name }
}
