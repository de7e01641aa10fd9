"""Every module and example planned and applied by Terraform, against hashicorp/aws 6.25.0's schema.

`terraform validate` and `terraform test` run in a copy of terraform/ with the schema-only stand-in
(stand_in/) installed from a filesystem mirror; each root's tests/*.tftest.hcl mocks the provider
(`mock_provider "aws"`), applies, and asserts the wiring that matters.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from conftest import MODULES, TERRAFORM

EXAMPLES = TERRAFORM / "examples"
ROOTS = sorted(
    [p for p in MODULES.iterdir() if (p / "versions.tf").exists() and "hashicorp/aws" in (p / "versions.tf").read_text()]
    + [p.parent for p in EXAMPLES.rglob("main.tf") if not {"modules", "tests"} & set(p.relative_to(EXAMPLES).parts)]
)


def label(root: Path) -> str:
    return str(root.relative_to(TERRAFORM)).replace("/", "-")


def init(planner, workspace: Path, root: Path) -> tuple[Path, Path]:
    here = workspace / root.relative_to(TERRAFORM)
    data = planner.scratch / f"data-{label(root)}"
    done = planner.run("init", "-input=false", "-no-color", cwd=here, data_dir=data)
    assert done.returncode == 0, done.stdout + done.stderr
    return here, data


def test_every_module_and_example_is_planned():
    names = {label(r) for r in ROOTS}
    assert {"modules-rule", "modules-log-archive", "examples-single-account", "examples-organization-audit"} <= names
    for root in ROOTS:
        tests = list((root / "tests").glob("*.tftest.hcl"))
        text = "".join(t.read_text() for t in tests)
        assert 'mock_provider "aws"' in text, f"{label(root)}: no mocked plan"
        assert re.search(r"command\s*=\s*apply", text), f"{label(root)}: nothing is applied"


@pytest.fixture(scope="session")
def planned(planner, workspace):
    """Each root validated and tested once (`-verbose`: the collision check reads the applied state)."""
    runs: dict[Path, tuple] = {}

    def run(root: Path) -> tuple[subprocess.CompletedProcess, subprocess.CompletedProcess]:
        if root not in runs:
            here, data = init(planner, workspace, root)
            validated = planner.run("validate", "-no-color", cwd=here, data_dir=data)
            tested = planner.run("test", "-verbose", "-no-color", cwd=here, data_dir=data)
            runs[root] = (validated, tested)
        return runs[root]

    return run


@pytest.mark.parametrize("root", ROOTS, ids=label)
def test_validate_and_test_under_the_provider_schema(planned, root):
    validated, tested = planned(root)
    assert validated.returncode == 0, validated.stdout + validated.stderr
    assert tested.returncode == 0 and " 0 failed" in tested.stdout, tested.stdout + tested.stderr
    print(f"\n{label(root)}: {tested.stdout.strip().splitlines()[-1]}")


# Each defect class the harness must catch: a configuration that `terraform validate` passes or that
# static checks cannot see, and the error Terraform gives when it plans under the mock.
BROKEN = {
    "null-in-a-template": (
        'variable "region" {\n  type    = string\n  default = null\n}\n'
        'resource "aws_cloudwatch_event_rule" "r" {\n  name          = "r"\n'
        '  event_pattern = jsonencode({ resources = ["arn:aws:events:${var.region}:111111111111:event-bus/default"] })\n}\n',
        "Cannot include a null value in a string template",
    ),
    "keys-known-only-after-apply": (
        'resource "aws_s3_bucket" "b" {\n  bucket_prefix = "logs-"\n}\n'
        'resource "aws_cloudwatch_event_rule" "r" {\n  for_each      = toset([aws_s3_bucket.b.id])\n'
        '  name          = each.key\n  event_pattern = "{}"\n}\n',
        "Invalid for_each argument",
    ),
    "misspelt-block": (
        'resource "aws_s3_bucket_versioning" "v" {\n  bucket = "b"\n  versioning_configuraton {\n    status = "Enabled"\n  }\n}\n',
        'Blocks of type "versioning_configuraton" are not expected here',
    ),
    "required-argument-missing": (
        'resource "aws_lambda_function" "f" {\n  function_name = "f"\n}\n',
        'The argument "role" is required',
    ),
    "no-such-resource-type": ('resource "aws_config_rule" "r" {\n  name = "r"\n}\n', 'The provider hashicorp/aws does not support resource type "aws_config_rule"'),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_the_harness_fails_each_defect_class(planner, workspace, case):
    config, error = BROKEN[case]
    root = workspace.parent / "broken" / case
    (root / "tests").mkdir(parents=True)
    (root / "versions.tf").write_text((MODULES / "rule" / "versions.tf").read_text())
    (root / "main.tf").write_text(config)
    (root / "tests" / "plan.tftest.hcl").write_text('mock_provider "aws" {}\n\nrun "applies" {\n  command = apply\n}\n')
    data = planner.scratch / f"data-broken-{case}"
    done = planner.run("init", "-input=false", "-no-color", cwd=root, data_dir=data)
    assert done.returncode == 0, done.stdout + done.stderr
    tested = planner.run("test", "-no-color", cwd=root, data_dir=data)
    output = re.sub(r"\s+", " ", tested.stdout + tested.stderr)
    assert tested.returncode != 0 and error in output, output


# What AWS allows once per account (IAM names are global) or once per account-Region.
IDENTITY = {
    "aws_iam_role": ("name",),
    "aws_iam_policy": ("name",),
    "aws_iam_service_linked_role": ("aws_service_name",),
    "aws_cloudwatch_event_rule": ("region", "event_bus_name", "name"),
    "aws_cloudwatch_event_permission": ("region", "event_bus_name", "statement_id"),
    "aws_cloudwatch_metric_alarm": ("region", "alarm_name"),
    "aws_sns_topic": ("region", "name"),
    "aws_sqs_queue": ("region", "name"),
    "aws_lambda_function": ("region", "function_name"),
    "aws_cloudwatch_log_group": ("region", "name"),
    "aws_config_config_rule": ("region", "name"),
    "aws_config_organization_custom_rule": ("region", "name"),
    "aws_kms_alias": ("region", "name"),
    "aws_s3_bucket": ("bucket",),
    # Config allows one recorder and one delivery channel per Region, whatever their names.
    "aws_config_configuration_recorder": ("region",),
    "aws_config_delivery_channel": ("region",),
}
# The organization examples by the account each is applied in (examples/organization/README.md).
ACCOUNTS = {
    "management": ["organization/management", "organization/member"],
    "audit": ["organization/audit"],
    "log-archive": ["organization/log-archive"],
    "workload": ["organization/member"],
    "control-tower management": ["control-tower/management"],
    "control-tower audit": ["control-tower/audit"],
    "control-tower log archive": ["control-tower/log-archive"],
    "control-tower workload": ["control-tower/member"],
}
HEADER = re.compile(r'^resource "(\w+)" "\w+" \{$')
ATTRIBUTE = re.compile(r'^    (\w+)\s+= "([^"]*)"$')


def applied_identities(planned, example: str) -> dict[tuple, str]:
    """Identity -> resource address of everything the example creates, from `terraform test -verbose`."""
    _, done = planned(EXAMPLES / example)
    assert done.returncode == 0, done.stdout + done.stderr
    found, address, kind, attributes = {}, None, None, {}

    def close():
        if kind in IDENTITY:
            found[(kind,) + tuple(attributes.get(a, "default" if a == "event_bus_name" else None) for a in IDENTITY[kind])] = address

    for line in done.stdout.splitlines():
        if line.startswith("# ") and line.endswith(":"):
            close()
            address, kind, attributes = line[2:-1], None, {}
        elif HEADER.match(line):
            kind = HEADER.match(line).group(1)
        elif kind and ATTRIBUTE.match(line):
            name, value = ATTRIBUTE.match(line).groups()
            attributes.setdefault(name, value)
    close()
    return found


def collisions(identities: list[dict[tuple, str]]) -> list[tuple]:
    seen: dict[tuple, str] = {}
    clashes = []
    for stack in identities:
        for identity, address in stack.items():
            if identity in seen:
                clashes.append((identity, seen[identity], address))
            seen[identity] = address
    return clashes


@pytest.fixture(scope="module")
def organization_stacks(planned) -> dict[str, dict[tuple, str]]:
    examples = {e for stacks in ACCOUNTS.values() for e in stacks}
    return {e: applied_identities(planned, e) for e in sorted(examples)}


def test_stacks_applied_in_one_account_create_nothing_twice(organization_stacks):
    """A mock applies each stack alone; two stacks in one account must not claim one name."""
    assert sum(len(s) for s in organization_stacks.values()) >= 40
    for account, stacks in ACCOUNTS.items():
        assert collisions([organization_stacks[s] for s in stacks]) == [], account


def test_the_collision_check_sees_member_applied_in_the_audit_and_log_archive_accounts(organization_stacks):
    """Why the README keeps member/ out of those accounts: their stacks hold the same parts."""
    for own in ("organization/audit", "organization/log-archive"):
        clashes = collisions([organization_stacks[own], organization_stacks["organization/member"]])
        kinds = {identity[0] for identity, _, _ in clashes}
        assert {"aws_iam_role", "aws_config_configuration_recorder", "aws_cloudwatch_event_rule"} <= kinds, (own, clashes)


def applied_kinds(planned, example: str) -> set[str]:
    """Every resource type the example creates, from `terraform test -verbose`."""
    _, done = planned(EXAMPLES / example)
    assert done.returncode == 0, done.stdout + done.stderr
    return {HEADER.match(line).group(1) for line in done.stdout.splitlines() if HEADER.match(line)}


# What Control Tower owns, or already runs, in the accounts it governs: its recorder and channel
# (GRCONFIGENABLED denies changing them), its log archive bucket (the alerts topic's own KMS key is
# ours, so keys are not in the list), its aggregator in the
# audit account, and the delegated administrator registration (README there).
CONTROL_TOWERS = {
    "aws_config_configuration_recorder", "aws_config_configuration_recorder_status", "aws_config_delivery_channel",
    "aws_iam_service_linked_role", "aws_s3_bucket", "aws_s3_bucket_policy",
    "aws_config_configuration_aggregator", "aws_organizations_delegated_administrator",
}


@pytest.mark.parametrize("stack", ["audit", "log-archive", "member", "management"])
def test_the_control_tower_stacks_create_nothing_control_tower_owns(planned, stack):
    kinds = applied_kinds(planned, f"control-tower/{stack}")
    assert kinds, f"control-tower/{stack} applied nothing"
    assert kinds & CONTROL_TOWERS == set(), sorted(kinds & CONTROL_TOWERS)


def test_the_control_tower_check_sees_what_the_greenfield_stacks_create(planned):
    """It can fail: the organization example's stacks create exactly those kinds."""
    greenfield = set().union(*(applied_kinds(planned, f"organization/{s}") for s in ("audit", "log-archive", "management")))
    assert {"aws_config_configuration_recorder", "aws_s3_bucket", "aws_kms_key", "aws_config_configuration_aggregator",
            "aws_organizations_delegated_administrator"} <= greenfield


