"""Every AWS operation the code calls, by class, with the outcome its class calls for (the table in
docs/verdicts.md "Faults"), through the real Lambda binary:

- Config reads (and AssumeRole, ListAccounts, ListRegions): "cannot verify" naming the call
  (tests/e2e/test_faults.py, test_watchdog_faults.py and the regions case here);
- root-cause probes: reported as unverified, COMPLIANT unless `StrictProbes`, and never a pass;
- publishing (PutEvaluations, Security Hub, EventBridge): nothing resolved, nothing lost, the
  invocation fails so that Lambda retries;
- Config's stored results: every evaluation is reported (test_delta_and_events.py);
- the event path's own calls: logged, the periodic run is the safety net (test_delta_and_events.py).

A static test proves the table names exactly the operations the adapters in rule/src/aws call,
read from botocore's service models.
"""

from __future__ import annotations

import re
from pathlib import Path

import botocore.session
import pytest
from botocore import xform_name

from emulator.scenarios import MANAGEMENT, config_event, delivered_after_repair, rule_env, seed

REPO = Path(__file__).resolve().parents[2]
SERVICES = ["config", "s3", "kms", "iam", "organizations", "sts", "account", "securityhub", "events", "cloudtrail"]

CONFIG_READ, PROBE, PUBLISH, STORED, ENTRY, EVENT_PATH, TRAILS, PLACEMENT, EXCEPTIONS = (
    "config read", "probe", "publish", "stored results", "entry", "event path", "event-path trails", "OU placement",
    "accepted exceptions")
CLASSES = {
    "ListConfigurationRecorders": CONFIG_READ,
    "DescribeConfigurationRecorders": CONFIG_READ,
    "DescribeConfigurationRecorderStatus": CONFIG_READ,
    "DescribeDeliveryChannels": CONFIG_READ,
    "DescribeDeliveryChannelStatus": CONFIG_READ,
    "HeadBucket": PROBE,
    "GetBucketPolicy": PROBE,
    "GetObjectLockConfiguration": PROBE,
    "GetBucketEncryption": PROBE,
    "DescribeKey": PROBE,
    "GetKeyPolicy": PROBE,
    "GetRole": PROBE,
    "ListRolePolicies": PROBE,
    "GetRolePolicy": PROBE,
    "ListAttachedRolePolicies": PROBE,
    "GetPolicy": PROBE,
    "GetPolicyVersion": PROBE,
    "ListParents": PROBE,
    "ListPoliciesForTarget": PROBE,
    "DescribePolicy": PROBE,
    "DescribeOrganization": PROBE,
    "PutEvaluations": PUBLISH,
    "GetFindings": PUBLISH,
    "BatchImportFindings": PUBLISH,
    "BatchUpdateFindings": PUBLISH,
    "PutEvents": PUBLISH,
    "GetComplianceDetailsByConfigRule": STORED,
    "AssumeRole": ENTRY,
    "ListAccounts": ENTRY,
    "ListRegions": ENTRY,
    "DescribeAccount": ENTRY,
    "DescribeConfigRules": EVENT_PATH,
    "StartConfigRulesEvaluation": EVENT_PATH,
    "GetCallerIdentity": EVENT_PATH,
    "DescribeTrails": TRAILS,
    "GetTrailStatus": TRAILS,
    "GetEventSelectors": TRAILS,
    "ListRoots": PLACEMENT,
    "ListOrganizationalUnitsForParent": PLACEMENT,
    "ListAccountsForParent": PLACEMENT,
    # Unreadable: reported as if there were none (test_reports.py, the exceptions the rule cannot use).
    "GetObject": EXCEPTIONS,
}
PROBES = [op for op, kind in CLASSES.items() if kind == PROBE]
# Where each probe's calls are made: the judged member, or the management account (the SCP walk
# and RCPs go through OrganizationReadRoleArn).
MANAGEMENT_CALLS = {"ListParents", "ListPoliciesForTarget", "DescribePolicy"}
# Read, but needed by no decision in this pipeline: their failure changes nothing, and says nothing.
NOT_NEEDED_HERE = {
    "GetBucketEncryption": "the channel names its own KMS key, so the bucket's default key is not used",
    "DescribeOrganization": "no bucket, key or RCP policy conditions on aws:SourceOrgID",
}


