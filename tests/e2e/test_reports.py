"""The reports a platform team lives in, on an Organization where four members share one root cause:
an SCP on the "workloads" OU denies the customer-managed recorder role they record with.

Root-cause clusters (with OUs) in the table, JSON, Markdown and the watchdog's annotation and health
events; OCSF validated against the OCSF 1.1.0 schema (PyPI ocsf-json-schema, pinned); what changed
since a baseline; and the HTML report of 1,000 accounts x 17 Regions in Debian's Chromium, made from
this scan's real verdicts with the account IDs rewritten.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import jsonschema
import pytest

from emulator.browser import page_of
from emulator.deployment import capture_health_events, deploy_rule, received_events
from emulator.fleet import SEVENTEEN_REGIONS, fleet_of
from emulator.harness import REPO, run_cli
from emulator.organization import (AUDIT_ROLE, EXTERNAL_ID, REGIONS, build, deny_recorder_role_writes,
                                   members_sharing_a_cause)
from emulator.scenarios import MANAGEMENT, ORG_READER_ROLE, Account, config_event, rule_env

# One worker builds this module's Organization once (make e2e runs with --dist loadgroup);
# spread over every worker, each built its own (35 to 58 s each).
pytestmark = pytest.mark.xdist_group("reports")

# Screenshots and the load figure of the large report, for a person to look at (gitignored).
ARTIFACTS = Path(os.environ.get("DELIVERY_GUARD_ARTIFACTS", REPO / "tests" / ".artifacts"))
SCP_CHECK = "organization.scp-denies-delivery"


@pytest.fixture(scope="module")
def org(emulator_session):
    emulator_session.reset()
    built = build(emulator_session, plan=members_sharing_a_cause())
    deny_recorder_role_writes(emulator_session, "workloads")
    return built


@pytest.fixture
def emulator(org):
    org.emulator.reset_faults()
    return org.emulator


def scan(org, fmt: str, *extra: str, expect: int = 1) -> str:
    args = ["scan", "--org", "--role-name", AUDIT_ROLE, "--external-id", EXTERNAL_ID,
            "--regions", ",".join(REGIONS), "--parameters", json.dumps({"OrganizationReadRoleArn": ORG_READER_ROLE}),
            "--format", fmt, *extra]
    result = run_cli(args, rule_env(org.emulator, org.audit), timeout=300)
    assert result.returncode == expect, result.stdout[-2000:] + result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def saved(org, tmp_path_factory) -> Path:
    """One scan's JSON report, saved as a user would (`scan --format json > scan.json`)."""
    org.emulator.reset_faults()
    path = tmp_path_factory.mktemp("scans") / "scan.json"
    path.write_text(scan(org, "json"))
    return path


def payments(org) -> set[str]:
    return {m.account for m in org.members if m.name.startswith("payments-")}


def test_members_broken_by_one_scp_are_one_root_cause_with_their_ous(org, emulator, saved):
    report = json.loads(saved.read_text())
    assert report["scan"]["tool"] == "config-delivery-guard" and report["scan"]["organization_id"].startswith("o-")
    assert report["scan"]["parameters"] == {"OrganizationReadRoleArn": ORG_READER_ROLE}
    largest = report["clusters"][0]
    assert largest["check"] == SCP_CHECK, largest
    assert "NoRecorderWrites" in largest["cause"], largest["cause"]
    assert {m["account_id"] for m in largest["members"]} == payments(org)
    assert (largest["accounts"], len(largest["members"])) == (4, 8)
    assert largest["ous"] == ["Root/workloads", "Root/workloads/prod"]
    ous = {a["account"]["id"]: a["account"].get("ou") for a in report["accounts"]}
    assert ous[org.by_name("payments-3").account] == "Root/workloads/prod"
    assert ous[org.by_name("audit").account] == "Root/security"
    assert ous[org.by_name("management").account] == "Root"
    table = scan(org, "table")
    assert f"8 account-region(s) in 4 account(s): [Critical] {SCP_CHECK}" in table, table[-3000:]
    assert "OU: Root/workloads, Root/workloads/prod" in table


