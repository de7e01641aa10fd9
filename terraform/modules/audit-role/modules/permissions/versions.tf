# Provider-free on purpose: `terraform test` renders these documents offline.
terraform {
  required_version = ">= 1.9.0"
}
