"""Delta reporting, health-change events and the event-driven path, against the emulator.

The watchdog reports to Config only what changed (plus each account again once a day), publishes one
health-change event per change to EventBridge (captured here in an SQS queue), and a CloudTrail event
of a breaking call is judged at once for just the account-region it concerns.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from emulator.deployment import capture_health_events, cloudtrail_event, deploy_rule, received_events
from emulator.harness import run_cli
from emulator.organization import Member, build, members
from emulator.scenarios import Account, config_event, delivered_after_repair, rule_env

REGION = "us-east-1"
REPO = Path(__file__).resolve().parents[2]
KEEP = {"management", "audit", "prod-1", "prod-2", "dev-1", "prod-kms-off"}


def hours_after_start(hours: int) -> str:
    day, hour = divmod(hours, 24)
    return f"2026-11-{day + 1:02d}T{hour:02d}:00:00.000Z"


@pytest.fixture
def org(emulator):
    plan: list[Member] = [m for m in members() if m.name in KEEP]
    built = build(emulator, plan=plan, regions=[REGION])
    audit = Account(emulator, built.audit, REGION)
    parameters = built.parameters("watchdog", Regions=REGION)
    deploy_rule(audit, parameters)
    built.queue_url = capture_health_events(audit)
    built.audit_account = audit
    built.watchdog_parameters = parameters
    return built


def run_watchdog(org, lambda_runtime, hours: int, expect_ok: bool = True) -> dict:
    """One periodic run, `hours` after the first, with a token Config issued for the rule."""
    token = org.emulator.result_token(org.audit, "config-delivery-pipeline")
    event = config_event(org.audit, token=token, parameters=org.watchdog_parameters, when=hours_after_start(hours))
    result = lambda_runtime.invoke(event, rule_env(org.emulator, org.audit), timeout=120)
    if not expect_ok:
        assert not result.ok, result.stdout
        return {"_put_calls": [c for c in org.emulator.put_evaluation_calls() if c["resultToken"] == token],
                "_logs": result.function_logs, "_error": result.stdout + result.stderr}
    assert result.ok, result.stderr + result.function_logs
    response = result.response()
    response["_put_calls"] = [c for c in org.emulator.put_evaluation_calls() if c["resultToken"] == token]
    response["_logs"] = result.function_logs
    return response


def reported(response: dict) -> dict[str, str]:
    return {e["ComplianceResourceId"]: e["ComplianceType"] for c in response["_put_calls"] for e in c["evaluations"]}


def test_delta_reporting_reports_changes_and_the_daily_refresh_only(org, lambda_runtime):
    accounts = len(org.members)
    first = run_watchdog(org, lambda_runtime, 0)
    assert len(reported(first)) == accounts
    assert first["delta"] == {"changed": accounts, "refreshed": 0, "skipped": 0}
    # The first run announces the broken account only: a healthy account seen first is no news.
    events = received_events(org.audit_account, org.queue_url)
    assert [e["detail"]["account_id"] for e in events] == [org.by_name("prod-kms-off").account]
    assert events[0]["detail-type"] == "Delivery Pipeline Health Change"
    assert events[0]["detail"]["old"] is None and events[0]["detail"]["new"]["compliance"] == "NON_COMPLIANT"
    assert events[0]["detail"]["root_cause"] == "key.disabled"

    second = run_watchdog(org, lambda_runtime, 1)
    assert second["_put_calls"] == [], "an unchanged hour must not be reported again"
    assert second["delta"] == {"changed": 0, "refreshed": 0, "skipped": accounts}
    assert received_events(org.audit_account, org.queue_url) == []

    broken = org.by_name("prod-2")
    stop_recorder(org, broken)
    third = run_watchdog(org, lambda_runtime, 2)
    assert reported(third) == {broken.account: "NON_COMPLIANT"}
    [event] = received_events(org.audit_account, org.queue_url)
    detail = event["detail"]
    assert detail["account_id"] == broken.account
    assert detail["old"]["compliance"] == "COMPLIANT" and detail["new"]["compliance"] == "NON_COMPLIANT"
    assert detail["failing_regions"] == [REGION] and detail["root_cause"]
    assert detail["trigger"] == {"kind": "config", "message_type": "ScheduledNotification"}

    # 23 hours after the first run every result is refreshed, so none is older than a day.
    refresh = run_watchdog(org, lambda_runtime, 23)
    assert len(reported(refresh)) == accounts - 1, "prod-2's result is an hour younger"
    assert refresh["delta"]["changed"] == 0 and refresh["delta"]["refreshed"] == accounts - 1


def stop_recorder(org, member: Member) -> None:
    Account(org.emulator, member.account, REGION).client("config").stop_configuration_recorder(
        ConfigurationRecorderName="default")


def test_without_delta_reporting_every_run_reports_every_account(org, lambda_runtime):
    org.watchdog_parameters = {**org.watchdog_parameters, "DeltaReporting": "false"}
    for hour in (0, 1):
        response = run_watchdog(org, lambda_runtime, hour)
        assert len(reported(response)) == len(org.members)
        assert "delta" not in response
    assert received_events(org.audit_account, org.queue_url) == []


def test_results_config_cannot_give_mean_a_full_report(org, lambda_runtime):
    run_watchdog(org, lambda_runtime, 0)
    org.emulator.set_overrides(org.audit, REGION, {"faults": [
        {"operation": "GetComplianceDetailsByConfigRule", "fault": "access_denied"}]})
    response = run_watchdog(org, lambda_runtime, 1)
    assert len(reported(response)) == len(org.members)
    assert "stored-results-unreadable" in response["_logs"]


def test_a_change_whose_event_was_refused_is_held_back_until_the_retry(org, lambda_runtime):
    run_watchdog(org, lambda_runtime, 0)
    received_events(org.audit_account, org.queue_url)
    broken = org.by_name("prod-2")
    stop_recorder(org, broken)
    org.emulator.set_overrides(org.audit, REGION, {"faults": [{"operation": "PutEvents", "fault": "access_denied"}]})
    failed = run_watchdog(org, lambda_runtime, 1, expect_ok=False)
    assert "health-change event(s) not published" in failed["_error"]
    assert reported(failed) == {}, "the change must wait for its event, or the retry would find no change"
    assert received_events(org.audit_account, org.queue_url) == []

    org.emulator.set_overrides(org.audit, REGION, {"faults": []})
    retry = run_watchdog(org, lambda_runtime, 1)
    assert reported(retry) == {broken.account: "NON_COMPLIANT"}
    [event] = received_events(org.audit_account, org.queue_url)
    assert event["detail"]["account_id"] == broken.account


def test_a_repair_the_rule_cannot_read_is_not_announced(org, lambda_runtime):
    run_watchdog(org, lambda_runtime, 0)
    received_events(org.audit_account, org.queue_url)
    broken = org.by_name("prod-kms-off")
    kms = Account(org.emulator, broken.account, REGION).client("kms")
    for key in kms.list_keys()["Keys"]:
        kms.enable_key(KeyId=key["KeyId"])
    org.emulator.set_overrides(broken.account, REGION, {
        **delivered_after_repair("KMS.DisabledException"),
        "faults": [{"operation": "DescribeKey", "fault": "access_denied"}]})
    unread = run_watchdog(org, lambda_runtime, 1)
    assert reported(unread) == {broken.account: "NON_COMPLIANT"}
    [evaluation] = [e for c in unread["_put_calls"] for e in c["evaluations"]]
    assert evaluation["Annotation"].startswith("cannot verify recovery"), evaluation
    [event] = received_events(org.audit_account, org.queue_url)
    assert event["detail"]["new"]["compliance"] == "NON_COMPLIANT", "no recovery on evidence that was not read"
    # Still unread an hour later: the same result, so nothing is reported or announced again.
    still = run_watchdog(org, lambda_runtime, 2)
    org.emulator.set_overrides(broken.account, REGION, {"faults": []})
    assert reported(still) == {} and received_events(org.audit_account, org.queue_url) == []

    readable = run_watchdog(org, lambda_runtime, 3)
    assert reported(readable) == {broken.account: "COMPLIANT"}
    [event] = received_events(org.audit_account, org.queue_url)
    assert event["detail"]["old"]["compliance"] == "NON_COMPLIANT"
    assert event["detail"]["new"]["compliance"] == "COMPLIANT"


def tamper(org, lambda_runtime, event: dict, rule_name: str | None = "config-delivery-pipeline"):
    env = rule_env(org.emulator, org.audit)
    if rule_name:
        env["DELIVERY_GUARD_CONFIG_RULE_NAME"] = rule_name
    return lambda_runtime.invoke(event, env, timeout=60)


def test_a_stopped_recorder_is_found_at_once_from_its_cloudtrail_event(org, lambda_runtime):
    run_watchdog(org, lambda_runtime, 0)
    received_events(org.audit_account, org.queue_url)
    victim = org.by_name("dev-1")
    stop_recorder(org, victim)
    event = cloudtrail_event(victim.account, REGION, "config.amazonaws.com", "StopConfigurationRecorder",
                             {"configurationRecorderName": "default"})
    result = tamper(org, lambda_runtime, event)
    assert result.ok, result.stderr + result.function_logs
    outcome = result.response()
    assert outcome["scope"] == {"scope": "account_region", "account_id": victim.account, "region": REGION}
    [judged] = outcome["judged"]
    assert judged["compliance"] == "NON_COMPLIANT" and judged["recorded"] == "COMPLIANT" and judged["changed"]
    # A watchdog run judges every account: the next hourly run records it, announced here already.
    assert not outcome["evaluation_requested"] and org.emulator.rule_evaluations_started() == []
    [health] = received_events(org.audit_account, org.queue_url)
    assert health["detail"]["trigger"]["kind"] == "cloudtrail"
    assert health["detail"]["trigger"]["event_name"] == "StopConfigurationRecorder"
    # Only the account-region the call concerns was read: no other member's Config was asked.
    assert outcome["judged"][0]["regions"] == [REGION]


def test_a_break_an_exception_accepts_is_not_announced_from_its_cloudtrail_event(org, lambda_runtime):
    run_watchdog(org, lambda_runtime, 0)
    received_events(org.audit_account, org.queue_url)
    victim = org.by_name("dev-1")
    bucket = f"exceptions-{org.audit}"
    org.audit_account.client("s3").create_bucket(Bucket=bucket)
    expires = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 30 * 86400))
    org.audit_account.client("s3").put_object(Bucket=bucket, Key="exceptions.json", Body=json.dumps({"version": 1, "exceptions": [
        {"id": "dev-1-rebuild", "accounts": [victim.account], "checks": ["recorder.not-recording"],
         "reason": "rebuilt this week", "owner": "dev-team", "expires": expires}]}))
    config = org.audit_account.client("config")
    [rule] = config.describe_config_rules(ConfigRuleNames=["config-delivery-pipeline"])["ConfigRules"]
    parameters = {**json.loads(rule["InputParameters"]), "ExceptionsObject": f"s3://{bucket}/exceptions.json"}
    config.put_config_rule(ConfigRule={k: rule[k] for k in ("ConfigRuleName", "Source", "MaximumExecutionFrequency")}
                           | {"InputParameters": json.dumps(parameters)})
    stop_recorder(org, victim)
    event = cloudtrail_event(victim.account, REGION, "config.amazonaws.com", "StopConfigurationRecorder",
                             {"configurationRecorderName": "default"})
    result = tamper(org, lambda_runtime, event)
    assert result.ok, result.stderr + result.function_logs
    [judged] = result.response()["judged"]
    assert judged["compliance"] == "NON_COMPLIANT" and judged["changed"], judged
    assert judged["annotation"].startswith(f"accepted until {expires} (dev-team): rebuilt this week"), judged
    assert received_events(org.audit_account, org.queue_url) == [], "the periodic run's exceptions hold here too"


def test_calls_that_changed_nothing_are_ignored_and_bad_events_are_kept(org, lambda_runtime):
    victim = org.by_name("dev-1")
    failed = cloudtrail_event(victim.account, REGION, "config.amazonaws.com", "DeleteDeliveryChannel",
                              error="AccessDenied")
    result = tamper(org, lambda_runtime, failed)
    assert result.ok, result.stderr + result.function_logs
    assert result.response()["scope"]["scope"] == "ignored"
    assert "changed nothing" in result.response()["scope"]["reason"]
    assert org.emulator.rule_evaluations_started() == []

    # A malformed event or a function without its rule fails the invocation: Lambda retries it and
    # the on-failure destination keeps it.
    broken = dict(failed, account="12")
    result = tamper(org, lambda_runtime, broken)
    assert not result.ok and "12-digit" in result.function_logs
    result = tamper(org, lambda_runtime, failed, rule_name=None)
    assert not result.ok and "DELIVERY_GUARD_CONFIG_RULE_NAME" in result.function_logs


def test_a_change_to_the_log_archive_bucket_asks_config_for_a_full_run(org, lambda_runtime):
    parameters = {**org.watchdog_parameters, "ExpectedBucket": "central-config-logs"}
    org.audit_account.client("config").put_config_rule(ConfigRule={
        **{k: v for k, v in org.audit_account.client("config").describe_config_rules(
            ConfigRuleNames=["config-delivery-pipeline"])["ConfigRules"][0].items()
           if k in ("ConfigRuleName", "Source", "MaximumExecutionFrequency")},
        "InputParameters": json.dumps(parameters),
    })
    event = cloudtrail_event(org.audit, REGION, "s3.amazonaws.com", "PutBucketPolicy",
                             {"bucketName": "central-config-logs"})
    result = tamper(org, lambda_runtime, event)
    assert result.ok, result.stderr + result.function_logs
    assert result.response()["scope"] == {"scope": "organization"}
    assert result.response()["evaluation_requested"] and result.response()["judged"] == []
    assert len(org.emulator.rule_evaluations_started()) == 1


def test_in_account_mode_a_changed_verdict_asks_config_to_record_it(emulator, lambda_runtime):
    account = Account(emulator, "121212121212", REGION)
    account.pipeline()
    deploy_rule(account, {"Mode": "account"})
    token = emulator.result_token(account.account, "config-delivery-pipeline")
    first = lambda_runtime.invoke(config_event(account.account, token=token, parameters={"Mode": "account",
                                  "DeltaReporting": "true"}), rule_env(emulator, account.account))
    assert first.ok, first.stderr + first.function_logs
    account.client("config").stop_configuration_recorder(ConfigurationRecorderName="default")
    event = cloudtrail_event(account.account, REGION, "config.amazonaws.com", "StopConfigurationRecorder")
    env = {**rule_env(emulator, account.account), "DELIVERY_GUARD_CONFIG_RULE_NAME": "config-delivery-pipeline"}
    result = lambda_runtime.invoke(event, env)
    assert result.ok, result.stderr + result.function_logs
    outcome = result.response()
    assert outcome["judged"][0]["changed"] and outcome["evaluation_requested"]
    [started] = emulator.rule_evaluations_started()
    assert started["account"] == account.account and started["rules"] == ["config-delivery-pipeline"]
    # An event from another region is that region's rule's to judge.
    elsewhere = cloudtrail_event(account.account, "eu-west-1", "config.amazonaws.com", "StopConfigurationRecorder")
    result = lambda_runtime.invoke(elsewhere, env)
    assert result.ok and result.response()["scope"]["scope"] == "ignored"
    # Another account's call forwarded here is that account's rule's to judge.
    foreign = cloudtrail_event("343434343434", REGION, "config.amazonaws.com", "StopConfigurationRecorder")
    result = lambda_runtime.invoke(foreign, env)
    assert result.ok and "343434343434" in result.response()["scope"]["reason"]


def test_the_event_path_fails_loudly_without_its_rule_and_falls_back_without_a_run(emulator, lambda_runtime):
    account = Account(emulator, "131313131313", REGION)
    account.pipeline()
    deploy_rule(account, {"Mode": "account"})
    account.client("config").stop_configuration_recorder(ConfigurationRecorderName="default")
    event = cloudtrail_event(account.account, REGION, "config.amazonaws.com", "StopConfigurationRecorder")
    env = {**rule_env(emulator, account.account), "DELIVERY_GUARD_CONFIG_RULE_NAME": "config-delivery-pipeline"}
    # Without the rule's parameters nothing can be judged: the invocation fails, so the event goes to
    # the on-failure destination rather than vanish.
    account.override({"faults": [{"operation": "DescribeConfigRules", "fault": "access_denied"}]})
    unread = lambda_runtime.invoke(event, env)
    assert not unread.ok and "DescribeConfigRules" in unread.stdout + unread.stderr + unread.function_logs
    # Config refuses the run it is asked for: the break is still announced in the log, the periodic
    # run records it, and the invocation succeeds.
    account.override({"faults": [{"operation": "StartConfigRulesEvaluation", "fault": "access_denied"}]})
    refused = lambda_runtime.invoke(event, env)
    assert refused.ok, refused.stderr + refused.function_logs
    assert refused.response()["evaluation_requested"] is False
    assert "evaluation-not-started" in refused.function_logs
    assert emulator.rule_evaluations_started() == []


def test_kpis_from_the_rule_s_own_log(org, lambda_runtime, tmp_path):
    victim = org.by_name("prod-2")
    config = Account(org.emulator, victim.account, REGION).client("config")
    logs = [run_watchdog(org, lambda_runtime, 0)["_logs"]]
    config.stop_configuration_recorder(ConfigurationRecorderName="default")
    logs.append(run_watchdog(org, lambda_runtime, 1)["_logs"])
    config.start_configuration_recorder(ConfigurationRecorderName="default")
    logs.append(run_watchdog(org, lambda_runtime, 3)["_logs"])
    history = tmp_path / "rule.log"
    # A line cut short by an export: counted and named, never silently dropped.
    history.write_text("".join(logs) + '{"level": "INFO", "event": "account-verdict", "regions": [\n')
    ous = tmp_path / "ous.json"
    ous.write_text(json.dumps({m.account: m.ou or "root" for m in org.members}))

    kpis = json.loads(run_cli(["kpi", "--history", str(history), "--ous", str(ous), "--format", "json"], {}).stdout)
    # prod-kms-off was never healthy: failing, but no incident with a known start.
    assert kpis["integrity"]["accounts"] == len(org.members)
    assert kpis["integrity"]["healthy_accounts"] == len(org.members) - 1
    assert kpis["per_ou"]["prod"]["healthy_accounts"] == kpis["per_ou"]["prod"]["accounts"] - 1
    [incident] = kpis["incidents"]
    assert incident["account_id"] == victim.account and not incident["start_is_exact"]
    assert kpis["detect"]["max_minutes"] == 60.0 and kpis["repair"]["max_minutes"] == 120.0

    [cut] = kpis["unreadable_lines"]
    assert cut["line"] == len(history.read_text().splitlines()) and cut["why"].startswith("not JSON"), cut
    assert f"line {cut['line']} (not JSON" in run_cli(["kpi", "--history", str(history)], {}).stdout
    assert len(kpis["integrity_over_time"]) == 3 and kpis["integrity_over_time"][1]["share"] < 1.0

    page = run_cli(["kpi", "--history", str(history), "--ous", str(ous), "--format", "html"], {})
    assert page.returncode == 0 and 'id="incidents"' in page.stdout and victim.account in page.stdout
    charts_in_chromium(tmp_path / "kpi.html", page.stdout, kpis)
    empty = tmp_path / "empty.log"
    empty.write_text("not a verdict\n")
    refused = run_cli(["kpi", "--history", str(empty)], {})
    assert refused.returncode == 2 and "no verdict lines" in refused.stderr


def charts_in_chromium(path: Path, html: str, kpis: dict) -> None:
    """The KPI page draws its charts from the figures, in Debian's Chromium, asking for nothing."""
    from e2e.test_reports import ARTIFACTS
    from emulator.browser import page_of

    path.write_text(html)
    with page_of(path, 1100, 1600) as (page, requests):
        points = page.locator("#organization").get_attribute("points").split()
        assert len(points) == len(kpis["integrity_over_time"])
        heights = [float(p.split(",")[1]) for p in points]
        assert heights[1] > heights[0] == heights[2], "the dip of the broken hour is drawn, and the repair"
        assert page.locator("#integrity-chart polyline.ou").count() == len(kpis["per_ou"])
        for chart, figures in (("#mttd-chart", kpis["detect"]), ("#mttr-chart", kpis["repair"])):
            counts = page.eval_on_selector_all(f"{chart} rect.bar", "bars => bars.map(b => +b.dataset.count)")
            assert sum(counts) == figures["count"], chart
            assert page.locator(chart).bounding_box()["height"] > 100, "drawn, not collapsed"
        assert page.locator("#timeline rect.incident.repaired").count() == len(kpis["incidents"])
        assert "could not be read" in page.locator("#unreadable").inner_text()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "kpi.png"), full_page=True)
    assert requests == [path.as_uri()], requests