def test_the_watchdog_sends_one_event_for_the_shared_cause_not_one_per_account(org, emulator, lambda_runtime):
    audit = Account(org.emulator, org.audit, "us-east-1")
    parameters = org.parameters("watchdog", Regions=",".join(REGIONS))
    deploy_rule(audit, parameters)
    queue = capture_health_events(audit)
    parameters["HealthEventBus"] = "default"
    token = org.emulator.result_token(org.audit, "config-delivery-pipeline")
    result = lambda_runtime.invoke(config_event(org.audit, token=token, parameters=parameters),
                                   rule_env(org.emulator, org.audit), timeout=300)
    assert result.ok, result.stderr + result.function_logs
    annotation = result.response()["annotation"]
    assert f"largest root cause: {SCP_CHECK} (" in annotation and "breaks 4 of 25 account(s)" in annotation, annotation

    events = received_events(audit, queue)
    [cause] = [e for e in events if e["detail-type"] == "Delivery Pipeline Root Cause"]
    detail = cause["detail"]
    assert detail["check"] == SCP_CHECK and (detail["breaks_accounts"], detail["breaks_account_regions"]) == (4, 8)
    assert {c["account_id"] for c in detail["changes"]} == payments(org)
    assert all(c["new"]["compliance"] == "NON_COMPLIANT" for c in detail["changes"])
    assert detail["remediation"] and detail["ous"] == ["Root/workloads", "Root/workloads/prod"]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "root-cause-event.json").write_text(json.dumps(cause, indent=2))
    singles = [e["detail"]["account_id"] for e in events if e["detail-type"] == "Delivery Pipeline Health Change"]
    assert not payments(org) & set(singles), "the shared cause's accounts are not announced one by one"
    failing_alone = {m.account for m in org.members if m.expected == "NON_COMPLIANT"} - payments(org)
    assert set(singles) == failing_alone, "every other broken account keeps its own event"


def test_ocsf_findings_validate_against_the_ocsf_schema_and_carry_the_asff_ids(org, emulator, saved):
    from ocsf_json_schema import OcsfJsonSchemaEmbedded, get_ocsf_schema

    schema = OcsfJsonSchemaEmbedded(get_ocsf_schema(version="1.1.0")).get_class_schema(
        class_name="compliance_finding", profiles=["cloud"])
    validator = jsonschema.Draft202012Validator(schema)
    ocsf = json.loads(run_cli(["report", str(saved), "--format", "ocsf"], {}).stdout)
    asff = json.loads(run_cli(["report", str(saved), "--format", "asff"], {}).stdout)
    assert ocsf, "findings were written"
    for finding in ocsf:
        errors = sorted(validator.iter_errors(finding), key=str)
        assert not errors, f"{finding['finding_info']['uid']}: {errors[0]}"
    assert [f["finding_info"]["uid"] for f in ocsf] == [f["Id"] for f in asff]
    scp = [f for f in ocsf if f["compliance"]["control"] == SCP_CHECK]
    assert {f["cloud"]["account"]["uid"] for f in scp} == payments(org)
    assert {f["compliance"]["status"] for f in scp} == {"Fail"} and scp[0]["severity"] == "Critical"
    # The catalogue's mapped requirements (rule/core/src/checks/requirements.rs) travel with each finding.
    assert "NIST.800-53.r5 AU-9" in scp[0]["compliance"]["requirements"]
    assert "CIS AWS Foundations Benchmark v3.0.0" in scp[0]["compliance"]["standards"]
    # ASFF against Security Hub's own model (botocore): BatchImportFindings takes these findings.
    from botocore.session import get_session
    from botocore.validate import ParamValidator

    model = get_session().get_service_model("securityhub").operation_model("BatchImportFindings").input_shape
    report = ParamValidator().validate({"Findings": asff}, model)
    assert not report.has_errors(), report.generate_report()
    scp_asff = [f for f in asff if f["GeneratorId"].endswith(SCP_CHECK)]
    assert "PCI DSS v3.2.1/10.5.2" in scp_asff[0]["Compliance"]["RelatedRequirements"]
    broken_asff = dict(asff[0], Compliance={"Status": "FAILED", "RelatedRequirements": "NIST.800-53.r5 AU-9"})
    assert ParamValidator().validate({"Findings": [broken_asff]}, model).has_errors()
    # The schema refuses what is not OCSF: the test would see a wrong class or a missing field.
    broken = dict(ocsf[0], class_uid=2001)
    assert list(validator.iter_errors(broken))
    assert list(validator.iter_errors({k: v for k, v in ocsf[0].items() if k != "finding_info"}))


