"""Accounts that are not ACTIVE and Regions that are not enabled, as AWS presents them: a member
lists 17 Regions of which 3 are opt-in Regions it never enabled; one member is SUSPENDED (closed),
one PENDING_CLOSURE. The rule judges what can be judged and says what it did not judge."""

from __future__ import annotations

import json

import pytest

from emulator.harness import run_cli
from emulator.organization import AUDIT_ROLE, EXTERNAL_ID, Member, build
from emulator.scenarios import MANAGEMENT, ORG_READER_ROLE, Account, config_event, rule_env

REGION = "us-east-1"
# 13 of the Regions enabled by default and one opt-in Region enabled; three opt-in Regions are not.
WIDE_REGIONS = ["ap-northeast-1", "ap-northeast-2", "ap-south-1", "ap-southeast-1", "ap-southeast-2",
                "eu-central-1", "eu-west-1", "eu-west-2", "eu-west-3", "us-east-1", "us-east-2", "us-west-1",
                "us-west-2", "af-south-1"]
NOT_ENABLED = ["ap-east-1", "eu-south-1", "me-south-1"]
OK = ("COMPLIANT", "delivery pipeline healthy")


@pytest.fixture
def org(emulator):
    plan = [Member("management", "", "healthy", *OK), Member("audit", "security", "healthy", *OK),
            Member("wide", "workloads", "healthy", *OK), Member("closing", "workloads", "healthy", *OK),
            Member("closed", "sandbox", "healthy", *OK)]
    built = build(emulator, plan=plan, regions=[REGION])
    wide = built.by_name("wide").account
    enabled = {m.account: [REGION] for m in built.members}
    enabled[wide] = WIDE_REGIONS
    emulator.set_global({"enabled_regions": enabled})
    for region in WIDE_REGIONS:
        if region != REGION:
            Account(emulator, wide, region).pipeline()
    return built


def scan(org, regions: str) -> dict:
    args = ["scan", "--org", "--role-name", AUDIT_ROLE, "--external-id", EXTERNAL_ID, "--regions", regions,
            "--parameters", json.dumps({"OrganizationReadRoleArn": ORG_READER_ROLE}), "--format", "json"]
    result = run_cli(args, rule_env(org.emulator, org.audit), timeout=300)
    assert result.returncode in (0, 1), result.stderr
    return {a["account"]["id"]: a for a in json.loads(result.stdout)["accounts"]}


def regions_of(account: dict) -> dict[str, str]:
    return {r["region"]: r["compliance"] for r in account["judgements"]}


def test_a_member_is_judged_in_the_regions_it_enabled_and_nowhere_else(org):
    wide = org.by_name("wide").account
    listed = Account(org.emulator, wide).client("account").list_regions()["Regions"]
    assert len(listed) == 17 and sorted(r["RegionName"] for r in listed if r["RegionOptStatus"] == "DISABLED") == NOT_ENABLED

    accounts = scan(org, "all")
    assert regions_of(accounts[wide]) == {region: "COMPLIANT" for region in WIDE_REGIONS}
    assert accounts[wide]["verdict"]["compliance"] == "COMPLIANT"
    assert "14 region(s)" in accounts[wide]["verdict"]["annotation"]


def test_a_region_asked_for_but_not_enabled_is_never_healthy_nor_config_off(org):
    wide = org.by_name("wide").account
    account = scan(org, f"{REGION},ap-east-1")[wide]
    assert regions_of(account) == {REGION: "COMPLIANT", "ap-east-1": "NON_COMPLIANT"}
    [unread] = [r for r in account["judgements"] if r["region"] == "ap-east-1"]
    checks = {f["check"] for f in unread["findings"]}
    assert "recorder.missing" not in checks, "an unreachable Region is not a Region without Config"
    assert checks == {"evidence.unreadable"}, unread["findings"]
    assert "UnrecognizedClientException" in json.dumps(unread["findings"])


def test_suspended_and_closing_accounts_are_not_applicable_not_frozen(org, lambda_runtime):
    params = org.parameters("watchdog", Regions=REGION)
    env = rule_env(org.emulator, org.audit)

    def run() -> dict[str, dict]:
        token = org.emulator.result_token(org.audit, "config-delivery-pipeline")
        result = lambda_runtime.invoke(config_event(org.audit, token=token, parameters=params), env, timeout=120)
        assert result.ok, result.stderr + result.function_logs
        return {e["ComplianceResourceId"]: e for c in org.emulator.put_evaluation_calls()
                if c["resultToken"] == token for e in c["evaluations"]}

    first = run()
    assert {account: e["ComplianceType"] for account, e in first.items()} == {
        m.account: "COMPLIANT" for m in org.members}, first

    closing, closed = org.by_name("closing").account, org.by_name("closed").account
    Account(org.emulator, MANAGEMENT).client("organizations").close_account(AccountId=closed)
    org.emulator.set_global({"account_states": {closing: "PENDING_CLOSURE"}})
    states = {a["Id"]: a["State"] for a in
              Account(org.emulator, MANAGEMENT).client("organizations").list_accounts()["Accounts"]}
    assert (states[closing], states[closed]) == ("PENDING_CLOSURE", "SUSPENDED")

    second = run()
    for account in (closing, closed):
        assert second[account]["ComplianceType"] == "NOT_APPLICABLE", second[account]
        assert "no longer an ACTIVE member" in second[account]["Annotation"]
    # Delta reporting: the others did not change, so they are not reported again; these two are.
    assert set(second) == {closing, closed}, second
