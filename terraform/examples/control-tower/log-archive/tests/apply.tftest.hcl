mock_provider "aws" {
  source = "../../../tests/mocks"
}

run "applies" {
  command = apply
}