def test_markdown_summary_names_the_counts_the_causes_and_the_failing_accounts(org, emulator, saved):
    page = run_cli(["report", str(saved), "--format", "markdown"], {}).stdout
    assert page.startswith("## AWS Config delivery: 10 of 25 account(s) failing, 1 unverified")
    causes = page.split("### Root causes", 1)[1]
    first_row = next(line for line in causes.splitlines() if line.startswith("| 1 |"))
    assert f"| 1 | 8 | 4 | `{SCP_CHECK}`" in first_row and "Root/workloads/prod" in first_row, first_row
    for member in org.members:
        assert (f"`{member.account}`" in page) == (member.expected == "NON_COMPLIANT"), member.name


def test_what_changed_since_the_baseline_and_fail_on_new(org, emulator, saved, tmp_path):
    report = json.loads(saved.read_text())
    # Nothing changed: failing accounts remain, but none is new, so CI passes with --fail-on new.
    same = json.loads(scan(org, "json", "--baseline", str(saved), "--fail-on", "new", expect=0))
    assert same["changes"]["new_failures"] == [] and same["changes"]["fixed"] == []
    assert len(same["changes"]["still_failing"]) == sum(len(m.failing_regions) for m in org.members)

    broken = org.by_name("dev-1")
    config = Account(org.emulator, broken.account, "us-east-1").client("config")
    config.stop_configuration_recorder(ConfigurationRecorderName="default")
    try:
        text = scan(org, "markdown", "--baseline", str(saved), "--fail-on", "new", expect=1)
        assert "**1 new failure(s)**, 0 fixed" in text, text[:1500]
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / "summary-with-baseline.md").write_text(text)
        assert f"`{broken.account} us-east-1` recorder.not-recording" in text
        changed = json.loads(scan(org, "json", "--baseline", str(saved)))
        assert [(p["account_id"], p["region"]) for p in changed["changes"]["new_failures"]] == [(broken.account, "us-east-1")]
        html = scan(org, "html", "--baseline", str(saved))
        assert "1 new failure(s)</span>, 0 fixed" in html
    finally:
        config.start_configuration_recorder(ConfigurationRecorderName="default")

    for field, value, said in (("version", "0.0.1", "was written by config-delivery-guard 0.0.1"),
                               ("organization_id", "o-elsewhere1", "is a scan of o-elsewhere1")):
        other = tmp_path / f"{field}.json"
        other.write_text(json.dumps({**report, "scan": {**report["scan"], field: value}}))
        result = run_cli(["report", str(saved), "--baseline", str(other)], {})
        assert result.returncode == 2 and said in result.stderr, result.stderr
    garbled = tmp_path / "garbled.json"
    garbled.write_text(saved.read_text()[:500])
    result = run_cli(["report", str(saved), "--baseline", str(garbled)], {})
    assert result.returncode == 2 and "is not a scan report" in result.stderr, result.stderr
    result = run_cli(["report", str(saved), "--fail-on", "new"], {})
    assert result.returncode == 2 and "--baseline" in result.stderr, result.stderr


@pytest.mark.parametrize("operation", ["ListRoots", "ListOrganizationalUnitsForParent", "ListAccountsForParent"])
def test_an_unreadable_ou_tree_leaves_the_ous_unknown_and_says_so(org, emulator, operation):
    emulator.set_overrides(MANAGEMENT, "us-east-1", {"faults": [{"operation": operation, "fault": "access_denied"}]})
    try:
        args = ["scan", "--org", "--role-name", AUDIT_ROLE, "--external-id", EXTERNAL_ID, "--regions", ",".join(REGIONS),
                "--parameters", json.dumps({"OrganizationReadRoleArn": ORG_READER_ROLE}), "--format", "json"]
        result = run_cli(args, rule_env(org.emulator, org.audit), timeout=300)
    finally:
        emulator.set_overrides(MANAGEMENT, "us-east-1", {"faults": []})
    assert result.returncode == 1, result.stderr
    assert f"OUs not shown, and exceptions that name OUs do not apply: {operation} access denied" in result.stderr, result.stderr
    assert "grant organizations:ListRoots, ListOrganizationalUnitsForParent and ListAccountsForParent" in result.stderr
    report = json.loads(result.stdout)
    assert all("ou" not in a["account"] for a in report["accounts"])
    verdicts = {a["account"]["id"]: a["verdict"]["compliance"] for a in report["accounts"]}
    assert verdicts == org.expected(), "the verdicts do not depend on the OUs"
    assert report["clusters"][0]["ous"] == [] and report["clusters"][0]["accounts"] == 4


