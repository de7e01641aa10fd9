# An account where Config already records, set up by hand or from the console: its recorder and
# channel ("default" for both from the console) and the existing service-linked role are adopted,
# not created again. Config allows one recorder and one channel per Region, so creating new ones
# would fail. Not for a Control Tower account: Control Tower owns its recorder and channel, denies
# changing them, and puts them back on an account update; see ../control-tower.
locals {
  regions               = ["us-east-1", "eu-west-1"]
  home_region           = "us-east-1"
  tags                  = { owner = "platform-team", "cost-center" = "cc-1234" }
  recorder_name         = "default"
  delivery_channel_name = "default"
}

module "config_recorder" {
  source = "../../modules/config-recorder"

  regions               = local.regions
  home_region           = local.home_region
  recorder_name         = local.recorder_name
  delivery_channel_name = local.delivery_channel_name
  delivery_bucket_name  = "o-abc123def4-config-logs"
  kms_key_arn           = "arn:aws:kms:us-east-1:999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  tags                  = local.tags
}

# The provider's import IDs: the recorder's and the channel's names, with the Region of each (the
# per-resource region argument of provider 6): "<name>@<region>".
import {
  for_each = toset(local.regions)
  to       = module.config_recorder.aws_config_configuration_recorder.this[each.key]
  id       = "${local.recorder_name}@${each.key}"
}

import {
  for_each = toset(local.regions)
  to       = module.config_recorder.aws_config_delivery_channel.this[each.key]
  id       = "${local.delivery_channel_name}@${each.key}"
}

import {
  for_each = toset(local.regions)
  to       = module.config_recorder.aws_config_configuration_recorder_status.this[each.key]
  id       = "${local.recorder_name}@${each.key}"
}
