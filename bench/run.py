"""`make bench`: the figures measured so far, as a table and as JSON (bench/results.json).

Figures are medians over several runs, taken side by side in one run; nothing here is a timed
assertion. Measured now: package size, the CLI judging one account-region (all probes) against the
emulator with 0 and 50 ms added to every AWS response (wall time and peak RSS of the whole process),
and the policy evaluator's decisions per second. Not yet measured (issue "Benchmarks"): cold start
against a hello-world Lambda, organization sweeps, peers.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "emulator"))

from harness import Emulator, minimal_env, target_dir  # noqa: E402
from scenarios import rule_env, seed  # noqa: E402

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
    bench = subprocess.run([str(release / "examples" / "evaluator_bench")], capture_output=True, text=True, check=True)
    results["evaluator"] = json.loads(bench.stdout)

    out = REPO / "bench" / "results.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"{'figure':44} {'value':>14}")
    print(f"{'bootstrap.zip (x86_64)':44} {results['package_bytes'] / 1e6:>12.2f} MB")
    for figure in results["cli_one_account_region"]:
        label = f"CLI check, one account-region, +{figure['latency_ms']:.0f} ms/call"
        print(f"{label:44} {figure['wall_ms_median']:>11.1f} ms  (peak RSS {figure['peak_rss_mb']} MB)")
    evaluator = results["evaluator"]
    print(f"{'policy evaluator':44} {evaluator['ns_per_decision']:>11.0f} ns/decision")
    print(f"\nwritten to {out.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