def test_the_saved_scan_says_the_external_id_is_set_never_what_it_is(org, emulator):
    member = org.by_name("prod-1").account
    args = ["scan", "--accounts", member, "--role-name", AUDIT_ROLE, "--regions", "us-east-1", "--format", "json",
            "--parameters", json.dumps({"AuditRoleExternalId": EXTERNAL_ID})]
    result = run_cli(args, rule_env(org.emulator, org.audit), timeout=120)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["scan"]["parameters"] == {"AuditRoleExternalId": "(set)"} and EXTERNAL_ID not in result.stdout
    assert report["scan"]["scope"] == "1 listed account(s)"


# --- accepted exceptions: an SCP break accepted in one OU, until it expires ---------------------------

PAYMENTS_CHECKS = [SCP_CHECK, "channel.snapshot-delivery-failure", "channel.history-delivery-failure"]


def exceptions_document(expires: str) -> str:
    return json.dumps({"version": 1, "exceptions": [
        {"id": "payments-scp-rework", "ous": ["Root/workloads"], "checks": PAYMENTS_CHECKS,
         "reason": "SCP rework under CHG-1234", "owner": "platform-team", "expires": expires},
        {"id": "decommissioned", "accounts": ["999999999999"], "checks": ["*"],
         "reason": "account closed in November", "owner": "ops", "expires": expires},
    ]})


def covered_regions(report: dict) -> int:
    """Account-Regions under Root/workloads with a failure of the accepted checks (wholly accepted
    or not): what the exception reports it accepted in."""
    return sum(1 for a in report["accounts"] if (a["account"].get("ou") or "").startswith("Root/workloads")
               for r in a["judgements"] if any(f["check"] in PAYMENTS_CHECKS for f in r["findings"]))


def in_days(days: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + days * 86400))


