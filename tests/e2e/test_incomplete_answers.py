"""Answers that parse but are incomplete are a fault class of their own (docs/verdicts.md, "Faults"):
for each operation the rule calls that can answer so, each variant of emulator/incomplete.py, through
the real Lambda binary. None may end healthy, resolve a finding, or announce a recovery: Config reads
give "cannot verify", probes "unverified", a short account list no NOT_APPLICABLE member, a short
PutEvents, GetFindings or caller identity a failed invocation (Lambda retries; nothing is lost).

A static test proves every variant of the emulator is exercised here.
"""

from __future__ import annotations

import pytest

from emulator import incomplete
from emulator.deployment import capture_health_events, cloudtrail_event, deploy_rule, received_events
from emulator.organization import REGIONS, Member, build
from emulator.scenarios import MANAGEMENT, Account, config_event, delivered_after_repair, rule_env, seed

REGION = "us-east-1"
RULE = "config-delivery-pipeline"

CONFIG_READS = [
    ("DescribeDeliveryChannelStatus", "no-last-status"),
    ("DescribeDeliveryChannelStatus", "no-snapshot-info"),
    ("DescribeDeliveryChannelStatus", "future-success"),
    ("DescribeDeliveryChannelStatus", "no-entry"),
    ("DescribeConfigurationRecorders", "no-role-arn"),
    ("DescribeConfigurationRecorderStatus", "no-entry"),
    ("ListConfigurationRecorders", "repeated-token"),
]
# Probes of the customer-role scenario; the SCP walk is read as the management account.
PROBES = [
    ("ListPoliciesForTarget", "no-id"),
    ("ListPoliciesForTarget", "repeated-token"),
    ("ListRolePolicies", "truncated-no-marker"),
    ("ListAttachedRolePolicies", "no-arn"),
    ("ListAttachedRolePolicies", "truncated-no-marker"),
    ("GetPolicy", "no-default-version"),
    ("DescribeKey", "no-metadata"),
    ("GetKeyPolicy", "no-policy"),
]
MANAGEMENT_CALLS = {"ListPoliciesForTarget"}
STORED = [("GetComplianceDetailsByConfigRule", v) for v in ("no-qualifier", "vanishes", "repeated-token")]
LISTING = [("ListAccounts", v) for v in ("repeated-token", "no-state", "empty", "no-id")]
PLACEMENT = [("ListAccountsForParent", "no-id"), ("ListAccountsForParent", "repeated-token"),
             ("ListOrganizationalUnitsForParent", "repeated-token")]
PUBLISH = [("PutEvents", v) for v in ("short-entries", "failed-count", "no-event-id")]
HUB = [("GetFindings", "no-id"), ("GetFindings", "repeated-token"), ("BatchImportFindings", "no-failed-count")]
# Exercised elsewhere in this file by name (not parametrised).
NAMED = {("ListAccounts", "half"), ("DescribeAccount", "no-state"), ("GetCallerIdentity", "no-account"),
         ("DescribeOrganization", "no-organization"), ("DescribeTrails", "no-arn")}


def test_every_incomplete_answer_the_emulator_gives_is_exercised():
    covered = set(CONFIG_READS + PROBES + STORED + LISTING + PLACEMENT + PUBLISH + HUB) | NAMED
    offered = {(op, v) for op, variants in incomplete.variants().items() for v in variants}
    assert offered == covered, {"not exercised": offered - covered, "not offered": covered - offered}


def incomplete_fault(operation: str, variant: str) -> dict:
    return {"operation": operation, "fault": "incomplete", "variant": variant}


def invoke(emulator, lambda_runtime, account: str, token: str, **parameters: str):
    result = lambda_runtime.invoke(config_event(account, token=token, parameters=parameters or None),
                                   rule_env(emulator, account))
    evaluations = [e for c in emulator.put_evaluation_calls() if c["resultToken"] == token for e in c["evaluations"]]
    return result, evaluations


@pytest.mark.parametrize("operation,variant", CONFIG_READS)
def test_an_incomplete_config_answer_cannot_be_verified(emulator, lambda_runtime, operation, variant):
    scenario = seed(emulator, "healthy")
    emulator.set_overrides(scenario.account, REGION, {"faults": [incomplete_fault(operation, variant)]})
    result, [evaluation] = invoke(emulator, lambda_runtime, scenario.account, f"{operation}-{variant}")
    assert result.ok, result.stderr + result.function_logs
    assert evaluation["ComplianceType"] == "NON_COMPLIANT", evaluation
    assert evaluation["Annotation"].startswith("cannot verify: "), evaluation
    assert sum(f["calls"] for f in emulator.faults()) > 0


