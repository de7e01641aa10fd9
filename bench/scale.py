"""Organization-scale figures: `scan --org` and the watchdog over 10 to 1,000 accounts x 4 or 17 Regions.

The emulator (moto, one Python process) serves about 13 account-regions a second here, so the sweep
runs against a replay of it (tests/emulator/replay.py): one real sweep of an Organization of the
size measured is recorded through a proxy, in which the management account and one member (the
template) have healthy pipelines in all 17 Regions and the other members have no audit role yet; the
replay then answers every member as the template, its account ID rewritten, with 50 ms added to
every answer. Seeding is the Organization's accounts and 34 pipelines, whatever the size.

Each figure puts the tool's CPU (user + system of its process) beside the replay server's, so a run
shows whether the harness kept up: the replay must be far from a full core.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from emulator.fleet import SEVENTEEN_REGIONS
from emulator.harness import Emulator, minimal_env, stop, wait_until
from emulator.replay import record
from emulator.runtime_api import OneInvocation
from emulator.scenarios import MANAGEMENT, ORG_READER_ROLE, Account, config_event, reader_role, rule_env

AUDIT_ROLE = "ConfigDeliveryAudit"
FOUR_REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-2", "sa-east-1"]


@dataclass
class Recorded:
    """One Organization's recorded sweep."""

    path: Path
    accounts: int
    credentials: dict[str, str]


def children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def process_cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def scan_args(cli: Path, regions: list[str], concurrency: int) -> list[str]:
    return [str(cli), "scan", "--org", "--role-name", AUDIT_ROLE, "--regions", ",".join(regions),
            "--concurrency", str(concurrency), "--format", "json",
            "--parameters", json.dumps({"OrganizationReadRoleArn": ORG_READER_ROLE})]


def record_organization(accounts: int, cli: Path, bootstrap: Path, workdir: Path) -> Recorded:
    """Builds an Organization of `accounts` in the emulator, then records a real `scan --org` over 17
    Regions and a real watchdog invocation through the recording proxy."""
    emulator = Emulator().start()
    try:
        org = Account(emulator, MANAGEMENT).client("organizations")
        org.create_organization(FeatureSet="ALL")
        members = [org.create_account(Email=f"m{i}@example.com", AccountName=f"member-{i}")
                   ["CreateAccountStatus"]["AccountId"] for i in range(accounts - 1)]
        template = members[0]
        reader_role(emulator, ORG_READER_ROLE, [MANAGEMENT])
        for account in (MANAGEMENT, template):
            reader_role(emulator, f"arn:aws:iam::{account}:role/{AUDIT_ROLE}", [MANAGEMENT])
            for region in SEVENTEEN_REGIONS:
                Account(emulator, account, region).pipeline()
        env = {**minimal_env(), **rule_env(emulator, MANAGEMENT)}
        proxy, recording = record(emulator.url, template, MANAGEMENT)
        try:
            proxied = {**env, "AWS_ENDPOINT_URL": f"http://127.0.0.1:{proxy.server_port}"}
            scan = subprocess.run(scan_args(cli, SEVENTEEN_REGIONS, 64), env=proxied, capture_output=True,
                                  text=True, timeout=900)
            if scan.returncode not in (0, 1):
                raise RuntimeError(f"the recorded scan failed ({scan.returncode}): {scan.stderr[-2000:]}")
            run_watchdog(bootstrap, proxied, SEVENTEEN_REGIONS)
        finally:
            proxy.shutdown()
        path = workdir / f"recording-{accounts}.json"
        recording.save(path)
        return Recorded(path=path, accounts=accounts, credentials={
            k: v for k, v in env.items() if k.startswith("AWS_") and k != "AWS_ENDPOINT_URL"})
    finally:
        emulator.stop()


def run_watchdog(bootstrap: Path, env: dict[str, str], regions: list[str]) -> dict:
    """One watchdog invocation of the release `bootstrap` through a local Runtime API."""
    params = {"Mode": "watchdog", "AuditRoleName": AUDIT_ROLE, "Regions": ",".join(regions),
              "OrganizationReadRoleArn": ORG_READER_ROLE, "MaxConcurrency": "64"}
    api = OneInvocation(config_event(MANAGEMENT, token="scale", parameters=params), deadline_s=900)
    try:
        function_env = {**env, "AWS_LAMBDA_RUNTIME_API": api.address, "AWS_LAMBDA_FUNCTION_NAME": "bench",
                        "AWS_LAMBDA_FUNCTION_VERSION": "1", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "1769"}
        process = subprocess.Popen([str(bootstrap)], env=function_env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE)
        started = time.perf_counter()
        answered = api.answered.wait(900)
        wall = time.perf_counter() - started
        process.kill()
        process.wait()
        if not answered:
            raise RuntimeError("the watchdog did not answer within 900 s")
        return {"wall_s": round(wall, 2), "response": json.loads(api.response)}
    finally:
        api.close()


