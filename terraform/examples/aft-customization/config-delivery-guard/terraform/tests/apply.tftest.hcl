mock_provider "aws" {
  source = "../../../../tests/mocks"
}

run "forwards_and_creates_nothing_control_tower_owns" {
  command = apply

  assert {
    condition     = length(module.alerts.rule_names) > 0 && module.alerts.topic_arn == null
    error_message = "A member forwards its pipeline events to the audit account and holds no alert topic of its own."
  }
}
