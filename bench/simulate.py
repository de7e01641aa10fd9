"""`make simulate`: detection time and cost on the emulator, scaled up by the cost model.

An Organization of ACCOUNTS healthy accounts x 2 regions runs for HOURS simulated hours. Pipelines are
broken (and repaired) at known minutes by the calls an operator would make: a recorder stopped, a
delivery key disabled, a bucket policy that denies Config. Two passes replay the same timeline:

- periodic: the watchdog run by Config every hour, every account reported every run (no delta
  reporting, no event path): the naive deployment;
- delta + events: the same hourly runs with delta reporting, and each breaking call's CloudTrail event
  delivered to the function EVENT_LATENCY minutes after the call (the emulated CloudTrail-to-EventBridge
  path); a changed verdict makes the function ask Config for a run, which is run at once.

Simulated time is the runs' notificationCreationTime and the events' eventTime; the emulator's state is
changed between runs in timeline order, so each run sees exactly the breaks made before it. Breaks that
show only as a delivery growing stale over real hours are not simulated (the emulator derives delivery
status from real time). The cost of 1,000 accounts x 17 regions comes from `delivery-guard cost` with
the durations, log bytes and request counts measured here.

Prints a report and writes bench/simulation.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

from emulator.deployment import RULE_NAME, capture_health_events, cloudtrail_event, deploy_rule, received_events
from emulator.harness import Emulator, LambdaRuntime, binary
from emulator.organization import Member, build
from emulator.scenarios import Account, bucket_policy, config_event, rule_env

REGIONS = ["us-east-1", "eu-west-1"]
START = 1_795_000_000  # 2026-11-18T...Z: the timeline's minute 0, as epoch seconds


def iso(minute: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(START + minute * 60))


@dataclass
class Break:
    minute: int
    member: int  # index into the Organization's members
    region: str
    kind: str  # stop-recorder, disable-key, deny-bucket
    repair_minute: int


def timeline(accounts: int, hours: int) -> list[Break]:
    """One break every 5 h 13 min, in turn of kind, member and region, each repaired 3 h 30 min later."""
    kinds = ["stop-recorder", "disable-key", "deny-bucket"]
    breaks = []
    minute, index = 37, 0
    while minute + 210 < hours * 60:
        member = 2 + (index * 3) % (accounts - 2)  # never the management or audit account
        breaks.append(Break(minute, member, REGIONS[index % 2], kinds[index % 3], minute + 210))
        minute += 313
        index += 1
    return breaks


def apply(emulator: Emulator, account: str, brk: Break, repair: bool) -> dict:
    """Makes the call an operator would, and returns its CloudTrail event as EventBridge delivers it."""
    acct = Account(emulator, account, brk.region)
    when = iso(brk.repair_minute if repair else brk.minute)
    if brk.kind == "stop-recorder":
        config = acct.client("config")
        if repair:
            config.start_configuration_recorder(ConfigurationRecorderName="default")
            return cloudtrail_event(account, brk.region, "config.amazonaws.com", "StartConfigurationRecorder", when=when)
        config.stop_configuration_recorder(ConfigurationRecorderName="default")
        return cloudtrail_event(account, brk.region, "config.amazonaws.com", "StopConfigurationRecorder",
                                {"configurationRecorderName": "default"}, when=when)
    if brk.kind == "disable-key":
        kms = acct.client("kms")
        key_id = kms.list_keys()["Keys"][0]["KeyId"]
        if repair:
            kms.enable_key(KeyId=key_id)
            return cloudtrail_event(account, brk.region, "kms.amazonaws.com", "EnableKey", {"keyId": key_id}, when=when)
        kms.disable_key(KeyId=key_id)
        return cloudtrail_event(account, brk.region, "kms.amazonaws.com", "DisableKey", {"keyId": key_id}, when=when)
    s3 = acct.client("s3")
    policy = bucket_policy(acct.bucket, account)
    if not repair:
        policy["Statement"].append({"Sid": "DenyConfig", "Effect": "Deny", "Principal": {"Service": "config.amazonaws.com"},
                                    "Action": "s3:PutObject", "Resource": f"arn:aws:s3:::{acct.bucket}/*"})
    s3.put_bucket_policy(Bucket=acct.bucket, Policy=json.dumps(policy))
    return cloudtrail_event(account, brk.region, "s3.amazonaws.com", "PutBucketPolicy", {"bucketName": acct.bucket},
                            when=when)


class Deployment:
    """The Organization, the rule and the health-event queue in a freshly reset emulator."""

    def __init__(self, emulator: Emulator, runtime: LambdaRuntime, accounts: int, delta: bool):
        emulator.reset()
        emulator.set_latency(0)
        plan = [Member("management", "", "healthy", "COMPLIANT", "")]
        plan.append(Member("audit", "security", "healthy", "COMPLIANT", ""))
        ous = ["prod", "workloads", "sandbox"]
        plan += [Member(f"member-{i}", ous[i % 3], "healthy", "COMPLIANT", "") for i in range(accounts - 2)]
        self.org = build(emulator, plan=plan, regions=REGIONS)
        self.audit = Account(emulator, self.org.audit, "us-east-1")
        self.parameters = self.org.parameters("watchdog", Regions=",".join(REGIONS),
                                              DeltaReporting="true" if delta else "false")
        deploy_rule(self.audit, self.parameters)
        self.queue = capture_health_events(self.audit)
        self.emulator, self.runtime = emulator, runtime
        self.logs: list[str] = []
        self.reported_per_day: dict[int, int] = {}
        self.run_seconds: list[float] = []
        self.event_seconds: list[float] = []
        self.health_events: list[dict] = []

    @property
    def account_ids(self) -> list[str]:
        return [m.account for m in self.org.members]

    def run(self, minute: float) -> dict[str, str]:
        """A run Config invoked at `minute`; returns each account's verdict as Config holds it after."""
        token = self.emulator.result_token(self.org.audit, RULE_NAME)
        event = config_event(self.org.audit, token=token, parameters=self.parameters, when=iso(minute))
        started = time.monotonic()
        result = self.runtime.invoke(event, rule_env(self.emulator, self.org.audit), timeout=300)
        self.run_seconds.append(time.monotonic() - started)
        if not result.ok:
            raise RuntimeError(result.stderr + result.function_logs)
        self.logs.append(result.function_logs)
        calls = [c for c in self.emulator.put_evaluation_calls() if c["resultToken"] == token]
        reported = {e["ComplianceResourceId"]: e["ComplianceType"] for c in calls for e in c["evaluations"]}
        day = int(minute // (24 * 60))
        self.reported_per_day[day] = self.reported_per_day.get(day, 0) + len(reported)
        self.health_events += received_events(self.audit, self.queue)
        verdicts = {}
        for line in result.function_logs.splitlines():
            if '"account-verdict"' in line:
                record = json.loads(line)
                verdicts[record["account_id"]] = record["compliance"]
        return verdicts

    def deliver(self, event: dict) -> dict:
        """The CloudTrail event, delivered to the function by EventBridge."""
        env = {**rule_env(self.emulator, self.org.audit), "DELIVERY_GUARD_CONFIG_RULE_NAME": RULE_NAME}
        started = time.monotonic()
        result = self.runtime.invoke(event, env, timeout=120)
        self.event_seconds.append(time.monotonic() - started)
        if not result.ok:
            raise RuntimeError(result.stderr + result.function_logs)
        self.logs.append(result.function_logs)
        self.health_events += received_events(self.audit, self.queue)
        return result.response()


def periodic_pass(deployment: Deployment, breaks: list[Break], hours: int) -> list[float]:
    """Every break's minutes to detection when only the hourly run can find it."""
    accounts = deployment.account_ids
    actions = sorted([(b.minute, b, False) for b in breaks] + [(b.repair_minute, b, True) for b in breaks],
                     key=lambda a: a[0])
    detected: dict[int, float] = {}
    for hour in range(hours + 1):
        while actions and actions[0][0] <= hour * 60:
            _, brk, repair = actions.pop(0)
            apply(deployment.emulator, accounts[brk.member], brk, repair)
        verdicts = deployment.run(hour * 60)
        for index, brk in enumerate(breaks):
            if index not in detected and brk.minute <= hour * 60 < brk.repair_minute:
                if verdicts.get(accounts[brk.member]) == "NON_COMPLIANT":
                    detected[index] = hour * 60 - brk.minute
    missed = [b for i, b in enumerate(breaks) if i not in detected]
    if missed:
        raise RuntimeError(f"the periodic path missed {missed}")
    return [detected[i] for i in range(len(breaks))]


def event_pass(deployment: Deployment, breaks: list[Break], hours: int, latency: float) -> list[float]:
    """Every break's minutes to detection on the event path: the CloudTrail event arrives `latency`
    minutes after the call, and the function's health event is the detection."""
    accounts = deployment.account_ids
    # (minute, order, what): calls, then their events after the latency, then the hourly runs.
    agenda = []
    for index, brk in enumerate(breaks):
        agenda.append((brk.minute, 0, ("call", index, False)))
        agenda.append((brk.minute + latency, 1, ("event", index, False)))
        agenda.append((brk.repair_minute, 0, ("call", index, True)))
        agenda.append((brk.repair_minute + latency, 1, ("event", index, True)))
    agenda += [(hour * 60.0, 2, ("run", hour, False)) for hour in range(hours + 1)]
    agenda.sort(key=lambda a: (a[0], a[1]))
    events: dict[tuple[int, bool], dict] = {}
    detected: dict[int, float] = {}
    for minute, _, (what, index, repair) in agenda:
        if what == "run":
            deployment.run(minute)
        elif what == "call":
            events[(index, repair)] = apply(deployment.emulator, accounts[breaks[index].member], breaks[index], repair)
        else:
            before = len(deployment.health_events)
            outcome = deployment.deliver(events[(index, repair)])
            handled = deployment.event_seconds[-1] / 60
            if outcome.get("evaluation_requested"):
                deployment.run(minute + handled)  # the run Config starts on request
            announced = [e for e in deployment.health_events[before:]
                         if e["detail"]["trigger"]["kind"] == "cloudtrail"
                         and e["detail"]["account_id"] == accounts[breaks[index].member]]
            if not repair and announced:
                detected[index] = minute + handled - breaks[index].minute
    missed = [b for i, b in enumerate(breaks) if i not in detected]
    if missed:
        raise RuntimeError(f"the event path missed {missed}")
    return [detected[i] for i in range(len(breaks))]


def summary(minutes: list[float]) -> dict:
    return {"count": len(minutes), "mean": round(statistics.mean(minutes), 2),
            "median": round(statistics.median(minutes), 2), "max": round(max(minutes), 2)}


def cost(measured: dict, changes_per_month: float) -> dict:
    args = [str(binary("delivery-guard")), "cost", "--format", "json", "--accounts", "1000", "--regions", "17",
            "--frequency-hours", "1", "--sweep-ms-per-account-region", str(measured["sweep_ms_per_account_region"]),
            "--check-ms", str(measured["event_check_ms"]), "--log-bytes-per-check", str(measured["log_bytes_per_check"]),
            "--changes-per-month", str(changes_per_month),
            "--tamper-events-per-month", str(measured["tamper_events_per_month"])]
    report = json.loads(subprocess.run(args, check=True, capture_output=True, text=True).stdout)
    return {f"{e['mode']}/{e['reporting']}": round(e["total_usd"], 2) for e in report["estimates"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--accounts", type=int, default=12)
    parser.add_argument("--hours", type=int, default=48)
    parser.add_argument("--event-latency-minutes", type=float, default=3.0,
                        help="CloudTrail call to EventBridge delivery (AWS documents it as best effort; minutes)")
    parser.add_argument("--latency-ms", type=float, default=50.0, help="added to every emulator response")
    parser.add_argument("--output", type=Path, default=REPO / "bench" / "simulation.json")
    args = parser.parse_args()
    breaks = timeline(args.accounts, args.hours)
    emulator = Emulator().start()
    runtime = LambdaRuntime().start()
    try:
        naive = Deployment(emulator, runtime, args.accounts, delta=False)
        emulator.set_latency(args.latency_ms)
        periodic = periodic_pass(naive, breaks, args.hours)
        smart = Deployment(emulator, runtime, args.accounts, delta=True)
        emulator.set_latency(args.latency_ms)
        requests_before = emulator.requests()
        eventful = event_pass(smart, breaks, args.hours, args.event_latency_minutes)
        requests = {k: v - requests_before.get(k, 0) for k, v in emulator.requests().items()}
    finally:
        runtime.stop()
        emulator.stop()

    account_regions = args.accounts * len(REGIONS)
    periodic_runs = args.hours + 1
    log_bytes = sum(len(log.encode()) for log in naive.logs) / (account_regions * periodic_runs)
    days = args.hours / 24
    changes = sum(1 for e in smart.health_events if e["detail"]["trigger"]["kind"] == "config")
    measured = {
        "sweep_ms_per_account_region": round(statistics.median(naive.run_seconds) * 1000 / account_regions, 1),
        "event_check_ms": round(statistics.median(smart.event_seconds) * 1000, 1),
        "log_bytes_per_check": round(log_bytes),
        "s3_requests_per_account_region": round(sum(v for k, v in requests.items() if k.startswith("s3:"))
                                                / (account_regions * len(smart.run_seconds)), 2),
        "kms_requests_per_account_region": round(sum(v for k, v in requests.items() if k.startswith("kms:"))
                                                 / (account_regions * len(smart.run_seconds)), 2),
        "tamper_events_per_month": round(2 * len(breaks) / days * 30.4 * 1000 / args.accounts),
    }
    # Evaluations on a steady day (day 1, after the first run's baseline), per account.
    steady_day = 1 if days >= 2 else 0
    per_day = {"periodic": naive.reported_per_day.get(steady_day, 0), "delta+events": smart.reported_per_day.get(steady_day, 0)}
    result = {
        "accounts": args.accounts, "regions": REGIONS, "hours": args.hours, "breaks": len(breaks),
        "event_latency_minutes": args.event_latency_minutes, "latency_ms": args.latency_ms,
        "mttd_minutes": {"periodic": summary(periodic), "event": summary(eventful)},
        "evaluations_on_day": {"day": steady_day, **per_day},
        "health_events": {"config": changes, "cloudtrail": len(smart.health_events) - changes},
        "measured": measured,
        "monthly_cost_1000x17_hourly_usd": {
            "measured_change_rate": cost(measured, changes / days * 30.4 * 1000 / args.accounts),
            "200_changes_a_month": cost(measured, 200),
        },
    }
    args.output.write_text(json.dumps(result, indent=2) + "\n")
    # The periodic pass's log: its verdicts are dated by the runs' (simulated) trigger times. The event
    # path's lines are dated by the wall clock, which a compressed timeline does not share.
    (args.output.parent / "simulation-history.jsonl").write_text("".join(naive.logs))
    ous = {m.account: m.ou or "root" for m in naive.org.members}
    (args.output.parent / "simulation-ous.json").write_text(json.dumps(ous, indent=2) + "\n")

    print(f"simulation: {args.accounts} accounts x {len(REGIONS)} regions, {args.hours} simulated hours, "
          f"{len(breaks)} breaks (each repaired 3.5 h later), {args.latency_ms:.0f} ms added per AWS response")
    print(f"{'path':<34}{'MTTD mean':>11}{'median':>9}{'max':>9}  budget")
    for name, figures, budget in [("periodic (hourly run)", result["mttd_minutes"]["periodic"], 60),
                                  (f"event ({args.event_latency_minutes:g} min CloudTrail latency)",
                                   result["mttd_minutes"]["event"], 5)]:
        ok = "met" if figures["max"] <= budget else "NOT met"
        print(f"{name:<34}{figures['mean']:>10.1f}m{figures['median']:>8.1f}m{figures['max']:>8.1f}m  "
              f"<= {budget} min: {ok}")
    print(f"PutEvaluations evaluations on day {steady_day}: {per_day['periodic']} periodic (every account every hour), "
          f"{per_day['delta+events']} with delta reporting and events")
    print(f"health-change events: {result['health_events']['config']} from Config runs, "
          f"{result['health_events']['cloudtrail']} from the event path")
    print("measured: " + ", ".join(f"{k} {v}" for k, v in measured.items()))
    for label, totals in result["monthly_cost_1000x17_hourly_usd"].items():
        print(f"monthly cost, 1,000 accounts x 17 regions, hourly ({label.replace('_', ' ')}): "
              + ", ".join(f"{k} ${v:,.2f}" for k, v in totals.items()))
    print(f"written: {args.output}; the periodic pass's log: bench/simulation-history.jsonl "
          f"(delivery-guard kpi --history bench/simulation-history.jsonl --ous bench/simulation-ous.json)")


if __name__ == "__main__":
    main()
