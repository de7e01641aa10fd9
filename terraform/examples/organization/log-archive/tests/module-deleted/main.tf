# The stack after its author deleted the log_archive module call without the removed block:
# prevent_destroy went with the configuration, and Terraform plans to destroy the archive. The
# test beside it shows it, so that README's removed block is not a detail to skip.
terraform {
  required_version = ">= 1.9.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 6.25, < 7.0"
    }
  }
}
