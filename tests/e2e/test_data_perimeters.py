"""Data-perimeter policies (tests/emulator/perimeters.py), each through the real Lambda and the real
CLI: the verdict AWS's documentation supports, from the policy and the request Config sends; a key
AWS leaves undocumented for Config's writes is "unverified: depends on <key>", never a pass nor a
break (docs/verdicts.md, "The request Config sends")."""

from __future__ import annotations

import json

import pytest

from emulator.harness import run_cli
from emulator.perimeters import PERIMETERS, apply
from emulator.scenarios import Account, config_event, rule_env


def test_there_are_at_least_ten_and_each_cites_its_source():
    assert len(PERIMETERS) >= 10
    assert all(p.source for p in PERIMETERS.values())
    assert {p.expected_compliance for p in PERIMETERS.values()} == {"COMPLIANT", "NON_COMPLIANT"}


@pytest.mark.parametrize("name", list(PERIMETERS))
def test_a_data_perimeter_is_judged_as_aws_documents_it(emulator, lambda_runtime, name):
    perimeter = PERIMETERS[name]
    apply(perimeter, Account(emulator, perimeter.account))
    env = rule_env(emulator, perimeter.account)

    result = lambda_runtime.invoke(config_event(perimeter.account, token=f"perimeter-{name}"), env)
    assert result.ok, result.stderr + result.function_logs
    [evaluation] = [e for c in emulator.put_evaluation_calls() if c["resultToken"] == f"perimeter-{name}"
                    for e in c["evaluations"]]
    assert evaluation["ComplianceType"] == perimeter.expected_compliance, (evaluation, perimeter.source)
    for words in perimeter.annotation_has:
        assert words in evaluation["Annotation"], (evaluation["Annotation"], perimeter.source)

    cli = run_cli(["check", "--format", "json"], env)
    assert cli.returncode == (0 if perimeter.expected_compliance == "COMPLIANT" else 1), cli.stderr
    [verdict] = json.loads(cli.stdout)["results"]
    assert verdict["compliance"] == perimeter.expected_compliance, verdict
    checks = [f["check"] for f in verdict["findings"]]
    if perimeter.expected_check is None:
        assert checks == [], checks
    else:
        assert perimeter.expected_check in checks, checks