def test_report_with_exceptions_shows_the_accepted_apart_and_what_matches_nothing(org, emulator, saved, tmp_path):
    document = tmp_path / "exceptions.json"
    document.write_text(exceptions_document(in_days(30)))
    result = run_cli(["report", str(saved), "--exceptions", str(document), "--format", "json"], {})
    assert result.returncode == 1, result.stderr  # other accounts still fail
    report = json.loads(result.stdout)
    assert report["summary"]["accepted"] == 4 and report["summary"]["failing"] == 6, report["summary"]
    accounts = {a["account"]["id"]: a for a in report["accounts"]}
    for account in payments(org):
        verdict = accounts[account]["verdict"]
        assert verdict["compliance"] == "NON_COMPLIANT", "an accepted failure is still a failure on the record"
        assert verdict["annotation"].startswith("accepted until ") and "(platform-team): SCP rework under CHG-1234" in verdict["annotation"]
        accepted = [a for r in accounts[account]["judgements"] for a in r["accepted"]]
        assert {a["check"] for a in accepted} == set(PAYMENTS_CHECKS)
    assert SCP_CHECK not in [c["check"] for c in report["clusters"]], "an accepted cause is no root cause to act on"
    statuses = {e["id"]: e["status"] for e in report["exceptions"]}
    assert covered_regions(report) > 8, "other failures under the OU share a check"
    assert statuses == {"payments-scp-rework": f"accepted in {covered_regions(report)} account-Region(s)",
                        "decommissioned": "matches nothing: no failing account-Region it covers"}
    assert "exception decommissioned (ops, until" in result.stderr and "matches nothing" in result.stderr
    table = run_cli(["report", str(saved), "--exceptions", str(document)], {}).stdout
    assert "ACCEPTED" in table and "day(s) left) by platform-team: SCP rework under CHG-1234" in table
    assert "4 accepted (failing under an exception)" in table
    markdown = run_cli(["report", str(saved), "--exceptions", str(document), "--format", "markdown"], {}).stdout
    assert "### Accepted (4)" in markdown
    page_file = tmp_path / "accepted.html"
    page_file.write_text(run_cli(["report", str(saved), "--exceptions", str(document), "--format", "html"], {}).stdout)
    with page_of(page_file, 1280, 900) as (page, _):
        page.wait_for_function("document.body.dataset.ready === '1'")
        assert page.locator("#accepted b").inner_text() == "4" and page.locator("#failing b").inner_text() == "6"
        page.locator("#tab-accounts").click()
        page.select_option("#f-verdict", "accepted")
        shown = page.evaluate("Array.from(document.querySelectorAll('#grid-body tr')).filter(r => r.offsetParent !== null).map(r => r.dataset.account)")
        assert set(shown) == payments(org), shown
        assert page.locator("#grid-body button.cell.accepted").count() == 8
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "report-accepted.png"))

    # Expired, past the cap, or an unknown check: never applied, each said.
    document.write_text(exceptions_document(in_days(-1)))
    expired = json.loads(run_cli(["report", str(saved), "--exceptions", str(document), "--format", "json"], {}).stdout)
    assert expired["summary"]["accepted"] == 0 and expired["summary"]["failing"] == 10
    assert expired["exceptions"][0]["status"].startswith("expired on ")
    assert f"{covered_regions(report)} account-Region(s) it covered fail again" in expired["exceptions"][0]["status"]
    document.write_text(exceptions_document(in_days(400)))
    capped = json.loads(run_cli(["report", str(saved), "--exceptions", str(document), "--format", "json"], {}).stdout)
    assert capped["summary"]["accepted"] == 0 and "180-day cap" in capped["exceptions"][0]["status"]
    # An invalid document is an error that names the entry and what is wrong.
    document.write_text(exceptions_document(in_days(30)).replace('"owner": "ops", ', ""))
    invalid = run_cli(["report", str(saved), "--exceptions", str(document)], {})
    assert invalid.returncode == 2 and "exception 2 (decommissioned)" not in invalid.stderr and "missing field `owner`" in invalid.stderr, invalid.stderr


def watchdog_with(org, lambda_runtime, rule: str, exceptions_object: str | None, **extra: str):
    """A watchdog run under its own rule name (its own stored results), returning its outcome and
    the evaluations it reported by account."""
    token = org.emulator.result_token(org.audit, rule)
    if exceptions_object is not None:
        extra["ExceptionsObject"] = exceptions_object
    params = org.parameters("watchdog", Regions=",".join(REGIONS), **extra)
    event = config_event(org.audit, token=token, parameters=params)
    event["configRuleName"] = rule
    result = lambda_runtime.invoke(event, rule_env(org.emulator, org.audit), timeout=300)
    assert result.ok, result.stderr + result.function_logs
    reported = {e["ComplianceResourceId"]: e for c in org.emulator.put_evaluation_calls()
                if c["resultToken"] == token for e in c["evaluations"]}
    return result.response(), reported


def scp_finding(org, account: str) -> dict:
    hub = Account(org.emulator, account, "us-east-1").client("securityhub")
    [finding] = [f for f in hub.get_findings()["Findings"] if f["Id"].endswith(f"/{account}/us-east-1/{SCP_CHECK}")]
    return finding


