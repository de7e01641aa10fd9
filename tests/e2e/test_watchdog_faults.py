"""Fault matrix in watchdog mode: every operation the sweep calls x every fault the emulator injects,
through the real Lambda binary, on a small Organization whose management account runs the rule.

Transient faults are retried to the same verdicts; a permanent fault gives NON_COMPLIANT "cannot
verify" naming the call, for exactly the accounts it touches (a member's Config reads: that member;
AssumeRole: every member; ListAccounts: every member Config holds a result for, named from those
results, so that no earlier COMPLIANT stands while nobody looks); a report that cannot be made is a
handler error. The matrix is printed in the session's summary."""

from __future__ import annotations

import pytest

from emulator.organization import REGIONS, Member, build
from emulator.scenarios import MANAGEMENT, config_event, rule_env

from e2e.test_faults import FAULTS as ACCOUNT_MODE_FAULTS
from e2e.test_faults import matrix_lines

# The slow-past-the-attempt-timeout case costs 9 s a run; the watchdog's clients carry the same
# timeouts as account mode's (one SdkConfig, rule/src/aws/clients.rs), where that case runs.
FAULTS = {name: fault for name, fault in ACCOUNT_MODE_FAULTS.items() if name != "slow 9s once"}

CONFIG_READS = [
    "ListConfigurationRecorders",
    "DescribeConfigurationRecorders",
    "DescribeConfigurationRecorderStatus",
    "DescribeDeliveryChannels",
    "DescribeDeliveryChannelStatus",
]
OPERATIONS = ["ListAccounts", "AssumeRole", *CONFIG_READS, "PutEvaluations"]
REGION = REGIONS[0]
OK = ("COMPLIANT", "delivery pipeline healthy in 1 region(s)")

MATRIX: dict[tuple[str, str], str] = {}


@pytest.fixture(scope="module")
def org(emulator_session):
    emulator_session.reset()
    plan = [Member("management", "", "healthy", *OK), Member("member-a", "workloads", "healthy", *OK),
            Member("member-b", "sandbox", "healthy", *OK)]
    return build(emulator_session, plan, regions=[REGION])


@pytest.fixture
def emulator(org):
    emulator = org.emulator
    emulator.reset_faults()
    yield emulator
    for member in org.members:  # no fault outlives its test
        emulator.set_overrides(member.account, REGION, {"faults": []})


def faulted_account(org, operation: str) -> str:
    """Whose calls carry the fault: a member's own Config reads, else the rule's account."""
    return org.by_name("member-a").account if operation in CONFIG_READS else MANAGEMENT


@pytest.mark.parametrize("fault_name", list(FAULTS))
@pytest.mark.parametrize("operation", OPERATIONS)
def test_watchdog_fault(org, emulator, lambda_runtime, operation, fault_name):
    fault, transient, words = FAULTS[fault_name]
    params = org.parameters("watchdog", Regions=REGION)
    del params["OrganizationReadRoleArn"]  # the management account lists its own Organization
    event = config_event(MANAGEMENT, token=f"wd-{operation}-{fault_name}", parameters=params)
    if operation == "ListAccounts" and not transient:
        # Config holds every member's last result (COMPLIANT), as after any earlier run of this rule.
        rule = event["configRuleName"] = f"wd-list-accounts-{fault_name.replace(' ', '-')}"
        earlier = {**event, "resultToken": emulator.result_token(MANAGEMENT, rule)}
        before = lambda_runtime.invoke(earlier, rule_env(emulator, MANAGEMENT), timeout=180)
        assert before.ok, before.stderr + before.function_logs
        event["resultToken"] = token = emulator.result_token(MANAGEMENT, rule)
    else:
        token = event["resultToken"]
    emulator.set_overrides(faulted_account(org, operation), REGION, {"faults": [{"operation": operation, **fault}]})
    result = lambda_runtime.invoke(event, rule_env(emulator, MANAGEMENT), timeout=180)
    assert "panicked" not in result.function_logs
    evaluations = {e["ComplianceResourceId"]: e for c in emulator.put_evaluation_calls()
                   if c["resultToken"] == token for e in c["evaluations"]}

    if operation == "PutEvaluations" and not transient:
        MATRIX[(operation, fault_name)] = "handler error" if not result.ok else "REPORTED?"
        assert not result.ok, "a report that failed must fail the invocation"
        assert "was not reported" in result.stdout + result.stderr
        assert evaluations == {}
        return

    assert result.ok, result.stdout + result.stderr + result.function_logs
    verdicts = {account: e["ComplianceType"] for account, e in evaluations.items()}
    if transient:
        MATRIX[(operation, fault_name)] = "all COMPLIANT" if set(verdicts.values()) == {"COMPLIANT"} else "?"
        assert verdicts == {m.account: "COMPLIANT" for m in org.members}, evaluations
        return

    if operation == "ListAccounts":
        why = f"cannot verify: cannot list the Organization's accounts: ListAccounts {words}"
        expected = {m.account: why for m in org.members}
    elif operation == "AssumeRole":
        expected = {m.account: "cannot verify: cannot assume the audit role" for m in org.members}
    else:
        member = org.by_name("member-a").account
        expected = {m.account: OK[1] for m in org.members}
        expected[member] = f"cannot verify: {operation} {words}"
    assert set(evaluations) == set(expected), evaluations
    for account, words_expected in expected.items():
        annotation = evaluations[account]["Annotation"]
        assert words_expected in annotation, (account, annotation)
        assert evaluations[account]["ComplianceType"] == ("COMPLIANT" if words_expected == OK[1] else "NON_COMPLIANT")
    failing = sum(1 for v in verdicts.values() if v == "NON_COMPLIANT")
    MATRIX[(operation, fault_name)] = f"{failing} NON_COMPLIANT"


def watchdog_matrix_summary() -> list[str]:
    """Rows for the terminal summary (see conftest.py)."""
    return matrix_lines(MATRIX, OPERATIONS, list(FAULTS))
