"""parliament (PyPI, pinned) audits every rendered guardrail SCP: known actions, resources that fit
the actions, valid condition keys. The project's evaluator proves what they decide
(rule/core/tests/scp_policies.rs); parliament checks they say it in words AWS knows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from parliament import analyze_policy_string

SCP_POLICIES = Path(__file__).resolve().parents[2] / "scp-policies"
VALUES = json.loads((SCP_POLICIES / "proofs.json").read_text())["values"]


def render(template: str) -> str:
    for name, value in VALUES.items():
        template = template.replace("${" + name + "}", value)
    assert "${" not in template
    return template


@pytest.mark.parametrize("path", sorted(SCP_POLICIES.glob("deny-*.json")), ids=lambda p: p.name)
def test_parliament_finds_nothing_in_the_rendered_scps(path):
    findings = analyze_policy_string(render(path.read_text()), ignore_private_auditors=True).findings
    assert [(f.issue, f.detail) for f in findings] == []


def test_parliament_would_catch_an_unknown_action():
    """The check above can fail: a misspelt action is reported."""
    text = render((SCP_POLICIES / "deny-config-tampering.json").read_text())
    text = text.replace("config:StopConfigurationRecorder", "config:StopConfigurationRecorders")
    issues = [f.issue for f in analyze_policy_string(text, ignore_private_auditors=True).findings]
    assert "UNKNOWN_ACTION" in issues, issues
