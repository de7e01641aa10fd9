"""Fault matrix: every AWS operation the rule calls x every fault the emulator injects, in account
mode, through the real Lambda binary. Transient faults are retried to the same verdict; permanent
ones give NON_COMPLIANT "cannot verify" naming the call; a report that cannot be made is a handler
error, never a silent drop. The matrix is printed in the test session's summary."""

from __future__ import annotations

import time

import pytest

from emulator.scenarios import config_event, rule_env, seed

READS = [
    "ListConfigurationRecorders",
    "DescribeConfigurationRecorders",
    "DescribeConfigurationRecorderStatus",
    "DescribeDeliveryChannels",
    "DescribeDeliveryChannelStatus",
]
OPERATIONS = [*READS, "PutEvaluations"]
# name -> (fault entry, transient?, words the "cannot verify" annotation must carry)
FAULTS = {
    "throttle x2": ({"fault": "throttle", "first": 2}, True, None),
    "500 x2": ({"fault": "server_error", "first": 2}, True, None),
    "dropped x1": ({"fault": "dropped", "first": 1}, True, None),
    "slow 1.5s": ({"fault": "slow", "first": 1, "delay_ms": 1500}, True, None),
    # Past the 8 s attempt timeout (rule/src/aws/clients.rs): the attempt is abandoned and retried.
    "slow 9s once": ({"fault": "slow", "first": 1, "delay_ms": 9000}, True, None),
    "throttle always": ({"fault": "throttle"}, False, "throttled"),
    "500 always": ({"fault": "server_error"}, False, "server error"),
    "malformed always": ({"fault": "malformed"}, False, "malformed response"),
    "AccessDenied": ({"fault": "access_denied"}, False, "access denied AccessDeniedException"),
}

MATRIX: dict[tuple[str, str], str] = {}


@pytest.mark.parametrize("fault_name", list(FAULTS))
@pytest.mark.parametrize("operation", OPERATIONS)
def test_fault(emulator, lambda_runtime, operation, fault_name):
    fault, transient, words = FAULTS[fault_name]
    scenario = seed(emulator, "healthy")
    emulator.set_overrides(scenario.account, "us-east-1", {"faults": [{"operation": operation, **fault}]})
    result = lambda_runtime.invoke(config_event(scenario.account), rule_env(emulator, scenario.account))
    assert "panicked" not in result.function_logs
    calls = emulator.put_evaluation_calls()

    if operation == "PutEvaluations" and not transient:
        MATRIX[(operation, fault_name)] = "handler error" if not result.ok else "REPORTED?"
        assert not result.ok, "a report that failed must fail the invocation"
        assert "was not reported" in result.stdout + result.stderr
        assert calls == []
        return

    assert result.ok, result.stdout + result.stderr + result.function_logs
    if operation == "PutEvaluations" and fault_name == "slow 9s once":
        # The abandoned attempt may still land after the retry (as in AWS): the same evaluation
        # twice, which PutEvaluations takes as one result. Wait for it so the count is certain.
        time.sleep(1.5)
        calls = emulator.put_evaluation_calls()
        assert len(calls) == 2 and calls[0]["evaluations"] == calls[1]["evaluations"], calls
        calls = calls[:1]
    [call] = calls
    evaluation = call["evaluations"][0]
    MATRIX[(operation, fault_name)] = evaluation["ComplianceType"]
    if transient:
        assert evaluation["ComplianceType"] == "COMPLIANT", evaluation
    else:
        assert evaluation["ComplianceType"] == "NON_COMPLIANT"
        assert evaluation["Annotation"].startswith(f"cannot verify: {operation} {words}"), evaluation


def fault_matrix_summary() -> list[str]:
    """Rows for the terminal summary (see conftest.py)."""
    return matrix_lines(MATRIX, OPERATIONS, list(FAULTS))


def matrix_lines(matrix: dict[tuple[str, str], str], operations: list[str], faults: list[str]) -> list[str]:
    """Operations x faults as aligned text rows; nothing when no case ran."""
    if not matrix:
        return []
    width = max(len(op) for op in operations)
    lines = [f"{'operation':{width}}  " + "  ".join(f"{name:16}" for name in faults)]
    for operation in operations:
        cells = [matrix.get((operation, name), "-") for name in faults]
        lines.append(f"{operation:{width}}  " + "  ".join(f"{cell:16}" for cell in cells))
    return lines