@pytest.fixture(scope="module")
def probed(emulator_session):
    emulator_session.reset()
    return seed(emulator_session, "customer-role-in-organization")


@pytest.mark.parametrize("operation,variant", PROBES)
def test_an_incomplete_probe_answer_is_unverified_never_a_pass(probed, emulator_session, lambda_runtime,
                                                               operation, variant):
    emulator = emulator_session
    caller = MANAGEMENT if operation in MANAGEMENT_CALLS else probed.account
    emulator.reset_faults()
    emulator.set_overrides(caller, REGION, {"faults": [incomplete_fault(operation, variant)]})
    try:
        params = {**probed.parameters, "StrictProbes": "true"}
        result, [evaluation] = invoke(emulator, lambda_runtime, probed.account, f"p-{operation}-{variant}", **params)
        hits = sum(f["calls"] for f in emulator.faults() if f["account"] == caller)
    finally:
        emulator.set_overrides(caller, REGION, {"faults": []})
    assert result.ok, result.stderr + result.function_logs
    assert hits > 0, f"{operation} was never called"
    assert evaluation["ComplianceType"] == "NON_COMPLIANT", evaluation
    assert "unverified" in evaluation["Annotation"] and "incomplete answer" in evaluation["Annotation"], evaluation


def test_an_organization_answer_without_the_organization_is_not_outside_one(emulator, lambda_runtime):
    """DescribeOrganization answering without an Organization is incomplete, not "in no Organization":
    an RCP that conditions on aws:SourceOrgID cannot be judged on it."""
    scenario = seed(emulator, "rcp-requires-source-org-id")
    emulator.set_overrides(scenario.account, REGION, {"faults": [incomplete_fault("DescribeOrganization",
                                                                                  "no-organization")]})
    result, [evaluation] = invoke(emulator, lambda_runtime, scenario.account, "org-missing", StrictProbes="true",
                                  **scenario.parameters)
    assert result.ok, result.stderr + result.function_logs
    assert evaluation["ComplianceType"] == "NON_COMPLIANT", evaluation
    assert "unverified: the account's Organization (aws:SourceOrgID) (DescribeOrganization incomplete answer" \
        in evaluation["Annotation"], evaluation


def enable_keys(emulator, account: str) -> None:
    kms = Account(emulator, account).client("kms")
    for key in kms.list_keys()["Keys"]:
        kms.enable_key(KeyId=key["KeyId"])


@pytest.mark.parametrize("operation,variant", STORED)
def test_incomplete_stored_results_never_let_a_recovery_through(emulator, lambda_runtime, operation, variant):
    scenario = seed(emulator, "kms-key-disabled")
    account = scenario.account
    first, _ = invoke(emulator, lambda_runtime, account, emulator.result_token(account, RULE))
    assert first.ok, first.stderr + first.function_logs
    # Repaired, but the key can no longer be read, and Config's results come back incomplete: what
    # Config holds is unknown, so the COMPLIANT verdict is held back.
    enable_keys(emulator, account)
    emulator.set_overrides(account, REGION, {
        **delivered_after_repair("KMS.DisabledException"),
        "faults": [{"operation": "DescribeKey", "fault": "access_denied"}, incomplete_fault(operation, variant)]})
    event = config_event(account, token=emulator.result_token(account, RULE))
    event["configRuleName"] = RULE
    result = lambda_runtime.invoke(event, rule_env(emulator, account))
    assert result.ok, result.stderr + result.function_logs
    [evaluation] = [e for c in emulator.put_evaluation_calls() if c["resultToken"] == event["resultToken"]
                    for e in c["evaluations"]]
    assert evaluation["ComplianceType"] == "NON_COMPLIANT", evaluation
    assert evaluation["Annotation"].startswith("cannot verify recovery"), evaluation
    assert "stored-results-unreadable" in result.function_logs
    assert '"kind":"incomplete"' in result.function_logs


@pytest.fixture(scope="module")
def org(emulator_session):
    emulator_session.reset()
    ok = ("COMPLIANT", "delivery pipeline healthy in 1 region(s)")
    plan = [Member("management", "", "healthy", *ok), Member("member-a", "workloads", "healthy", *ok),
            Member("member-b", "sandbox", "healthy", *ok), Member("member-c", "sandbox", "healthy", *ok)]
    return build(emulator_session, plan, regions=[REGIONS[0]])


