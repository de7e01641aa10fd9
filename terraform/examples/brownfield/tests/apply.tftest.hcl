# Imports cannot reach a mock provider: the imported resources are overridden with what AWS would
# return, and the plan proves the import addresses match the module's resources.
mock_provider "aws" {
  source = "../../tests/mocks"
}

override_resource {
  target = module.config_recorder.aws_config_configuration_recorder.this
  values = { name = "default" }
}

override_resource {
  target = module.config_recorder.aws_config_delivery_channel.this
  values = { name = "default" }
}

override_resource {
  target = module.config_recorder.aws_config_configuration_recorder_status.this
  values = { name = "default", is_enabled = true }
}

run "adopts_the_existing_recorder_and_channel" {
  command = apply

  assert {
    condition     = alltrue([for r in local.regions : module.config_recorder.recorder_names[r] == "default" && module.config_recorder.delivery_channels[r] == "default"])
    error_message = "The imported recorders and channels keep their names."
  }
}
