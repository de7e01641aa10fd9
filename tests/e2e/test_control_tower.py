"""AWS Control Tower's own pipeline judged where it runs (tests/emulator/control_tower.py): its
recorder, channel and log archive bucket, its mandatory SCPs, an account it does not govern. Each
case through the Lambda (organization mode, as the control-tower example deploys it) and the CLI,
and no remediation tells a Control Tower user to make a call the landing zone denies."""

from __future__ import annotations

import json

import pytest

from emulator.control_tower import HOME_REGION, bucket_policy, build
from emulator.harness import run_cli
from emulator.organization import AUDIT_ROLE, EXTERNAL_ID
from emulator.scenarios import config_event, rule_env

pytestmark = pytest.mark.xdist_group("control-tower")

REGIONS = [HOME_REGION]
# What GRCONFIGENABLED and the log archive bucket-policy control deny to all but
# AWSControlTowerExecution, as a remediation would spell it.
FORBIDDEN = ("put-delivery-channel", "put-configuration-recorder", "put-bucket-policy", "terraform module config-recorder",
             "terraform module log-archive")


@pytest.fixture(scope="module")
def zone(emulator_session):
    emulator_session.reset()
    return build(emulator_session, REGIONS)


def through_the_lambda(zone, lambda_runtime, name: str, token: str) -> tuple[dict, list[dict]]:
    """The member's evaluation, as the audit account's function reports it, and its findings."""
    account = zone.accounts[name]
    result = lambda_runtime.invoke(config_event(account, token=token, parameters=zone.parameters("organization")),
                                   rule_env(zone.emulator, zone.audit))
    assert result.ok, result.stderr + result.function_logs
    [evaluation] = [e for c in zone.emulator.put_evaluation_calls() if c["resultToken"] == token
                    for e in c["evaluations"]]
    [verdict] = [line for line in result.log_lines() if line.get("event") == "verdict"]
    return evaluation, [f for j in verdict.get("judgements", [verdict]) for f in j.get("findings", [])]


def through_the_cli(zone, *names: str) -> dict[str, dict]:
    """Each account's scan result, judged from the audit account through the audit roles."""
    params = {k: v for k, v in zone.parameters("organization").items() if k not in ("Mode", "AuditRoleName", "AuditRoleExternalId")}
    result = run_cli(["scan", "--accounts", ",".join(zone.accounts[n] for n in names), "--role-name", AUDIT_ROLE, "--external-id", EXTERNAL_ID,
                      "--regions", ",".join(REGIONS), "--parameters", json.dumps(params), "--format", "json"],
                     rule_env(zone.emulator, zone.audit), timeout=120)
    assert result.returncode in (0, 1), result.stderr
    return {a["account"]["id"]: a for a in json.loads(result.stdout)["accounts"]}


def findings_of(scanned: dict) -> list[dict]:
    return [f for j in scanned["judgements"] for f in j["findings"]]


def says_only_what_control_tower_allows(findings: list[dict]) -> None:
    for finding in findings:
        text = finding["remediation"].lower()
        assert not any(call in text for call in FORBIDDEN), finding


def test_control_towers_own_pipeline_is_healthy(zone, lambda_runtime):
    # The log archive account writes to its own bucket with Control Tower's recorder role, so its
    # verdict rests on that role's policies (AWS_ConfigRole and whatever the baseline adds), which
    # the emulator cannot load: it is left out here, not guessed.
    for name in ("workload-1", "workload-2", "audit"):
        evaluation, findings = through_the_lambda(zone, lambda_runtime, name, f"ct-healthy-{name}")
        assert evaluation["ComplianceType"] == "COMPLIANT", (name, evaluation, findings)
        assert evaluation["Annotation"] == "delivery pipeline healthy: recorder recording, deliveries succeeding", evaluation
    scanned = through_the_cli(zone, "workload-1", "audit")
    assert {a["verdict"]["compliance"] for a in scanned.values()} == {"COMPLIANT"}, scanned
    assert [f for a in scanned.values() for f in findings_of(a)] == []