def watchdog(org, lambda_runtime, rule: str):
    """One watchdog run with a token for `rule`; its evaluations by account."""
    params = org.parameters("watchdog", Regions=REGIONS[0])
    del params["OrganizationReadRoleArn"]  # the management account lists its own Organization
    event = config_event(MANAGEMENT, token=org.emulator.result_token(MANAGEMENT, rule), parameters=params)
    event["configRuleName"] = rule
    result = lambda_runtime.invoke(event, rule_env(org.emulator, MANAGEMENT), timeout=180)
    evaluations = {e["ComplianceResourceId"]: e for c in org.emulator.put_evaluation_calls()
                   if c["resultToken"] == event["resultToken"] for e in c["evaluations"]}
    return result, evaluations


@pytest.mark.parametrize("operation,variant", LISTING + [("ListAccounts", "half")])
def test_a_short_account_list_makes_no_member_not_applicable(org, lambda_runtime, operation, variant):
    emulator = org.emulator
    rule = f"wd-{variant}"
    before, _ = watchdog(org, lambda_runtime, rule)  # Config holds every member's result
    assert before.ok, before.stderr + before.function_logs
    emulator.reset_faults()
    emulator.set_overrides(MANAGEMENT, REGIONS[0], {"faults": [incomplete_fault(operation, variant)]})
    try:
        result, evaluations = watchdog(org, lambda_runtime, rule)
    finally:
        emulator.set_overrides(MANAGEMENT, REGIONS[0], {"faults": []})
    assert result.ok, result.stderr + result.function_logs
    # Delta reporting leaves unchanged members unreported; none becomes NOT_APPLICABLE.
    assert {e["ComplianceType"] for e in evaluations.values()} <= {"COMPLIANT", "NON_COMPLIANT"}, evaluations
    unverified = {a for a, e in evaluations.items() if e["Annotation"].startswith("cannot verify")}
    if variant == "half":
        # The listing dropped members: DescribeAccount says they are ACTIVE, so the listing was short.
        assert unverified, evaluations
        assert all("the listing was short" in evaluations[a]["Annotation"] for a in unverified), evaluations
    else:
        assert unverified == {m.account for m in org.members}, evaluations
        assert all("ListAccounts incomplete answer" in evaluations[a]["Annotation"] for a in unverified)


def test_an_account_that_cannot_be_confirmed_gone_is_not_not_applicable(org, lambda_runtime):
    emulator = org.emulator
    rule = "wd-describe-account"
    before, _ = watchdog(org, lambda_runtime, rule)
    assert before.ok, before.stderr + before.function_logs
    emulator.set_overrides(MANAGEMENT, REGIONS[0], {"faults": [incomplete_fault("ListAccounts", "half"),
                                                               incomplete_fault("DescribeAccount", "no-state")]})
    try:
        result, evaluations = watchdog(org, lambda_runtime, rule)
    finally:
        emulator.set_overrides(MANAGEMENT, REGIONS[0], {"faults": []})
    assert result.ok, result.stderr + result.function_logs
    missing = [a for a, e in evaluations.items() if "ListAccounts did not name" in e["Annotation"]]
    assert missing, evaluations
    for account in missing:
        assert evaluations[account]["ComplianceType"] == "NON_COMPLIANT"
        assert "DescribeAccount incomplete answer" in evaluations[account]["Annotation"], evaluations[account]


@pytest.mark.parametrize("operation,variant", PLACEMENT + [("DescribeTrails", "no-arn")])
def test_an_incomplete_ou_tree_or_trail_list_changes_no_verdict_and_is_said(org, lambda_runtime, operation, variant):
    emulator = org.emulator
    caller = org.by_name("member-a").account if operation == "DescribeTrails" else MANAGEMENT
    emulator.set_overrides(caller, REGIONS[0], {"faults": [incomplete_fault(operation, variant)]})
    try:
        result, evaluations = watchdog(org, lambda_runtime, f"wd-{operation}-{variant}")
    finally:
        emulator.set_overrides(caller, REGIONS[0], {"faults": []})
    assert result.ok, result.stderr + result.function_logs
    assert {e["ComplianceType"] for e in evaluations.values()} == {"COMPLIANT"}, evaluations
    if operation == "DescribeTrails":
        assert "root-cause probes unverified in 1" in evaluations[caller]["Annotation"], evaluations[caller]
    else:
        assert "ous-unreadable" in result.function_logs and '"kind":"incomplete"' in result.function_logs


