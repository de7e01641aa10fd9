"""The schema-only hashicorp/aws stand-in: the rebuilt schema against what the provider's documentation
says of resources the modules use, and the stand-in refusing anything that would reach AWS."""

from __future__ import annotations

import json

from tf.gen import tfplugin_pb2 as pb

from conftest import MODULES

LIST, SET, SINGLE = pb.Schema.NestedBlock.LIST, pb.Schema.NestedBlock.SET, pb.Schema.NestedBlock.SINGLE


def load(path) -> pb.GetProviderSchema.Response:
    return pb.GetProviderSchema.Response.FromString(path.read_bytes())


def attribute(block: pb.Schema.Block, name: str) -> pb.Schema.Attribute:
    return next(a for a in block.attributes if a.name == name)


def nested(block: pb.Schema.Block, name: str) -> pb.Schema.NestedBlock:
    return next(b for b in block.block_types if b.type_name == name)


def flags(a: pb.Schema.Attribute) -> tuple[bool, bool, bool]:
    return a.required, a.optional, a.computed


def test_every_resource_and_data_source_is_served(aws_schema):
    schema = load(aws_schema)
    assert len(schema.resource_schemas) >= 1500 and len(schema.data_source_schemas) >= 600
    provider = schema.provider.block
    assert {"region", "profile", "allowed_account_ids"} <= {a.name for a in provider.attributes}
    assert {"assume_role", "default_tags", "ignore_tags"} <= {b.type_name for b in provider.block_types}
    assert "alias" not in {a.name for a in provider.attributes}, "alias is Terraform's, not the provider's"


def test_optional_computed_and_collection_kinds_match_the_provider_docs(aws_schema):
    schema = load(aws_schema)
    lifecycle = schema.resource_schemas["aws_s3_bucket_lifecycle_configuration"].block
    assert flags(attribute(lifecycle, "bucket")) == (True, False, False)
    rule = nested(lifecycle, "rule")
    assert rule.nesting == LIST
    transition = nested(rule.block, "transition")
    assert transition.nesting == SET
    assert flags(attribute(transition.block, "days")) == (False, True, True)  # S3 fills in 0
    assert flags(attribute(transition.block, "storage_class")) == (True, False, False)

    function = schema.resource_schemas["aws_lambda_function"].block
    assert flags(attribute(function, "arn")) == (False, False, True)
    assert flags(attribute(function, "function_name")) == (True, False, False)
    assert flags(attribute(function, "memory_size")) == (False, True, False)
    environment = nested(function, "environment")
    assert (environment.nesting, environment.max_items) == (LIST, 1)
    assert json.loads(attribute(environment.block, "variables").type) == ["map", "string"]
    assert json.loads(attribute(function, "replacement_security_group_ids").type) == ["set", "string"]
    assert nested(function, "timeouts").nesting == SINGLE

    role = schema.resource_schemas["aws_iam_role"].block
    assert flags(attribute(role, "name")) == (False, True, True)
    assert nested(role, "inline_policy").nesting == SET

    document = schema.data_source_schemas["aws_iam_policy_document"].block
    assert flags(attribute(document, "json")) == (False, False, True)
    statement = nested(document, "statement")
    assert statement.nesting == LIST
    principals = nested(statement.block, "principals")
    assert principals.nesting == SET
    assert json.loads(attribute(principals.block, "identifiers").type) == ["set", "string"]


def test_only_untypeable_wafv2_statements_are_approximated(aws_schema):
    report = aws_schema.with_suffix(".report").read_text()
    approximated = [line.strip() for line in report.splitlines() if line.startswith("  ")]
    assert approximated == [
        "Wafv2RuleGroupRule: set of blocks with an untyped attribute served as a list",
        "Wafv2WebAclRule: set of blocks with an untyped attribute served as a list",
    ]
    assert " 0 failed" in report


def test_outside_a_mock_the_stand_in_refuses_to_plan(planner, workspace):
    """The stand-in has no AWS behind it: a real `terraform plan` must fail, never succeed empty."""
    root = workspace.parent / "unmocked"
    root.mkdir()
    (root / "versions.tf").write_text((MODULES / "rule" / "versions.tf").read_text())
    (root / "main.tf").write_text('provider "aws" {\n  region = "us-east-1"\n}\nresource "aws_sqs_queue" "q" {\n  name = "q"\n}\n')
    data = planner.scratch / "data-unmocked"
    assert planner.run("init", "-input=false", "-no-color", cwd=root, data_dir=data).returncode == 0
    planned = planner.run("plan", "-input=false", "-no-color", "-refresh=false", cwd=root, data_dir=data)
    assert planned.returncode != 0, planned.stdout