def operations_the_code_calls() -> set[str]:
    session = botocore.session.get_session()
    by_method: dict[str, str] = {}
    for service in SERVICES:
        for operation in session.get_service_model(service).operation_names:
            by_method[xform_name(operation)] = operation
    called = set()
    for source in (REPO / "rule" / "src" / "aws").rglob("*.rs"):
        # SDK calls (`.get_bucket_policy()`) and the REST client's (`.get_findings(&filters, ...)`).
        for method in re.findall(r"\.([a-z][a-z0-9_]+)\(", source.read_text()):
            if method in by_method:
                called.add(by_method[method])
    return called


def test_the_fault_table_names_exactly_the_operations_the_code_calls():
    called = operations_the_code_calls()
    assert len(called) > 25, called
    assert called == set(CLASSES), {"not in the table": called - set(CLASSES), "not called": set(CLASSES) - called}


@pytest.fixture(scope="module")
def probed(emulator_session):
    emulator_session.reset()
    return seed(emulator_session, "customer-role-in-organization")


@pytest.mark.parametrize("operation", PROBES)
def test_a_probe_that_cannot_be_read_is_unverified_never_a_pass(probed, emulator_session, lambda_runtime, operation):
    emulator = emulator_session
    caller = MANAGEMENT if operation in MANAGEMENT_CALLS else probed.account
    # AccessDenied is not retried, so it is quick; HeadBucket's 403 means "exists, not listable".
    fault = "server_error" if operation == "HeadBucket" else "access_denied"
    verdicts = {}
    for strict in (False, True):
        emulator.reset_faults()
        emulator.set_overrides(caller, "us-east-1", {"faults": [{"operation": operation, "fault": fault}]})
        token = f"probe-{operation}-{strict}"
        try:
            parameters = {**probed.parameters, "StrictProbes": str(strict).lower()}
            result = lambda_runtime.invoke(config_event(probed.account, token=token, parameters=parameters),
                                           rule_env(emulator, probed.account))
            hits = sum(f["calls"] for f in emulator.faults() if f["account"] == caller)
        finally:
            emulator.set_overrides(caller, "us-east-1", {"faults": []})
        assert result.ok, result.stderr + result.function_logs
        assert hits > 0, f"{operation} was never called"
        [evaluation] = [e for c in emulator.put_evaluation_calls() if c["resultToken"] == token
                        for e in c["evaluations"]]
        verdicts[strict] = evaluation
    relaxed, strict = verdicts[False], verdicts[True]
    assert relaxed["ComplianceType"] == "COMPLIANT", relaxed
    if operation in NOT_NEEDED_HERE:
        assert relaxed == {**strict, "OrderingTimestamp": relaxed["OrderingTimestamp"]}, (relaxed, strict)
        assert "unverified" not in relaxed["Annotation"], relaxed
        return
    assert "unverified" in relaxed["Annotation"] and operation in relaxed["Annotation"], relaxed
    assert strict["ComplianceType"] == "NON_COMPLIANT", strict
    assert operation in strict["Annotation"], strict


def test_without_a_channel_key_an_unreadable_default_encryption_is_unverified(emulator, lambda_runtime):
    scenario = seed(emulator, "bucket-default-key-disabled")
    emulator.set_overrides(scenario.account, "us-east-1", {
        "faults": [{"operation": "GetBucketEncryption", "fault": "access_denied"}],
        # Config's status still says Success: only the probe could have seen the disabled key.
        "delivery_status": {"snapshot": {"lastStatus": "Success", "lastErrorCode": None, "lastErrorMessage": None,
                                         "lastSuccessfulTime": "now-10m"},
                            "history": {"lastStatus": "Success", "lastErrorCode": None, "lastErrorMessage": None,
                                        "lastSuccessfulTime": "now-10m"}}})
    result = lambda_runtime.invoke(config_event(scenario.account, parameters={"StrictProbes": "true"}),
                                   rule_env(emulator, scenario.account))
    assert result.ok, result.stderr + result.function_logs
    [call] = emulator.put_evaluation_calls()
    [evaluation] = call["evaluations"]
    assert evaluation["ComplianceType"] == "NON_COMPLIANT", (evaluation, result.function_logs[-3000:], emulator.faults())
    assert "unverified: bucket default encryption (GetBucketEncryption access denied" in evaluation["Annotation"]


# --- No fail-open path: publishing and recovery -------------------------------------------------

