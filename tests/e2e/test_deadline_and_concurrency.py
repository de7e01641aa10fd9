"""The watchdog under time and load: the real bootstrap against a Runtime API that sends a real
deadline (tests/emulator/runtime_api.py; cargo lambda's sends none), and the emulator counting the
requests in flight to prove the MaxConcurrency bound."""

from __future__ import annotations

import json
import subprocess
import tempfile
import time
from pathlib import Path

from emulator.harness import binary, minimal_env, stop
from emulator.organization import Member, build
from emulator.runtime_api import OneInvocation
from emulator.scenarios import config_event, rule_env

REGION = "us-east-1"
RULE = "config-delivery-pipeline"
OK = ("COMPLIANT", "delivery pipeline healthy")


def organization(emulator, names: list[str], regions: list[str] | None = None):
    plan = [Member("management", "", "healthy", *OK), Member("audit", "security", "healthy", *OK)]
    plan += [Member(name, "workloads", "healthy", *OK) for name in names]
    return build(emulator, plan=plan, regions=regions or [REGION])


def invoke_with_deadline(emulator, org, parameters: dict, deadline_s: float) -> tuple[OneInvocation, list[dict], float]:
    """One invocation of the real bootstrap with a Lambda deadline `deadline_s` away: the stub, the
    function's JSON log lines and when (epoch ms) the response arrived."""
    token = emulator.result_token(org.audit, RULE)
    api = OneInvocation(config_event(org.audit, token=token, parameters=parameters), deadline_s=deadline_s)
    env = {**minimal_env(), **rule_env(emulator, org.audit), "AWS_LAMBDA_RUNTIME_API": api.address,
           "AWS_LAMBDA_FUNCTION_NAME": "config-delivery-guard", "AWS_LAMBDA_FUNCTION_VERSION": "1",
           "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "256"}
    with tempfile.TemporaryDirectory() as tmp:
        log_path = Path(tmp) / "function.log"
        with open(log_path, "wb") as log:
            function = subprocess.Popen([str(binary("bootstrap"))], env=env, stdout=log, stderr=subprocess.STDOUT,
                                        start_new_session=True)
            try:
                answered = api.answered.wait(deadline_s + 30)
                answered_at = time.time() * 1000
            finally:
                stop(function)
                api.close()
        lines = [json.loads(line) for line in log_path.read_text().splitlines() if line.startswith("{")]
    assert answered, "bootstrap never answered"
    evaluations = [e for c in emulator.put_evaluation_calls() if c["resultToken"] == token for e in c["evaluations"]]
    return api, lines + [{"event": "_evaluations", "evaluations": evaluations}], answered_at


def test_the_lambda_deadline_ends_the_sweep_in_time_and_loses_no_account(emulator):
    org = organization(emulator, ["fast-1", "fast-2", "slow-1", "slow-2"])
    slow = {org.by_name(n).account for n in ("slow-1", "slow-2")}
    for account in slow:  # answers after the deadline: these cannot be judged in time
        emulator.set_overrides(account, REGION, {"faults": [
            {"operation": "DescribeConfigurationRecorders", "fault": "slow", "delay_ms": 7000}]})
    api, lines, answered_at = invoke_with_deadline(emulator, org, org.parameters("watchdog", Regions=REGION), 6)

    assert not api.failed, api.response
    [started] = [line for line in lines if line.get("event") == "sweep-started"]
    assert 0 < started["budget_ms"] <= 6000, "the sweep's budget comes from Lambda's deadline, not the 600 s default"
    assert not [line for line in lines if line.get("event") == "no-deadline"]
    assert answered_at <= api.deadline_ms, "the response must reach Lambda before its deadline"

    [evaluations] = [line["evaluations"] for line in lines if line.get("event") == "_evaluations"]
    verdicts = {e["ComplianceResourceId"]: e for e in evaluations}
    assert set(verdicts) == {m.account for m in org.members}, "every account is reported, judged or not"
    for account, evaluation in verdicts.items():
        if account in slow:
            assert evaluation["ComplianceType"] == "NON_COMPLIANT", evaluation
            assert "deadline" in evaluation["Annotation"], evaluation
        else:
            assert evaluation["ComplianceType"] == "COMPLIANT", evaluation


def test_no_more_account_regions_and_role_assumptions_in_flight_than_max_concurrency(emulator, lambda_runtime):
    regions = [REGION, "eu-west-1", "ap-southeast-2"]
    org = organization(emulator, [f"member-{i}" for i in range(6)], regions=regions)
    bound = 3
    # Each answer takes 300 ms, so the sweep runs as wide as it may.
    for member in org.members:
        for region in regions:
            emulator.set_overrides(member.account, region, {"faults": [
                {"operation": "DescribeDeliveryChannelStatus", "fault": "slow", "delay_ms": 300}]})
    emulator.set_overrides(org.audit, REGION, {"faults": [{"operation": "AssumeRole", "fault": "slow", "delay_ms": 300}]})
    params = org.parameters("watchdog", Regions=",".join(regions), MaxConcurrency=str(bound))
    token = emulator.result_token(org.audit, RULE)
    result = lambda_runtime.invoke(config_event(org.audit, token=token, parameters=params),
                                   rule_env(emulator, org.audit), timeout=180)
    assert result.ok, result.stderr + result.function_logs
    reported = [e for c in emulator.put_evaluation_calls() if c["resultToken"] == token for e in c["evaluations"]]
    assert {e["ComplianceType"] for e in reported} == {"COMPLIANT"} and len(reported) == len(org.members)

    most = emulator.max_in_flight()
    # One DescribeDeliveryChannelStatus per account-region judged: its peak is the account-regions
    # in flight. It reaches the bound (the measure works) and never passes it.
    assert most["config:DescribeDeliveryChannelStatus"] == bound, most
    assert 2 <= most["sts:AssumeRole"] <= bound, most
