variable "rule_package" {
  description = "The rule's bootstrap.zip: `make package` builds dist/x86_64/bootstrap/bootstrap.zip; pass { local_path = \"<that path>\" }, or { s3_bucket = ..., s3_key = ... } for a copy in S3."
  type = object({
    local_path        = optional(string)
    s3_bucket         = optional(string)
    s3_key            = optional(string)
    s3_object_version = optional(string)
    source_code_hash  = optional(string)
  })
}