def test_an_edited_log_archive_bucket_policy_is_found_and_repaired_through_control_tower(zone, lambda_runtime):
    edited = bucket_policy(zone.bucket, zone.organization)
    # Someone with AWSControlTowerExecution narrowed Config's delivery to another Organization.
    edited["Statement"][3]["Condition"]["StringEquals"]["aws:SourceOrgID"] = "o-someoneelse"
    zone.put_bucket_policy(edited)
    try:
        evaluation, findings = through_the_lambda(zone, lambda_runtime, "workload-1", "ct-bucket-policy")
        assert evaluation["ComplianceType"] == "NON_COMPLIANT", evaluation
        # The recorder role writes across accounts; without a grant, Config retries as its service
        # principal, which the edited policy no longer admits.
        assert evaluation["Annotation"].startswith("latent: config.amazonaws.com (Config's retry for recorder role "
                                                   "aws-controltower-ConfigRecorderRole) cannot s3:PutObject"), evaluation
        [denied] = [f for f in findings if f["check"] == "bucket.policy-denies-delivery"]
        assert "Only Control Tower may change its log archive bucket policy" in denied["remediation"]
        says_only_what_control_tower_allows(findings)
        scanned = through_the_cli(zone, "workload-1")[zone.accounts["workload-1"]]
        assert scanned["verdict"]["compliance"] == "NON_COMPLIANT"
        says_only_what_control_tower_allows(findings_of(scanned))
    finally:
        zone.restore_bucket_policy()


def test_a_disabled_landing_zone_key_fails_delivery(zone, lambda_runtime):
    evaluation, findings = through_the_lambda(zone, lambda_runtime, "workload-keyed", "ct-key")
    assert evaluation["ComplianceType"] == "NON_COMPLIANT", evaluation
    assert "KMS.DisabledException" in evaluation["Annotation"], evaluation
    says_only_what_control_tower_allows(findings)
    scanned = through_the_cli(zone, "workload-keyed")[zone.accounts["workload-keyed"]]
    assert scanned["verdict"]["compliance"] == "NON_COMPLIANT"
    says_only_what_control_tower_allows(findings_of(scanned))


def test_a_stopped_control_tower_recorder_says_how_to_start_it_under_the_landing_zone(zone, lambda_runtime):
    evaluation, findings = through_the_lambda(zone, lambda_runtime, "workload-stopped", "ct-stopped")
    assert evaluation["ComplianceType"] == "NON_COMPLIANT", evaluation
    [stopped] = [f for f in findings if f["check"] == "recorder.not-recording"]
    assert "StartConfigurationRecorder is not among the calls GRCONFIGENABLED denies" in stopped["remediation"]
    says_only_what_control_tower_allows(findings)


def test_an_account_control_tower_does_not_govern_is_told_to_enroll(zone):
    # No recorder: Config cannot deploy an organization rule there, so the CLI (or the watchdog) judges it.
    scanned = through_the_cli(zone, "not-enrolled")[zone.accounts["not-enrolled"]]
    assert scanned["verdict"]["compliance"] == "NON_COMPLIANT", scanned
    [missing] = [f for f in findings_of(scanned) if f["check"] == "recorder.missing"]
    assert missing["remediation"].startswith("Enroll the account in Control Tower"), missing
    says_only_what_control_tower_allows(findings_of(scanned))


OUTSIDER = "777766665555"


def test_an_account_outside_the_organization_gets_nothing_about_us(zone, lambda_runtime):
    """The confused deputy: an account outside the Organization points its own organization-mode rule
    at our function, with a role of the audit role's name that trusts our function and rule
    parameters that name our log archive reader. The function reads nothing with our roles, reports
    nothing, and fails the invocation (docs/threat-model.md, "Confused deputy")."""
    from emulator.organization import audit_role_trust
    from emulator.scenarios import Account

    Account(zone.emulator, OUTSIDER).client("iam").create_role(
        RoleName=AUDIT_ROLE, AssumeRolePolicyDocument=json.dumps(audit_role_trust(zone.audit)))
    env = rule_env(zone.emulator, zone.audit)  # the function's own credentials: one AssumeRole of the harness's
    before = zone.emulator.requests()
    result = lambda_runtime.invoke(config_event(OUTSIDER, token="outsider", parameters=zone.parameters("organization")),
                                   env)
    after = zone.emulator.requests()
    assert not result.ok, result.stdout
    assert "refused: account 777766665555 is in no Organization" in result.function_logs, result.function_logs
    assert not [c for c in zone.emulator.put_evaluation_calls() if c["resultToken"] == "outsider"]
    # One AssumeRole (the outsider's own role, to ask it its Organization), never our reader's;
    # nothing of our log archive read.
    assert after.get("sts:AssumeRole", 0) - before.get("sts:AssumeRole", 0) == 1, (before, after)
    for read in ("s3:GetBucketPolicy", "s3:HeadBucket", "kms:DescribeKey", "kms:GetKeyPolicy"):
        assert after.get(read, 0) == before.get(read, 0), read
