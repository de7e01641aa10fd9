"""`make bench`: the figures measured so far, as a table and as JSON (bench/results.json).

Figures are medians over several runs, taken side by side in one run; nothing here is a timed
assertion. Measured now: package size, the CLI judging one account-region (all probes) against the
emulator with 0 and 50 ms added to every AWS response (wall time and peak RSS of the whole process),
and the policy evaluator's decisions per second. Not yet measured (issue "Benchmarks"): cold start
against a hello-world Lambda, peers.

Organization sweep: `delivery-guard scan --org` over N accounts x 4 regions (healthy pipelines, audit
role in each), seeded without latency, then measured with 50 ms added to every response. Sizes come
from BENCH_ORG_SIZES (default "10,100"; "10,100,1000" for the full curve, which takes minutes to seed).
"""

from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "emulator"))

from harness import Emulator, minimal_env, target_dir  # noqa: E402
from scenarios import MANAGEMENT, ORG_READER_ROLE, Account, rule_env, seed  # noqa: E402

RUNS = 7


def cli_figures(latency_ms: float, cli: Path) -> dict:
    emulator = Emulator(latency_ms=latency_ms).start()
    try:
        scenario = seed(emulator, "healthy")
        env = {**minimal_env(), **rule_env(emulator, scenario.account)}
        walls, peaks = [], []
        for _ in range(RUNS):
            started = time.perf_counter()
            process = subprocess.Popen(
                [str(cli), "check", "--format", "json"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
            )
            stdout, stderr = process.stdout.read(), process.stderr.read()
            # wait4 gives this child's own peak RSS, not the largest of all children so far.
            _, status, usage = os.wait4(process.pid, 0)
            walls.append(time.perf_counter() - started)
            peaks.append(usage.ru_maxrss)
            if os.waitstatus_to_exitcode(status) != 0:
                raise RuntimeError(f"delivery-guard check failed: {stdout.decode()}{stderr.decode()}")
            result_stdout = stdout.decode()
        verdict = json.loads(result_stdout)["results"][0]["compliance"]
        return {
            "latency_ms": latency_ms,
            "wall_ms_median": round(statistics.median(walls) * 1000, 1),
            "wall_ms_min": round(min(walls) * 1000, 1),
            "peak_rss_mb": round(max(peaks) / 1024, 1),
            "verdict": verdict,
        }
    finally:
        emulator.stop()


def process_cpu_s(pid: int) -> float:
    """User plus system CPU seconds of a running process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


SWEEP_REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-2", "sa-east-1"]
SWEEP_ROLE = "ConfigDeliveryAudit"


def sweep_figures(accounts: int, cli: Path, latency_ms: float = 50, concurrency: int = 64) -> dict:
    """One scan of the whole Organization; the emulator is seeded without latency first."""
    emulator = Emulator().start()
    try:
        org = Account(emulator, MANAGEMENT).client("organizations")
        org.create_organization(FeatureSet="ALL")
        ids = [MANAGEMENT]
        for index in range(accounts - 1):
            status = org.create_account(Email=f"m{index}@example.com", AccountName=f"member-{index}")
            ids.append(status["CreateAccountStatus"]["AccountId"])
        for account in ids:
            for region in SWEEP_REGIONS:
                Account(emulator, account, region).pipeline()
        emulator.set_latency(latency_ms)
        env = {**minimal_env(), **rule_env(emulator, ids[0])}
        args = [str(cli), "scan", "--org", "--role-name", SWEEP_ROLE, "--regions", ",".join(SWEEP_REGIONS),
                "--concurrency", str(concurrency), "--format", "json",
                "--parameters", json.dumps({"OrganizationReadRoleArn": ORG_READER_ROLE})]
        emulator_cpu_before = process_cpu_s(emulator.process.pid)
        scan_cpu_before = children_cpu_s()
        started = time.perf_counter()
        process = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        stdout, stderr = process.communicate()
        wall = time.perf_counter() - started
        emulator_cpu = process_cpu_s(emulator.process.pid) - emulator_cpu_before
        if process.returncode != 0:
            raise RuntimeError(f"scan failed ({process.returncode}): {stderr.decode()}{stdout.decode()[-2000:]}")
        summary = json.loads(stdout)["summary"]
        return {
            "accounts": accounts,
            "regions": len(SWEEP_REGIONS),
            "latency_ms": latency_ms,
            "concurrency": concurrency,
            "wall_s": round(wall, 2),
            "account_regions_per_s": round(summary["account_regions"] / wall, 1),
            # Where the time goes on this 2-core machine: the scan's own CPU and the emulator's.
            "scan_cpu_s": round(children_cpu_s() - scan_cpu_before, 2),
            "emulator_cpu_s": round(emulator_cpu, 2),
            "summary": summary,
        }
    finally:
        emulator.stop()


def main() -> int:
    release = target_dir() / "release"
    cli = release / "delivery-guard"
    zip_path = REPO / "dist" / "x86_64" / "bootstrap" / "bootstrap.zip"
    results: dict = {
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()},
        "rustc": subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip(),
        "runs": RUNS,
    }
    results["package_bytes"] = zip_path.stat().st_size
    results["cli_one_account_region"] = [cli_figures(0, cli), cli_figures(50, cli)]
    sizes = [int(n) for n in os.environ.get("BENCH_ORG_SIZES", "10,100").split(",") if n.strip()]
    results["organization_sweep"] = [sweep_figures(n, cli) for n in sizes]
    bench = subprocess.run([str(release / "examples" / "evaluator_bench")], capture_output=True, text=True, check=True)
    results["evaluator"] = json.loads(bench.stdout)

    out = REPO / "bench" / "results.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"{'figure':44} {'value':>14}")
    print(f"{'bootstrap.zip (x86_64)':44} {results['package_bytes'] / 1e6:>12.2f} MB")
    for figure in results["cli_one_account_region"]:
        label = f"CLI check, one account-region, +{figure['latency_ms']:.0f} ms/call"
        print(f"{label:44} {figure['wall_ms_median']:>11.1f} ms  (peak RSS {figure['peak_rss_mb']} MB)")
    for sweep in results["organization_sweep"]:
        label = f"scan --org, {sweep['accounts']} accounts x {sweep['regions']} regions, +{sweep['latency_ms']:.0f} ms"
        print(f"{label:44} {sweep['wall_s']:>12.2f} s  ({sweep['account_regions_per_s']} account-regions/s; "
              f"CPU: scan {sweep['scan_cpu_s']} s, emulator {sweep['emulator_cpu_s']} s)")
    evaluator = results["evaluator"]
    print(f"{'policy evaluator':44} {evaluator['ns_per_decision']:>11.0f} ns/decision")
    print(f"\nwritten to {out.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