def dependencies(planner, workspace, example: str) -> dict[str, set[str]]:
    """`terraform graph`'s edges (from each node to what it waits for), labels stripped of "[root] "."""
    here, data = init(planner, workspace, EXAMPLES / example)
    done = planner.run("graph", cwd=here, data_dir=data)
    assert done.returncode == 0, done.stdout + done.stderr
    edges: dict[str, set[str]] = {}
    for source, target in re.findall(r'"([^"]+)"\s*->\s*"([^"]+)"', done.stdout):
        clean = lambda node: node.replace("[root] ", "").split(" (")[0]  # noqa: E731
        edges.setdefault(clean(source), set()).add(clean(target))
    return edges


def waits_for(edges: dict[str, set[str]], node: str, target: str) -> bool:
    seen, todo = set(), [node]
    while todo:
        current = todo.pop()
        if current.startswith(target):
            return True
        if current not in seen:
            seen.add(current)
            todo.extend(edges.get(current, ()))
    return False


def test_a_channel_in_the_stack_of_its_bucket_waits_for_the_bucket_policy(planner, workspace):
    """Config refuses a channel the bucket policy does not admit yet: the bucket name reaches the
    channel through the policy resource, so Terraform orders the policy first; and the rule waits for
    the recorder (an organization rule fails to deploy where there is none)."""
    edges = dependencies(planner, workspace, "single-account")
    channels = [node for node in edges if "aws_config_delivery_channel.this" in node]
    assert channels, sorted(edges)[:40]
    for channel in channels:
        assert waits_for(edges, channel, "module.log_archive.aws_s3_bucket_policy.this"), channel
    rules = [node for node in edges if "aws_config_config_rule.this" in node]
    assert rules and all(waits_for(edges, rule, "module.config_recorder.aws_config_configuration_recorder.this")
                         for rule in rules), rules