def tiered(prices: dict, count: float) -> float:
    """AWS Config's volume tiers, as the pricing page states them."""
    cost, floor = 0.0, 0
    for tier in prices["config_rule_evaluations"]["tiers"]:
        ceiling = tier["up_to"] if tier["up_to"] is not None else float("inf")
        cost += max(0.0, min(count, ceiling) - floor) * tier["per_evaluation"]
        floor = ceiling
    return cost


def test_the_cost_model_prints_every_mode_and_refuses_bad_input():
    report = json.loads(run_cli(["cost", "--format", "json"], {}).stdout)
    totals = {f"{e['mode']}/{e['reporting']}": e["total_usd"] for e in report["estimates"]}
    assert len(totals) == 6
    assert totals["watchdog/delta"] < totals["watchdog/full"] < totals["account/full"]
    assert report["assumed"]["accounts"] == 1000 and report["prices"]["retrieved"]
    # The figures themselves, recomputed here from the price file the report names.
    prices = json.loads((REPO / "rule" / "core" / "data" / "aws-prices.json").read_text())
    assumed = report["assumed"]
    account_full = next(e for e in report["estimates"] if (e["mode"], e["reporting"]) == ("account", "full"))
    hours_a_month = 730
    checks = assumed["accounts"] * assumed["regions"] * hours_a_month / assumed["frequency_hours"]
    assert account_full["evaluations"] == checks + assumed["changes_per_month"]
    per_region = account_full["evaluations"] / assumed["regions"]  # tiers: the Organization, per Region
    assert account_full["config_usd"] == pytest.approx(assumed["regions"] * tiered(prices, per_region))
    for estimate in report["estimates"]:
        parts = sum(v for k, v in estimate.items() if k.endswith("_usd") and k != "total_usd")
        assert estimate["total_usd"] == pytest.approx(parts), estimate
    table = run_cli(["cost", "--accounts", "50", "--regions", "4", "--frequency-hours", "24"], {})
    assert table.returncode == 0 and "50 accounts x 4 regions, every 24 h" in table.stdout
    bad = run_cli(["cost", "--frequency-hours", "2"], {})
    assert bad.returncode == 2 and "Config's periodic frequencies" in bad.stderr
