# The one catalogue of what config-delivery-guard's roles may do. Each grant is one statement, each
# action is tied to the check or step that calls it (the README's permission table lists the same
# actions; tests/terraform proves the two agree and that every AWS operation the rule calls is here).
locals {
  catalogue = {
    "delivery-checks" = [
      {
        # recorder.*, channel.*: ListConfigurationRecorders also finds service-linked recorders.
        Sid = "ReadConfigPipeline"
        Action = [
          "config:DescribeConfigurationRecorderStatus",
          "config:DescribeConfigurationRecorders",
          "config:DescribeDeliveryChannelStatus",
          "config:DescribeDeliveryChannels",
          "config:ListConfigurationRecorders",
        ]
        Resource = "*"
      },
      {
        # The verdict itself, and (delta reporting) the results Config already holds for the rule.
        Sid      = "ReportEvaluations"
        Action   = ["config:GetComplianceDetailsByConfigRule", "config:PutEvaluations"]
        Resource = "*"
      },
      {
        # bucket.*: HeadBucket (s3:ListBucket), policy, default encryption, Object Lock.
        Sid = "ProbeDeliveryBucket"
        Action = [
          "s3:GetBucketObjectLockConfiguration",
          "s3:GetBucketPolicy",
          "s3:GetEncryptionConfiguration",
          "s3:ListBucket",
        ]
        Resource = "arn:${var.partition}:s3:::*"
      },
      {
        # key.*: state, rotation and policy of the channel's key.
        Sid      = "ProbeDeliveryKey"
        Action   = ["kms:DescribeKey", "kms:GetKeyPolicy"]
        Resource = "arn:${var.partition}:kms:*:*:key/*"
      },
      {
        # The account's own Organization: Config sends it as aws:SourceOrgID, which bucket, key
        # and RCP conditions may require (any member may describe its Organization).
        Sid      = "ReadOwnOrganization"
        Action   = ["organizations:DescribeOrganization"]
        Resource = "*"
      },
      {
        # role.denies-delivery: a customer-managed recorder role's policies and boundary.
        Sid = "ReadRecorderRole"
        Action = [
          "iam:GetPolicy",
          "iam:GetPolicyVersion",
          "iam:GetRole",
          "iam:GetRolePolicy",
          "iam:ListAttachedRolePolicies",
          "iam:ListRolePolicies",
        ]
        Resource = ["arn:${var.partition}:iam::*:role/*", "arn:${var.partition}:iam::*:policy/*"]
      },
    ]
    "list-regions" = [{
      # Watchdog without a Regions parameter: the member's enabled Regions.
      Sid      = "ListEnabledRegions"
      Action   = ["account:ListRegions"]
      Resource = "*"
    }]
    "event-path-trails" = [{
      # event-path.blind (watchdog, scan): the trails that apply to each Region, and what they record.
      Sid      = "ReadEventPathTrails"
      Action   = ["cloudtrail:DescribeTrails", "cloudtrail:GetEventSelectors", "cloudtrail:GetTrailStatus"]
      Resource = "*"
    }]
    "security-hub" = [{
      # SecurityHubFindings: import findings as the judged account, find and resolve our open ones,
      # suppress the ones an exception accepts (and make them NEW again when it ends).
      Sid      = "SecurityHubFindings"
      Action   = ["securityhub:BatchImportFindings", "securityhub:BatchUpdateFindings", "securityhub:GetFindings"]
      Resource = "*"
    }]
    "log-archive" = [
      {
        # LogArchiveReadRoleArn: what a member's audit role cannot read across accounts.
        Sid = "ReadLogArchiveBucket"
        Action = [
          "s3:GetBucketObjectLockConfiguration",
          "s3:GetBucketPolicy",
          "s3:GetEncryptionConfiguration",
          "s3:ListBucket",
        ]
        Resource = "arn:${var.partition}:s3:::*"
      },
      {
        Sid      = "ReadLogArchiveKey"
        Action   = ["kms:DescribeKey", "kms:GetKeyPolicy"]
        Resource = "arn:${var.partition}:kms:*:*:key/*"
      },
    ]
    "organization" = [{
      # organization.scp-denies-delivery, the watchdog's account list and each account's OU;
      # DescribeAccount confirms an account Config holds but ListAccounts no longer names.
      Sid = "ReadOrganization"
      Action = [
        "organizations:DescribeAccount",
        "organizations:DescribePolicy",
        "organizations:ListAccounts",
        "organizations:ListAccountsForParent",
        "organizations:ListOrganizationalUnitsForParent",
        "organizations:ListParents",
        "organizations:ListPoliciesForTarget",
        "organizations:ListRoots",
      ]
      Resource = "*"
    }]
    "own-organization" = [{
      # Organization mode: the function's own Organization, to judge only accounts of it (an
      # outside account can point its own rule at the function; docs/threat-model.md).
      Sid      = "ReadFunctionsOrganization"
      Action   = ["organizations:DescribeOrganization"]
      Resource = "*"
    }]
    "report" = [{
      # organization mode reports "cannot assume the audit role" with the function's own role.
      Sid      = "ReportEvaluations"
      Action   = ["config:PutEvaluations"]
      Resource = "*"
    }]
    "rule-state" = [{
      # Delta reporting reads the rule's results; the event-driven path reads its parameters and
      # asks Config for a run when a verdict changed.
      Sid = "ReadAndRunOwnRule"
      Action = [
        "config:DescribeConfigRules",
        "config:GetComplianceDetailsByConfigRule",
        "config:StartConfigRulesEvaluation",
      ]
      Resource = "*"
    }]
    "health-events" = [{
      # One custom event per verdict change (HealthEventBus).
      Sid      = "PublishHealthEvents"
      Action   = ["events:PutEvents"]
      Resource = [var.health_event_bus_arn]
    }]
    "read-exceptions" = [{
      # The accepted-exceptions document (ExceptionsObject), read at each invocation.
      Sid      = "ReadAcceptedExceptions"
      Action   = ["s3:GetObject"]
      Resource = var.exceptions_object_arn == null ? [] : [var.exceptions_object_arn]
    }]
    "assume-audit-roles" = [merge(
      {
        Sid      = "AssumeAuditRoles"
        Action   = ["sts:AssumeRole"]
        Resource = sort(var.assume_role_arns)
      },
      # Only roles of the Organization's accounts: an outside account can create a role of the audit
      # role's name that trusts the function (IAM User Guide, "AWS global condition context keys",
      # aws:ResourceOrgID: the Organization of the account that owns the requested resource).
      var.organization_id == null ? {} : {
        Condition = { StringEquals = { "aws:ResourceOrgID" = var.organization_id } }
      },
    )]
    "function-log" = [{
      Sid      = "WriteFunctionLog"
      Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      Resource = var.log_group_arn == null ? [] : ["${var.log_group_arn}:*"]
    }]
    "failure-destination" = [{
      # Lambda sends failed asynchronous invocations with the function's own role.
      Sid      = "SendFailedInvocations"
      Action   = ["sqs:SendMessage"]
      Resource = var.failure_queue_arn == null ? [] : [var.failure_queue_arn]
    }]
  }

  # What the rule's function needs in each mode (the rule module passes its mode here).
  function_grants = var.function_mode == null ? [] : concat(
    var.function_mode == "account" ? ["delivery-checks"] : ["report"],
    ["function-log", "failure-destination"],
    var.function_mode == "organization" ? ["own-organization"] : ["rule-state"],
    var.health_event_bus_arn == null ? [] : ["health-events"],
    var.exceptions_object_arn == null ? [] : ["read-exceptions"],
    length(var.assume_role_arns) > 0 ? ["assume-audit-roles"] : [],
    var.organization_reads ? ["organization"] : [],
    var.function_mode == "account" && var.security_hub ? ["security-hub"] : [],
  )
  requested = distinct(concat(var.grants, local.function_grants))

  # delivery-checks already holds PutEvaluations; report adds nothing then.
  grants = [
    for grant in local.requested : grant
    if !(grant == "report" && contains(local.requested, "delivery-checks"))
  ]

  statements = flatten([for grant in local.grants : [
    for statement in local.catalogue[grant] : merge(statement, { Effect = "Allow" })
  ]])

  policy = {
    Version   = "2012-10-17"
    Statement = local.statements
  }

  # The audit role admits the rule's Lambda role alone, from inside the Organization.
  # The function's account, named by its root: IAM refuses a trust policy naming a role that does
  # not exist yet, and a role re-created under the same name would silently lose a role-ARN trust.
  # aws:PrincipalArn keeps it to the function's role, whichever order the stacks are applied in.
  audit_role_trust = var.trusted_role_arn == null ? null : {
    Version = "2012-10-17"
    Statement = [{
      Sid       = "RuleFunctionOnly"
      Effect    = "Allow"
      Principal = { AWS = "arn:${var.partition}:iam::${split(":", var.trusted_role_arn)[4]}:root" }
      Action    = "sts:AssumeRole"
      Condition = {
        ArnLike = { "aws:PrincipalArn" = var.trusted_role_arn }
        StringEquals = merge(
          { "aws:PrincipalOrgID" = var.organization_id },
          var.external_id == null ? {} : { "sts:ExternalId" = var.external_id },
        )
      }
    }]
  }

  # The function's execution role: Lambda, on behalf of this account's functions only.
  function_trust = {
    Version = "2012-10-17"
    Statement = [{
      Sid       = "LambdaInThisAccount"
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "aws:SourceAccount" = var.function_account_id } }
    }]
  }
}