def test_the_watchdog_accepts_until_the_expiry_then_announces_the_failure_again(org, emulator, lambda_runtime):
    audit = Account(org.emulator, org.audit, "us-east-1")
    s3 = audit.client("s3")
    s3.create_bucket(Bucket=f"exceptions-{org.audit}")
    queue = capture_health_events(audit)
    location = f"s3://exceptions-{org.audit}/exceptions.json"
    rule = "exceptions-watchdog"
    one_payments = sorted(payments(org))[0]

    # Before any exception: the SCP break is failing, announced, and open in Security Hub.
    watchdog_with(org, lambda_runtime, rule, None, SecurityHubFindings="true")
    assert scp_finding(org, one_payments)["Workflow"]["Status"] == "NEW"
    received_events(audit, queue)

    # Accepted: still NON_COMPLIANT, said so, no health event, the open finding SUPPRESSED with its note.
    # A run takes about 4 s here; the exception ends after this run and before the next.
    expires = time.time() + 12
    until = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(expires))
    s3.put_object(Bucket=f"exceptions-{org.audit}", Key="exceptions.json", Body=exceptions_document(until))
    outcome, reported = watchdog_with(org, lambda_runtime, rule, location, SecurityHubFindings="true")
    assert set(reported) == payments(org), "only the accounts now accepted changed"
    for account in payments(org):
        assert reported[account]["ComplianceType"] == "NON_COMPLIANT"
        assert reported[account]["Annotation"].startswith(f"accepted until {until} (platform-team): "), reported[account]["Annotation"]
    assert outcome["sweep"]["accepted"] == 4
    statuses = {e["id"]: e["status"] for e in outcome["exceptions"]["exceptions"]}
    assert statuses["payments-scp-rework"].startswith("accepted in ")
    assert statuses["decommissioned"].startswith("matches nothing")
    assert received_events(audit, queue) == [], "no health event for an accepted failure"
    finding = scp_finding(org, one_payments)
    assert (finding["Workflow"]["Status"], finding["Compliance"]["Status"]) == ("SUPPRESSED", "FAILED")
    assert finding["Note"]["Text"] == f"accepted until {until} (platform-team): SCP rework under CHG-1234"

    # Expired: active again, announced as such, the finding NEW.
    time.sleep(max(0.0, expires - time.time() + 1))
    outcome, reported = watchdog_with(org, lambda_runtime, rule, location, SecurityHubFindings="true")
    assert set(reported) == payments(org), "only the accounts whose acceptance ended changed"
    for account in payments(org):
        assert reported[account]["ComplianceType"] == "NON_COMPLIANT"
        assert not reported[account]["Annotation"].startswith("accepted"), reported[account]["Annotation"]
    assert outcome["sweep"]["accepted"] == 0
    [payments_exception] = [e for e in outcome["exceptions"]["exceptions"] if e["id"] == "payments-scp-rework"]
    assert payments_exception["status"].startswith(f"expired on {until}: not applied")
    ended = [e["detail"] for e in received_events(audit, queue) if e["detail-type"] == "Delivery Pipeline Health Change"]
    assert {d["account_id"] for d in ended if d.get("exception_ended")} == payments(org)
    assert scp_finding(org, one_payments)["Workflow"]["Status"] == "NEW"


@pytest.mark.parametrize("case", ["unreadable", "invalid"])
def test_an_exceptions_document_the_rule_cannot_use_hides_nothing_and_is_said(org, emulator, lambda_runtime, case):
    audit = Account(org.emulator, org.audit, "us-east-1")
    bucket = f"exceptions-{case}-{org.audit}"
    audit.client("s3").create_bucket(Bucket=bucket)
    if case == "invalid":
        audit.client("s3").put_object(Bucket=bucket, Key="exceptions.json", Body='{"version": 1, "exceptions": [{"id": "x"}]}')
    outcome, reported = watchdog_with(org, lambda_runtime, f"exceptions-{case}", f"s3://{bucket}/exceptions.json")
    problem = outcome["exceptions"]["problem"]
    said = {"unreadable": "could not be read (GetObject", "invalid": "is invalid (the exceptions document is not valid"}[case]
    assert said in problem and problem.endswith("reported as if there were no exceptions"), problem
    for account in payments(org):
        assert reported[account]["ComplianceType"] == "NON_COMPLIANT" and not reported[account]["Annotation"].startswith("accepted")
    assert outcome["sweep"]["accepted"] == 0 and outcome["sweep"]["failing"] == 10


# --- one framework's view: per control, accounts passing, failing, not evaluated --------------------

def framework_rows(markdown: str) -> dict[str, list[int]]:
    rows = {}
    for line in markdown.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == 7 and all(c.isdigit() for c in cells[1:]):
            rows[cells[0]] = [int(c) for c in cells[1:]]
    return rows


