variable "partition" {
  description = "The AWS partition (aws, aws-cn, aws-us-gov)."
  type        = string
}

variable "home_region" {
  description = "The Region of the central bus; the forwarding role and the service-linked role are created there."
  type        = string
}

variable "central_account_id" {
  description = "The audit account whose default bus in home_region receives every member's events."
  type        = string
}

variable "name_prefix" {
  description = "Prefix of the rules, alarms and the forwarding role, as in the alerts module."
  type        = string
}

variable "rule_names" {
  description = "The rule's names, for the compliance and rule-tamper patterns."
  type        = list(string)
}

variable "protected_role_names" {
  description = "Roles whose tampering is forwarded (role-tamper, heard in us-east-1)."
  type        = list(string)
}

variable "recorder" {
  description = "The recorder and delivery channel every Region gets, or null where they are not ours (Control Tower's, or hand-made)."
  type = object({
    name                       = string
    delivery_channel_name      = string
    bucket_name                = string
    key_prefix                 = optional(string)
    kms_key_arn                = optional(string)
    snapshot_frequency         = string
    create_service_linked_role = bool
  })
}

variable "tags" {
  description = "Tags for the resources that take them."
  type        = map(string)
}
