"""Least privilege, three ways agreeing: the permission table of docs/permissions.md, the policies Terraform
renders for each role, and the AWS operations the rule's code calls."""

from __future__ import annotations

import json
import re

from conftest import REPO

# docs/permissions.md column -> the role rendered by tests/terraform/render (all optional grants on).
COLUMNS = {
    "audit role": "member_audit_role",
    "log-archive reader": "log_archive_reader",
    "organization reader": "organization_reader",
    "function, account": "function_account",
    "function, organization": "function_organization",
    "function, watchdog": "function_watchdog",
}
# The IAM action behind each AWS SDK operation the rule calls (where the names differ).
OPERATION_ACTIONS = {
    "s3:HeadBucket": "s3:ListBucket",
    "s3:GetBucketEncryption": "s3:GetEncryptionConfiguration",
    "s3:GetObjectLockConfiguration": "s3:GetBucketObjectLockConfiguration",
}
# Calls that need no permission.
NO_PERMISSION = {"sts:GetCallerIdentity"}
# The adapter files, one per service, and the service prefix of their client.
ADAPTERS = {
    "aws/read/config.rs": "config",
    "aws/read/compliance.rs": "config",
    "aws/write/config.rs": "config",
    "aws/write/eventbridge.rs": "events",
    "aws/read/s3.rs": "s3",
    "aws/read/kms.rs": "kms",
    "aws/read/iam.rs": "iam",
    "aws/read/organizations.rs": "organizations",
    "aws/read/sts.rs": "sts",
    "aws/read/account.rs": "account",
    "aws/read/cloudtrail.rs": "cloudtrail",
    # Security Hub's three calls are smithy Operations built by hand (not the generated client).
    "aws/write/security_hub/rest.rs": "securityhub",
}

BREAKING_CALLS = REPO / "terraform" / "modules" / "permissions" / "breaking-calls.json"


def test_every_file_that_calls_aws_is_a_listed_adapter():
    """A new adapter (a file that sends SDK requests) must be listed above, or its calls go unchecked."""
    sending = {
        str(path.relative_to(REPO / "rule" / "src"))
        for path in (REPO / "rule" / "src").rglob("*.rs")
        if ".send()" in path.read_text() or "Operation::builder()" in path.read_text()
    }
    assert sending == set(ADAPTERS), sorted(sending ^ set(ADAPTERS))


def permission_table() -> dict[str, dict[str, str]]:
    """action -> {column: cell} from the "Permissions" table of docs/permissions.md."""
    text = (REPO / "docs" / "permissions.md").read_text()
    section = text.split("# Permissions, role by role", 1)[1].split("\n#", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    header = next(line for line in section.splitlines() if line.startswith("| action"))
    columns = [c.strip() for c in header.strip("|").split("|")]
    table = {}
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        action = cells[0].strip("`")
        table[action] = dict(zip(columns[1:], cells[1:]))
    return table


def held(cell: str) -> bool:
    return cell not in ("", "-", "no")


def test_the_permission_table_lists_exactly_what_terraform_grants(rendered):
    table = permission_table()
    assert len(table) >= 25
    for column, role in COLUMNS.items():
        documented = sorted(action for action, cells in table.items() if held(cells.get(column, "")))
        granted = sorted(rendered["actions"][role])
        assert documented == granted, f"{column}: docs/permissions.md {documented} vs Terraform {granted}"


def test_every_row_says_which_check_needs_it():
    for action, cells in permission_table().items():
        assert len(cells.get("needed by", "")) > 10, action


def code_operations() -> set[str]:
    """service:Operation for every SDK call in the adapters: `.operation_name()` then `.send()`, or
    an Operation built by hand, named with its method and path (`"GetFindings", "POST", "/findings"`)."""
    found = set()
    for path, service in ADAPTERS.items():
        text = (REPO / "rule" / "src" / path).read_text()
        for name in re.findall(r"\.((?:list|describe|get|put|head|batch|assume|start)_[a-z_]+)\(\)", text):
            operation = "".join(part.capitalize() for part in name.split("_"))
            found.add(f"{service}:{operation}")
        for operation in re.findall(r'"([A-Z][A-Za-z]+)",\s*(?:"[A-Z]+",\s*)?"/[a-z/]*",?\s*\)', text):
            found.add(f"{service}:{operation}")
    return found


def test_every_aws_call_of_the_rule_is_granted_somewhere(rendered):
    operations = code_operations()
    assert {"config:PutEvaluations", "s3:HeadBucket", "organizations:ListAccounts", "sts:AssumeRole"} <= operations, operations
    # The hand-built Operations, however rustfmt lays out their arguments.
    hub = {"securityhub:BatchImportFindings", "securityhub:GetFindings", "securityhub:BatchUpdateFindings"}
    assert hub <= operations, operations
    granted = set().union(*(set(actions) for actions in rendered["actions"].values()))
    needed = {OPERATION_ACTIONS.get(op, op) for op in operations} - NO_PERMISSION
    assert sorted(needed - granted) == []


def test_nothing_is_granted_that_the_rule_never_calls(rendered):
    needed = {OPERATION_ACTIONS.get(op, op) for op in code_operations()}
    # The function's own plumbing: its log and its failure queue (used by Lambda on its behalf).
    plumbing = {"logs:CreateLogStream", "logs:PutLogEvents", "sqs:SendMessage"}
    granted = set().union(*(set(actions) for actions in rendered["actions"].values()))
    assert sorted(granted - needed - plumbing) == []


def test_the_rust_event_path_and_the_modules_read_one_list_of_breaking_calls(rendered):
    """permissions/breaking-calls.json: the Rust core includes it, the rule module takes it from the
    permissions module, the alerts read their copy (kept equal by rule/core/tests/generated_docs.rs)."""
    calls = json.loads(BREAKING_CALLS.read_text())
    rust = (REPO / "rule" / "core" / "src" / "input" / "cloudtrail_call.rs").read_text()
    assert 'include_str!("../../../../terraform/modules/permissions/breaking-calls.json")' in rust
    assert "breaking_calls = module.permissions.breaking_calls" in (REPO / "terraform" / "modules" / "rule" / "main.tf").read_text()
    patterns = {kind: json.loads(p) for kind, p in rendered["event_patterns"].items()}
    for kind, source in (("config-tamper", "config"), ("bucket-tamper", "s3"), ("key-tamper", "kms"), ("role-tamper", "iam")):
        detail = patterns[kind]["detail"]
        assert detail["eventSource"] == [f"{source}.amazonaws.com"] and detail["eventName"] == calls[f"{source}.amazonaws.com"], kind
    assert len(calls) == 5 and sum(len(n) for n in calls.values()) >= 40, calls