def run_output(output: str, run: str) -> str:
    """The verbose output of one run of `terraform test`."""
    start = output.index(f'run "{run}"')
    following = output.find('  run "', start + 1)
    return output[start:following if following > 0 else None]


# What every member's delivery depends on (the log-archive module's prevent_destroy resources).
ARCHIVE = ["aws_s3_bucket.this", "aws_s3_bucket_policy.this", "aws_s3_bucket_versioning.this", "aws_kms_key.this"]


def test_removing_the_log_archive_module_with_the_removed_block_destroys_nothing_delivery_needs(planned):
    """terraform destroy is refused by prevent_destroy; deleting the module call is not (the setting
    goes with the configuration), so the README's removed block makes Terraform forget the archive.
    Both plans are read from the example's tests/removal.tftest.hcl."""
    _, tested = planned(EXAMPLES / "organization" / "log-archive")
    assert tested.returncode == 0, tested.stdout + tested.stderr
    removed = run_output(tested.stdout, "module_removed_with_the_removed_block")
    deleted = run_output(tested.stdout, "module_deleted_without_it")
    for resource in ARCHIVE:
        assert f"module.log_archive.{resource} will be destroyed" not in removed, resource
        # Without the removed block the same removal destroys it: the test can fail.
        assert f"module.log_archive.{resource} will be destroyed" in deleted, resource
