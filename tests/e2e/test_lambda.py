"""The real `bootstrap` binary, invoked through cargo lambda's Runtime API emulator, judging real
pipelines in the emulator and reporting to it. Assertions are on what Config received."""

from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest

from emulator.scenarios import SCENARIOS, config_event, rule_env, seed

EVENT_TIME = "2026-01-01T00:00:00.000Z"
EVENT_EPOCH = 1767225600.0


def only_call(emulator) -> dict:
    calls = emulator.put_evaluation_calls()
    assert len(calls) == 1, calls
    return calls[0]


def only_evaluation(emulator, account: str) -> dict:
    call = only_call(emulator)
    assert call["account"] == account
    assert len(call["evaluations"]) == 1
    evaluation = call["evaluations"][0]
    assert evaluation["ComplianceResourceType"] == "AWS::::Account"
    assert evaluation["ComplianceResourceId"] == account
    annotation = evaluation.get("Annotation")
    assert annotation is not None and 1 <= len(annotation) <= 256, evaluation
    return evaluation


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_each_scenario_reports_its_verdict_and_root_cause(emulator, lambda_runtime, name):
    scenario = seed(emulator, name)
    result = lambda_runtime.invoke(
        config_event(scenario.account, token=f"token-{name}", when=EVENT_TIME, parameters=scenario.parameters),
        rule_env(emulator, scenario.account),
    )
    assert result.ok, result.stderr + result.function_logs

    evaluation = only_evaluation(emulator, scenario.account)
    assert evaluation["ComplianceType"] == scenario.expected_compliance
    assert evaluation["OrderingTimestamp"] == pytest.approx(EVENT_EPOCH)
    assert only_call(emulator)["resultToken"] == f"token-{name}"
    assert only_call(emulator)["testMode"] is False

    [verdict_line] = [line for line in result.log_lines() if line.get("event") == "verdict"]
    checks = [f["check"] for f in verdict_line["findings"]]
    if scenario.expected_check is None:
        assert checks == [], verdict_line["findings"]
    else:
        assert scenario.expected_check in checks, checks
        first = verdict_line["findings"][0]
        assert first["message"][:200] in evaluation["Annotation"]
        assert first["remediation"]
    for words in scenario.annotation_has:
        assert words in evaluation["Annotation"], evaluation["Annotation"]
    assert result.response()["compliance"] == scenario.expected_compliance


def test_history_failure_names_the_error_code_and_its_cause(emulator, lambda_runtime):
    scenario = seed(emulator, "role-lost-put-object")
    result = lambda_runtime.invoke(config_event(scenario.account), rule_env(emulator, scenario.account))
    assert result.ok, result.function_logs
    annotation = only_evaluation(emulator, scenario.account)["Annotation"]
    # A time, not an age ("6h ago"), so the annotation stays the same from run to run.
    match = re.match(r"history delivery failing: InsufficientDeliveryPolicyException \(last success (\S+)\)", annotation)
    assert match, annotation
    last = datetime.fromisoformat(match.group(1).replace("Z", "+00:00"))
    assert abs((datetime.now(timezone.utc) - last).total_seconds() - 6 * 3600) < 600, annotation
    assert "; cause: recorder role config-recorder cannot s3:PutObject" in annotation


def test_a_disabled_key_is_named_as_the_cause(emulator, lambda_runtime):
    scenario = seed(emulator, "kms-key-disabled")
    result = lambda_runtime.invoke(config_event(scenario.account), rule_env(emulator, scenario.account))
    assert result.ok, result.function_logs
    annotation = only_evaluation(emulator, scenario.account)["Annotation"]
    assert "; cause: KMS key arn:aws:kms:us-east-1:444444444444:key/" in annotation
    assert annotation.endswith("is Disabled, not Enabled")


def test_an_scp_on_the_ou_is_found_through_the_organization_reader_role(emulator, lambda_runtime):
    scenario = seed(emulator, "scp-denies-recorder-role")
    result = lambda_runtime.invoke(
        config_event(scenario.account, parameters=scenario.parameters), rule_env(emulator, scenario.account)
    )
    assert result.ok, result.function_logs
    annotation = only_evaluation(emulator, scenario.account)["Annotation"]
    assert annotation.startswith("latent: recorder role config-recorder cannot s3:PutObject")
    assert "explicit Deny in SCP deny-recorder-writes statement 0 (NoRecorderWrites)" in annotation


def test_no_such_bucket_comes_from_the_deleted_bucket(emulator, lambda_runtime):
    scenario = seed(emulator, "bucket-deleted")
    result = lambda_runtime.invoke(config_event(scenario.account), rule_env(emulator, scenario.account))
    assert result.ok, result.function_logs
    assert only_evaluation(emulator, scenario.account)["Annotation"].startswith(
        "snapshot delivery failing: NoSuchBucket"
    )


def test_a_status_that_lags_a_repair_clears_at_the_next_delivery_not_before(emulator, lambda_runtime):
    """Repaired an hour ago: the probes pass, but Config's status still shows the failed attempt, so
    the verdict keeps the error code; one delivery period later the status says Success (with
    Config's last error code still on record) and the account is healthy."""
    scenario = seed(emulator, "status-lags-repair")
    env = rule_env(emulator, scenario.account)
    result = lambda_runtime.invoke(config_event(scenario.account, token="before"), env)
    assert result.ok, result.function_logs
    before = only_evaluation(emulator, scenario.account)
    assert before["ComplianceType"] == "NON_COMPLIANT"
    assert before["Annotation"].startswith("snapshot delivery failing: NoSuchBucket"), before
    assert "no probe finds the cause" in before["Annotation"]

    emulator.set_overrides(scenario.account, "us-east-1", {"elapsed": "24h"})
    result = lambda_runtime.invoke(config_event(scenario.account, token="after"), env)
    assert result.ok, result.function_logs
    [after] = [e for c in emulator.put_evaluation_calls() if c["resultToken"] == "after" for e in c["evaluations"]]
    assert after["ComplianceType"] == "COMPLIANT", after
    assert "NoSuchBucket" not in after["Annotation"]