@pytest.mark.parametrize("operation,variant", PUBLISH)
def test_a_short_put_events_answer_is_not_published(emulator, lambda_runtime, operation, variant):
    account = Account(emulator, "141414141414", REGION)
    account.pipeline()
    deploy_rule(account, {"Mode": "account"})
    queue = capture_health_events(account)
    params = {"Mode": "account", "DeltaReporting": "true", "HealthEventBus": "default"}
    token = emulator.result_token(account.account, RULE)
    event = config_event(account.account, token=token, parameters=params)
    event["configRuleName"] = RULE
    assert lambda_runtime.invoke(event, rule_env(emulator, account.account)).ok
    received_events(account, queue)
    account.client("config").stop_configuration_recorder(ConfigurationRecorderName="default")
    account.override({"faults": [incomplete_fault(operation, variant)]})
    event["resultToken"] = token = emulator.result_token(account.account, RULE)
    result = lambda_runtime.invoke(event, rule_env(emulator, account.account))
    assert not result.ok, "Lambda must retry a change whose event EventBridge did not take"
    assert "health-change event(s) not published" in result.stdout + result.stderr
    assert "PutEvents incomplete answer" in result.stdout + result.stderr + result.function_logs
    held = [e for c in emulator.put_evaluation_calls() if c["resultToken"] == token for e in c["evaluations"]]
    assert held == [], "the change's evaluation waits for its event"


@pytest.mark.parametrize("operation,variant", PUBLISH)
def test_the_event_path_fails_when_its_health_event_is_not_taken(emulator, lambda_runtime, operation, variant):
    account = Account(emulator, "151515151515", REGION)
    account.pipeline()
    deploy_rule(account, {"Mode": "account", "HealthEventBus": "default"})
    capture_health_events(account)
    account.client("config").stop_configuration_recorder(ConfigurationRecorderName="default")
    account.override({"faults": [incomplete_fault(operation, variant)]})
    event = cloudtrail_event(account.account, REGION, "config.amazonaws.com", "StopConfigurationRecorder")
    env = {**rule_env(emulator, account.account), "DELIVERY_GUARD_CONFIG_RULE_NAME": RULE}
    result = lambda_runtime.invoke(event, env)
    assert not result.ok, "the on-failure destination must keep the event"
    assert "health-change event(s) not published" in result.stdout + result.stderr


def test_the_event_path_fails_when_it_cannot_tell_its_own_account(emulator, lambda_runtime):
    account = Account(emulator, "161616161616", REGION)
    account.pipeline()
    deploy_rule(account, {"Mode": "account"})
    account.override({"faults": [incomplete_fault("GetCallerIdentity", "no-account")]})
    event = cloudtrail_event(account.account, REGION, "config.amazonaws.com", "StopConfigurationRecorder")
    env = {**rule_env(emulator, account.account), "DELIVERY_GUARD_CONFIG_RULE_NAME": RULE}
    result = lambda_runtime.invoke(event, env)
    assert not result.ok, "an event this function cannot place must go to the on-failure destination"
    assert "cannot tell which account this function judges" in result.stdout + result.stderr


@pytest.mark.parametrize("operation,variant", HUB)
def test_an_incomplete_security_hub_answer_resolves_nothing_and_fails(emulator, lambda_runtime, operation, variant):
    scenario = seed(emulator, "kms-key-disabled")
    account = scenario.account
    first, _ = invoke(emulator, lambda_runtime, account, "hub-1", SecurityHubFindings="true")
    assert first.ok, first.stderr + first.function_logs
    hub = Account(emulator, account).client("securityhub")
    before = {f["Id"]: f for f in hub.get_findings()["Findings"]}
    enable_keys(emulator, account)
    emulator.set_overrides(account, REGION, {**delivered_after_repair("KMS.DisabledException"),
                                             "faults": [incomplete_fault(operation, variant)]})
    result, [evaluation] = invoke(emulator, lambda_runtime, account, "hub-2", SecurityHubFindings="true")
    assert not result.ok, "Lambda must retry what Security Hub did not take"
    assert "not everything was published" in result.stdout + result.stderr
    emulator.set_overrides(account, REGION, {"faults": []})
    after = {f["Id"]: f for f in hub.get_findings()["Findings"]}
    if operation == "GetFindings":
        assert after == before, "nothing may be resolved on a listing that was not complete"
