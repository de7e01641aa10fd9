"""Every module and example planned and applied by Terraform, against hashicorp/aws 6.25.0's schema.

`terraform validate` and `terraform test` run in a copy of terraform/ with the schema-only stand-in
(stand_in/) installed from a filesystem mirror; each root's tests/*.tftest.hcl mocks the provider
(`mock_provider "aws"`), applies, and asserts the wiring that matters.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import MODULES, TERRAFORM

EXAMPLES = TERRAFORM / "examples"
ROOTS = sorted(
    [p for p in MODULES.iterdir() if (p / "versions.tf").exists() and "hashicorp/aws" in (p / "versions.tf").read_text()]
    + [p.parent for p in EXAMPLES.rglob("main.tf") if "modules/" not in str(p.relative_to(EXAMPLES))]
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


@pytest.mark.parametrize("root", ROOTS, ids=label)
def test_validate_and_test_under_the_provider_schema(planner, workspace, root):
    here, data = init(planner, workspace, root)
    validated = planner.run("validate", "-no-color", cwd=here, data_dir=data)
    assert validated.returncode == 0, validated.stdout + validated.stderr
    tested = planner.run("test", "-no-color", cwd=here, data_dir=data)
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
