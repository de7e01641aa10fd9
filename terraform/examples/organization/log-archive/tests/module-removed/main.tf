# The stack after its author deleted the log_archive module call as README (log-archive module,
# "Removing the module") says: the removed block makes Terraform forget the bucket, its policy,
# versioning and key instead of destroying them (Terraform language, "removed" block).
terraform {
  required_version = ">= 1.9.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 6.25, < 7.0"
    }
  }
}

removed {
  from = module.log_archive

  lifecycle {
    destroy = false
  }
}