def test_the_framework_view_counts_each_control_from_the_saved_scan(org, emulator, saved, tmp_path):
    report = json.loads(saved.read_text())
    accounts = len(report["accounts"])
    result = run_cli(["report", str(saved), "--framework", "nist-800-53-r5", "--format", "markdown"], {})
    assert result.returncode == 1, result.stderr  # the scan's own status: accounts fail
    rows = framework_rows(result.stdout)
    assert set(rows) == {"AU-5", "AU-9", "CA-7", "CM-3", "CM-6", "CM-6(1)", "CM-8", "CM-8(2)", "SI-4"}, result.stdout[:2000]
    for control, (passing, failing, not_evaluated, *_regions) in rows.items():
        assert passing + failing + not_evaluated == accounts, control
    # The SCP that denies the payments accounts' recorder role breaks audit-record protection there.
    au9 = result.stdout.split("\n## AU-9\n", 1)[1].split("\n## ", 1)[0]
    failing_au9 = {line.split("|")[1].strip().split(" ")[0] for line in au9.splitlines() if "| failing |" in line}
    assert payments(org) <= failing_au9, au9
    assert rows["AU-9"][0] > 0, "healthy accounts pass, on evidence that was read"
    expected_failing = {m.account for m in org.members if m.expected == "NON_COMPLIANT"}
    assert rows["AU-9"][1] + rows["AU-5"][1] > 0 and rows["AU-9"][1] <= len(expected_failing)

    # Unknown names are refused with the list; formats that carry requirements already are refused.
    unknown = run_cli(["report", str(saved), "--framework", "cis"], {})
    assert unknown.returncode == 2 and "unknown framework 'cis': use one of cis-aws-1.2.0" in unknown.stderr, unknown.stderr
    wrong = run_cli(["report", str(saved), "--framework", "cis-aws-3.0.0", "--format", "sarif"], {})
    assert wrong.returncode == 2 and "--framework prints Markdown" in wrong.stderr

    page_file = tmp_path / "cis.html"
    page = run_cli(["report", str(saved), "--framework", "cis-aws-3.0.0", "--format", "html"], {})
    page_file.write_text(page.stdout)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with page_of(page_file, 1280, 900) as (browser_page, requests):
        assert browser_page.locator("h1").inner_text().startswith("CIS AWS Foundations Benchmark v3.0.0")
        cells = browser_page.locator("table.framework tbody tr").nth(1).locator("td").all_inner_texts()
        assert sum(int(c) for c in cells[:3]) == accounts, cells
        assert browser_page.locator("#control-3-3 td.failing").count() > 0
        browser_page.screenshot(path=str(ARTIFACTS / "report-framework.png"), full_page=True)
    assert requests == [page_file.as_uri()], "self-contained: the page asked for nothing but itself"


# --- the HTML report at Organization scale, in Chromium ---------------------------------------------