class ReplayServer:
    """tests/emulator/replay.py in a process of its own, so its CPU is its own."""

    def __init__(self, recorded: Recorded, latency_ms: float, workdir: Path):
        port_file = workdir / "replay-port"
        port_file.unlink(missing_ok=True)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "emulator.replay", "--recording", str(recorded.path), "--management", MANAGEMENT,
             "--latency-ms", str(latency_ms), "--port-file", str(port_file)],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
        wait_until(lambda: port_file.exists() and port_file.read_text(), 30, "the replay server")
        self.url = f"http://127.0.0.1:{port_file.read_text()}"

    def stats(self) -> dict:
        import urllib.request
        with urllib.request.urlopen(f"{self.url}/_replay/stats", timeout=10) as answer:
            return json.loads(answer.read())

    def stop(self) -> None:
        stop(self.process)


def sweep_figure(recorded: Recorded, cli: Path, regions: list[str], workdir: Path, spawn, wait_peak,
                 latency_ms: float = 50, concurrency: int = 64) -> dict:
    """`scan --org` over the recorded Organization in `regions`, against the replay."""
    replay = ReplayServer(recorded, latency_ms, workdir)
    try:
        env = {**minimal_env(), **recorded.credentials, "AWS_ENDPOINT_URL": replay.url}
        out = workdir / "scan.json"
        replay_cpu = process_cpu_s(replay.process.pid)
        tool_cpu = children_cpu_s()
        started = time.perf_counter()
        code, peak = wait_peak(spawn(scan_args(cli, regions, concurrency), env, stdout=out))
        wall = time.perf_counter() - started
        tool_cpu = children_cpu_s() - tool_cpu
        replay_cpu = process_cpu_s(replay.process.pid) - replay_cpu
        stats = replay.stats()
        report = json.loads(out.read_text())
        summary = report["summary"]
        judged = sum(1 for account in report["accounts"] for region in account["judgements"]
                     if region["compliance"] == "COMPLIANT")
        if code not in (0, 1) or stats["misses"]:
            raise RuntimeError(f"scan over the replay: exit {code}, replay misses {stats}")
        return {
            "accounts": recorded.accounts, "regions": len(regions), "latency_ms": latency_ms,
            "concurrency": concurrency, "wall_s": round(wall, 2),
            "account_regions": summary["account_regions"], "compliant_account_regions": judged,
            "account_regions_per_s": round(summary["account_regions"] / wall, 1),
            "tool_cpu_s": round(tool_cpu, 2),
            "tool_cpu_ms_per_account_region": round(tool_cpu * 1000 / summary["account_regions"], 2),
            "tool_peak_rss_mb": round(peak, 1),
            "harness_cpu_s": round(replay_cpu, 2), "harness_cpu_share_of_wall": round(replay_cpu / wall, 2),
            "harness_requests": stats["served"],
        }
    finally:
        replay.stop()


def watchdog_figure(recorded: Recorded, bootstrap: Path, regions: list[str], workdir: Path,
                    latency_ms: float = 50) -> dict:
    """One watchdog invocation over the recorded Organization, against the replay."""
    replay = ReplayServer(recorded, latency_ms, workdir)
    try:
        env = {**minimal_env(), **recorded.credentials, "AWS_ENDPOINT_URL": replay.url, "AWS_REGION": "us-east-1"}
        replay_cpu = process_cpu_s(replay.process.pid)
        tool_cpu = children_cpu_s()
        ran = run_watchdog(bootstrap, env, regions)
        tool_cpu = children_cpu_s() - tool_cpu
        replay_cpu = process_cpu_s(replay.process.pid) - replay_cpu
        stats = replay.stats()
        if stats["misses"]:
            raise RuntimeError(f"watchdog over the replay: replay misses {stats}")
        sweep = ran["response"].get("sweep") or {}
        return {
            "accounts": recorded.accounts, "regions": len(regions), "latency_ms": latency_ms,
            "wall_s": ran["wall_s"], "compliance": ran["response"]["compliance"], "sweep": sweep,
            "tool_cpu_s": round(tool_cpu, 2), "harness_cpu_s": round(replay_cpu, 2),
            "harness_requests": stats["served"],
        }
    finally:
        replay.stop()


def scale_figures(cli: Path, bootstrap: Path, spawn, wait_peak, sizes: list[int]) -> dict:
    """Scan and watchdog at every size x 4 Regions, and the largest also x 17 Regions."""
    workdir = Path(tempfile.mkdtemp(prefix="delivery-guard-scale-"))
    figures: dict = {"harness": "replay of a recorded emulator sweep (tests/emulator/replay.py)", "scan": [],
                     "watchdog": []}
    for size in sizes:
        started = time.perf_counter()
        recorded = record_organization(size, cli, bootstrap, workdir)
        seeded = round(time.perf_counter() - started, 1)
        figures["scan"].append({**sweep_figure(recorded, cli, FOUR_REGIONS, workdir, spawn, wait_peak),
                                "recorded_in_s": seeded})
        figures["watchdog"].append(watchdog_figure(recorded, bootstrap, FOUR_REGIONS, workdir))
        if size == max(sizes):
            figures["scan"].append(sweep_figure(recorded, cli, SEVENTEEN_REGIONS, workdir, spawn, wait_peak))
            figures["watchdog"].append(watchdog_figure(recorded, bootstrap, SEVENTEEN_REGIONS, workdir))
    return figures