def test_event_left_scope_reports_not_applicable(emulator, lambda_runtime):
    scenario = seed(emulator, "healthy")
    result = lambda_runtime.invoke(
        config_event(scenario.account, left_scope=True), rule_env(emulator, scenario.account)
    )
    assert result.ok, result.function_logs
    assert only_evaluation(emulator, scenario.account)["ComplianceType"] == "NOT_APPLICABLE"


def test_invalid_rule_parameters_name_the_parameter(emulator, lambda_runtime):
    scenario = seed(emulator, "healthy")
    event = config_event(scenario.account, parameters={"MaxDeliveryAgeHours": "soon"})
    result = lambda_runtime.invoke(event, rule_env(emulator, scenario.account))
    assert result.ok, result.function_logs
    evaluation = only_evaluation(emulator, scenario.account)
    assert evaluation["ComplianceType"] == "NON_COMPLIANT"
    assert "invalid rule parameter MaxDeliveryAgeHours" in evaluation["Annotation"]
    errors = [line for line in result.log_lines() if line.get("level") == "ERROR"]
    assert errors and errors[0]["parameter"] == "MaxDeliveryAgeHours"


def test_expected_bucket_parameter_is_enforced(emulator, lambda_runtime):
    scenario = seed(emulator, "healthy")
    event = config_event(scenario.account, parameters={"ExpectedBucket": "central-config-logs"})
    result = lambda_runtime.invoke(event, rule_env(emulator, scenario.account))
    assert result.ok, result.function_logs
    evaluation = only_evaluation(emulator, scenario.account)
    assert evaluation["ComplianceType"] == "NON_COMPLIANT"
    assert "instead of central-config-logs" in evaluation["Annotation"]


def test_malformed_invoking_event_is_never_compliant(emulator, lambda_runtime):
    scenario = seed(emulator, "healthy")
    event = config_event(scenario.account)
    event["invokingEvent"] = "{this is not json"
    result = lambda_runtime.invoke(event, rule_env(emulator, scenario.account))
    assert result.ok, result.function_logs
    evaluation = only_evaluation(emulator, scenario.account)
    assert evaluation["ComplianceType"] == "NON_COMPLIANT"
    assert evaluation["Annotation"].startswith("cannot verify: malformed Config invocation event: invokingEvent")


def test_event_without_result_token_is_an_error_and_reports_nothing(emulator, lambda_runtime):
    scenario = seed(emulator, "healthy")
    event = config_event(scenario.account)
    del event["resultToken"]
    result = lambda_runtime.invoke(event, rule_env(emulator, scenario.account))
    assert not result.ok
    assert "malformed Config invocation event" in result.stdout + result.stderr
    assert emulator.put_evaluation_calls() == []


def test_one_failed_evaluation_is_retried(emulator, lambda_runtime):
    scenario = seed(emulator, "healthy")
    emulator.set_overrides(scenario.account, "us-east-1", {"put_evaluations": {"fail_first": 1}})
    result = lambda_runtime.invoke(config_event(scenario.account), rule_env(emulator, scenario.account))
    assert result.ok, result.function_logs
    calls = emulator.put_evaluation_calls()
    assert [len(c["failedEvaluations"]) for c in calls] == [1, 0]
    assert calls[0]["evaluations"] == calls[1]["evaluations"]
    assert result.response()["report"] == {"evaluations": 1, "calls": 2, "retried": 1}


def test_a_report_that_keeps_failing_is_a_handler_error(emulator, lambda_runtime):
    scenario = seed(emulator, "healthy")
    emulator.set_overrides(scenario.account, "us-east-1", {"put_evaluations": {"fail_first": 99}})
    result = lambda_runtime.invoke(config_event(scenario.account), rule_env(emulator, scenario.account))
    assert not result.ok
    assert "was not reported" in result.stdout + result.stderr
    assert len(emulator.put_evaluation_calls()) == 3


def test_test_mode_is_honoured(emulator, lambda_runtime):
    scenario = seed(emulator, "healthy")
    env = {**rule_env(emulator, scenario.account), "DELIVERY_GUARD_TEST_MODE": "true"}
    result = lambda_runtime.invoke(config_event(scenario.account), env)
    assert result.ok, result.function_logs
    assert only_call(emulator)["testMode"] is True


def test_the_verdict_log_line_is_one_json_object(emulator, lambda_runtime):
    scenario = seed(emulator, "kms-key-disabled")
    result = lambda_runtime.invoke(config_event(scenario.account), rule_env(emulator, scenario.account))
    [line] = [line for line in result.log_lines() if line.get("event") == "verdict"]
    finding = line["findings"][0]
    assert finding["check"] == "channel.snapshot-delivery-failure"
    assert finding["evidence"]["last_error_code"] == "KMS.DisabledException"
    assert (line["level"], line["compliance"], line["region"]) == ("INFO", "NON_COMPLIANT", "us-east-1")
    assert "KMS.DisabledException" in line["annotation"]