def test_the_report_of_1000_accounts_in_17_regions_in_chromium(org, emulator, saved, tmp_path):
    big = fleet_of(json.loads(saved.read_text()), 1000, SEVENTEEN_REGIONS)
    source = tmp_path / "fleet.json"
    source.write_text(json.dumps(big))
    rendered = json.loads(run_cli(["report", str(source), "--format", "json"], {}).stdout)
    page_file = tmp_path / "fleet.html"
    result = run_cli(["report", str(source), "--format", "html"], {})
    assert result.returncode == 1, result.stderr
    page_file.write_text(result.stdout)
    summary = rendered["summary"]
    failing_ids = [a["account"]["id"] for a in rendered["accounts"] if a["verdict"]["compliance"] == "NON_COMPLIANT"]
    scp_accounts = {a["account"]["id"] for a in rendered["accounts"]
                    if any(f["check"] == SCP_CHECK for j in a["judgements"] for f in j["findings"])}
    under_workloads = {a["account"]["id"] for a in rendered["accounts"]
                       if (a["account"].get("ou") or "").startswith("Root/workloads")}
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    with page_of(page_file, 1440, 900) as (page, requests):
        page.wait_for_function("document.body.dataset.ready === '1'")
        ready_ms = page.evaluate("Number(document.body.dataset.readyMs)")

        # Root causes first: the SCP's cluster leads, with its OUs and fix.
        assert page.locator("#tab-causes").get_attribute("aria-selected") == "true"
        causes = page.locator("#causes > li")
        assert causes.count() == len(rendered["clusters"])
        first = causes.first.inner_text()
        assert SCP_CHECK in first and "Root/workloads/prod" in first and "fix:" in first, first
        page.screenshot(path=str(ARTIFACTS / "report-causes.png"))

        # By OU, keyboard: the tabs move with the arrow keys; an OU opens its accounts.
        page.locator("#tab-causes").focus()
        page.keyboard.press("ArrowRight")
        assert page.locator("#tab-ous").get_attribute("aria-selected") == "true"
        assert page.locator("#view-ous").is_visible() and not page.locator("#view-causes").is_visible()
        page.screenshot(path=str(ARTIFACTS / "report-ous.png"))
        page.locator('#ous-body button[data-ou="Root/workloads"]').click()
        assert page.locator("#tab-accounts").get_attribute("aria-selected") == "true"
        assert visible_rows(page) == len(under_workloads)
        page.select_option("#f-ou", "")

        # By account: every account and cell, failing accounts first, verdicts in words too.
        rows = page.locator("#grid-body tr")
        assert rows.count() == 1000
        assert page.locator("#grid-body button.cell").count() == 17 * 1000, "a whole-account verdict fills its row"
        order = page.evaluate("Array.from(document.querySelectorAll('#grid-body tr')).map(r => r.dataset.account)")
        assert set(order[:len(failing_ids)]) == set(failing_ids), "failing and unverified accounts first"
        labels = set(page.evaluate("Array.from(document.querySelectorAll('#grid-body .cell')).map(c => c.textContent)"))
        assert labels == {"OK", "FAIL", "N/V"}
        page.screenshot(path=str(ARTIFACTS / "report-accounts.png"))

        # Filters: verdict, check, Region, OU and search, alone and together.
        page.select_option("#f-verdict", "failing")
        assert visible_rows(page) == summary["failing"]
        assert page.locator("#shown").inner_text() == f"{summary['failing']} of 1000 accounts shown"
        page.select_option("#f-verdict", "")
        page.select_option("#f-check", label=SCP_CHECK)
        assert visible_rows(page) == len(scp_accounts)
        page.select_option("#f-region", label="sa-east-1")
        assert page.locator("#grid thead th.region:visible").count() == 1
        assert visible_rows(page) == len(scp_accounts), "the cause breaks every Region of its accounts"
        page.select_option("#f-check", "")
        page.select_option("#f-region", "")
        page.fill("#f-search", "500000000042")
        assert visible_rows(page) == 1
        page.fill("#f-search", "")
        assert visible_rows(page) == 1000

        # Keyboard in the grid: one tab stop, arrows move, Enter opens, Escape closes and returns.
        first_cell = page.locator("#grid-body button.cell[tabindex='0']")
        first_cell.focus()
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowDown")
        focused = page.evaluate("[document.activeElement.closest('tr').dataset.row, document.activeElement.closest('td').dataset.col]")
        assert focused == ["1", "1"], focused
        page.keyboard.press("Enter")
        detail = page.locator("#detail")
        assert detail.is_visible()
        row_account = order[1]
        assert f"{row_account} {SEVENTEEN_REGIONS[1]}" in detail.inner_text()
        page.keyboard.press("Escape")
        assert not detail.is_visible()
        assert page.evaluate("document.activeElement.closest('tr').dataset.row") == "1"

        # Each account's detail has its own link.
        page.locator(f'#grid-body a[href="#account-{order[0]}"]').click()
        # The page opens it on `hashchange`, which fires after the click returns.
        detail.wait_for(state="visible", timeout=10_000)
        assert detail.is_visible() and order[0] in detail.inner_text() and "fix:" in detail.inner_text()
    assert requests == [page_file.as_uri()], "self-contained: the page asked for nothing but itself"
    size = len(page_file.read_bytes())
    (ARTIFACTS / "report-1000x17.json").write_text(json.dumps({"ready_ms": ready_ms, "bytes": size}))
    print(f"1,000 x 17 report: {size / 1e6:.1f} MB, interactive after {ready_ms} ms (measured; budget in make bench)")


def visible_rows(page) -> int:
    return page.evaluate("Array.from(document.querySelectorAll('#grid-body tr')).filter(r => !r.hidden).length")