RULE = "config-delivery-pipeline"


def run_rule(emulator, lambda_runtime, account: str, **parameters: str):
    """One periodic invocation with a token Config issued for the rule, so its results are stored."""
    token = emulator.result_token(account, RULE)
    result = lambda_runtime.invoke(config_event(account, token=token, parameters=parameters or None),
                                   rule_env(emulator, account))
    evaluations = [e for c in emulator.put_evaluation_calls() if c["resultToken"] == token for e in c["evaluations"]]
    return result, evaluations


def hub_findings(emulator, account: str) -> dict[str, dict]:
    from emulator.scenarios import Account

    hub = Account(emulator, account).client("securityhub")
    return {f["Id"]: f for f in hub.get_findings()["Findings"]}


def enable_keys(emulator, account: str) -> None:
    from emulator.scenarios import Account

    kms = Account(emulator, account).client("kms")
    for key in kms.list_keys()["Keys"]:
        kms.enable_key(KeyId=key["KeyId"])


def test_a_finding_whose_check_could_not_be_read_stays_open(emulator, lambda_runtime):
    scenario = seed(emulator, "kms-key-disabled")
    account = scenario.account
    result, _ = run_rule(emulator, lambda_runtime, account, SecurityHubFindings="true")
    assert result.ok, result.stderr + result.function_logs
    key_id = f"config-delivery-guard/{account}/us-east-1/key.disabled"
    symptom_id = f"config-delivery-guard/{account}/us-east-1/channel.snapshot-delivery-failure"
    first = hub_findings(emulator, account)
    assert first[key_id]["RecordState"] == "ACTIVE" and first[symptom_id]["RecordState"] == "ACTIVE"

    # Repaired, but the key can no longer be read: the delivery status (read) resolves its finding;
    # the key's finding stays as it was, and Config hears "cannot verify recovery", not COMPLIANT.
    enable_keys(emulator, account)
    emulator.set_overrides(account, "us-east-1", {
        **delivered_after_repair("KMS.DisabledException"),
        "faults": [{"operation": "DescribeKey", "fault": "access_denied"}]})
    result, [evaluation] = run_rule(emulator, lambda_runtime, account, SecurityHubFindings="true")
    assert result.ok, result.stderr + result.function_logs
    second = hub_findings(emulator, account)
    assert second[symptom_id]["Workflow"]["Status"] == "RESOLVED"
    assert second[key_id] == first[key_id], "a check that could not be read must not touch its finding"
    assert evaluation["ComplianceType"] == "NON_COMPLIANT", evaluation
    assert evaluation["Annotation"].startswith("cannot verify recovery (unverified: KMS key state (DescribeKey"), evaluation
    assert "last failure: " in evaluation["Annotation"]

    # Readable again: resolved, still dated from when it was first raised; Config hears COMPLIANT.
    emulator.set_overrides(account, "us-east-1", {"faults": []})
    result, [evaluation] = run_rule(emulator, lambda_runtime, account, SecurityHubFindings="true")
    assert result.ok, result.stderr + result.function_logs
    third = hub_findings(emulator, account)
    assert third[key_id]["Workflow"]["Status"] == "RESOLVED" and third[key_id]["RecordState"] == "ARCHIVED"
    assert third[key_id]["CreatedAt"] == first[key_id]["CreatedAt"]
    assert evaluation["ComplianceType"] == "COMPLIANT", evaluation


@pytest.mark.parametrize("operation", ["GetFindings", "BatchImportFindings"])
def test_security_hub_that_cannot_be_written_fails_the_invocation_after_config_has_its_result(
        emulator, lambda_runtime, operation):
    scenario = seed(emulator, "kms-key-disabled")
    emulator.set_overrides(scenario.account, "us-east-1", {"faults": [{"operation": operation, "fault": "access_denied"}]})
    result, [evaluation] = run_rule(emulator, lambda_runtime, scenario.account, SecurityHubFindings="true")
    assert not result.ok, "Lambda must retry what Security Hub did not take"
    assert "not everything was published" in result.stdout + result.stderr
    assert operation in result.stdout + result.stderr + result.function_logs
    assert evaluation["ComplianceType"] == "NON_COMPLIANT"
    emulator.set_overrides(scenario.account, "us-east-1", {"faults": []})
    assert hub_findings(emulator, scenario.account) == {}
