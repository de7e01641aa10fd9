# No provider block: AFT renders it (aft-providers.jinja) with the account's AWSAFTExecution role.
terraform {
  required_version = ">= 1.9.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 6.25, < 7.0"
    }
  }
}
