"""`make bench`: the figures measured so far, as a table and as JSON (bench/results.json).

Figures are medians over several runs, taken side by side in one run; nothing here is a timed
assertion. Measured now: package size, the CLI judging one account-region (all probes) against the
emulator with 0 and 50 ms added to every AWS response (wall time and peak RSS of the whole process),
and the policy evaluator's decisions per second, the cold start against a hello-world Lambda, and the
peers (Prowler and Cloud Custodian, from their own venv `.venv-peers`, judging the same account-region).

Cold start: process start of the release `bootstrap` to its first GET .../invocation/next on a local
Runtime API stub, against `bench/hello-lambda` built with the same profile, interleaved
(medians of 21). Not the Lambda service's own cold start: no sandbox, no download, no network.

HTML report: a 1,000 x 17 report made from a real scan of the emulated Organization (accounts copied
with their IDs rewritten, emulator/fleet.py), rendered by `delivery-guard report` and opened in
Debian's Chromium: the page's size, the render's wall time, and the time from navigation to the
page's script having drawn every view (medians of 5 loads; budget 1 s).

Organization scale (bench/scale.py): `scan --org` over N accounts x 4 Regions, and over the largest
N x 17 Regions, and one watchdog invocation over the largest N x 17, against a replay of a recorded
emulator sweep with 50 ms added to every response; the replay server's CPU beside the tool's. Sizes
come from BENCH_ORG_SIZES (default "10,100,1000").

Binaries: the release builds that `make bench` makes with cargo lambda (DELIVERY_GUARD_LAMBDA_DIR),
with the package's flags.
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

import scale
from emulator.harness import Emulator, binary, minimal_env, target_dir
from emulator.runtime_api import OneInvocation
from emulator.scenarios import ORG_READER_ROLE, config_event, rule_env, seed

RUNS = 7


def cli_figures(latency_ms: float, cli: Path) -> dict:
    emulator = Emulator(latency_ms=latency_ms).start()
    try:
        scenario = seed(emulator, "healthy")
        env = {**minimal_env(), **rule_env(emulator, scenario.account)}
        walls, peaks = [], []
        out = Path(emulator.workdir) / "check.json"
        for _ in range(RUNS):
            started = time.perf_counter()
            code, peak = wait_peak(spawn([str(cli), "check", "--format", "json"], env, stdout=out))
            walls.append(time.perf_counter() - started)
            peaks.append(peak)
            result_stdout = out.read_text()
            if code != 0:
                raise RuntimeError(f"delivery-guard check failed ({code}): {result_stdout}")
        verdict = json.loads(result_stdout)["results"][0]["compliance"]
        return {
            "latency_ms": latency_ms,
            "wall_ms_median": round(statistics.median(walls) * 1000, 1),
            "wall_ms_min": round(min(walls) * 1000, 1),
            "peak_rss_mb": round(max(peaks), 1),
            "verdict": verdict,
        }
    finally:
        emulator.stop()


def peak_rss_tool() -> Path:
    """bench/peak_rss.c, built once into the target directory (gcc is part of the build machine)."""
    source = REPO / "bench" / "peak_rss.c"
    tool = target_dir() / "peak_rss"
    if not tool.exists() or tool.stat().st_mtime < source.stat().st_mtime:
        tool.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["gcc", "-O2", "-o", str(tool), str(source)], check=True)
    return tool


def spawn(args: list[str], env: dict[str, str], stdout: Path | None = None) -> subprocess.Popen:
    """Starts `args` under peak_rss: its peak RSS is then its own, not this Python process's (a
    forked or vforked child's ru_maxrss starts at its parent's size; see bench/peak_rss.c)."""
    sink = open(stdout, "wb") if stdout else subprocess.DEVNULL
    return subprocess.Popen([str(peak_rss_tool()), *args], env=env, stdout=sink, stderr=subprocess.PIPE)


def wait_peak(process: subprocess.Popen) -> tuple[int, float]:
    """Exit code and peak RSS (MB) of a process `spawn` started."""
    _, stderr = process.communicate()
    for line in reversed(stderr.decode(errors="replace").splitlines()):
        if line.startswith("peak_rss "):
            _, code, kib = line.split()
            return int(code), int(kib) / 1024
    raise RuntimeError(f"peak_rss printed no figure: {stderr[-500:]!r}")


def kill_child(process: subprocess.Popen) -> None:
    """Stops the program peak_rss runs (peak_rss then reports and exits)."""
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
    for child in children:
        os.kill(int(child), 9)


PEERS_VENV = REPO / ".venv-peers"
PEER_RUNS = 3


def timed_run(args: list[str], env: dict[str, str], cwd: Path | None = None) -> tuple[float, int, str]:
    """Wall seconds, exit code and output of one run."""
    started = time.perf_counter()
    process = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=cwd)
    output, _ = process.communicate()
    return time.perf_counter() - started, process.returncode, output.decode(errors="replace")


def peer_figures(cli: Path, latency_ms: float = 50) -> dict:
    """The same healthy account-region judged by delivery-guard, Prowler and Cloud Custodian."""
    # One venv each: their boto3 pins need not agree.
    prowler, custodian = PEERS_VENV / "prowler" / "bin" / "prowler", PEERS_VENV / "custodian" / "bin" / "custodian"
    if not prowler.exists() or not custodian.exists():
        return {"skipped": f"{PEERS_VENV.name} is missing: `make venv-peers`"}
    emulator = Emulator(latency_ms=latency_ms).start()
    workdir = Path(emulator.workdir)
    try:
        scenario = seed(emulator, "healthy")
        env = {**minimal_env(), **rule_env(emulator, scenario.account), "AWS_DEFAULT_REGION": "us-east-1"}
        policy = workdir / "config-check.yml"
        policy.write_text(
            "policies:\n"
            "  - name: config-delivery\n"
            "    resource: aws.account\n"
            "    filters:\n"
            "      - type: check-config\n"
            "        all-resources: true\n"
            "        global-resources: true\n"
            "        running: true\n"
        )
        tools = {
            "delivery-guard": [str(cli), "check", "--regions", "us-east-1", "--format", "json"],
            "prowler": [str(prowler), "aws", "--checks", "config_recorder_all_regions_enabled", "-f", "us-east-1",
                        "--output-formats", "json-ocsf", "--output-directory", str(workdir / "prowler"),
                        "--no-banner", "--ignore-exit-code-3"],
            "custodian": [str(custodian), "run", "--region", "us-east-1", "-s", str(workdir / "custodian"),
                          str(policy)],
        }
        figures: dict = {"latency_ms": latency_ms, "runs": PEER_RUNS}
        # Interleaved, so the machine's drift touches each tool alike.
        walls: dict[str, list[float]] = {name: [] for name in tools}
        peaks: dict[str, list[float]] = {name: [] for name in tools}
        for _ in range(PEER_RUNS):
            for name, args in tools.items():
                wall, code, output = timed_run(args, env, cwd=workdir)
                if code not in (0, 1):  # 1: a finding (delivery-guard, custodian); 3 is ignored above
                    raise RuntimeError(f"{name} failed ({code}): {output[-3000:]}")
                walls[name].append(wall)
        # Peak RSS of each tool's own process (Prowler and Custodian run as one Python process each).
        for name, args in tools.items():
            for _ in range(PEER_RUNS):
                code, peak = wait_peak(spawn(args, env))
                if code not in (0, 1):
                    raise RuntimeError(f"{name} failed ({code}) measuring its memory")
                peaks[name].append(peak)
        for name in tools:
            figures[name] = {"wall_s_median": round(statistics.median(walls[name]), 3),
                             "peak_rss_mb": round(max(peaks[name]), 1)}
        fastest = min(("prowler", "custodian"), key=lambda n: figures[n]["wall_s_median"])
        leanest = min(("prowler", "custodian"), key=lambda n: figures[n]["peak_rss_mb"])
        figures["faster_than_the_faster_peer"] = round(
            figures[fastest]["wall_s_median"] / figures["delivery-guard"]["wall_s_median"], 1)
        figures["leaner_than_the_leaner_peer"] = round(
            figures[leanest]["peak_rss_mb"] / figures["delivery-guard"]["peak_rss_mb"], 1)
        figures["versions"] = {
            "prowler": subprocess.run([str(prowler), "--version"], capture_output=True, text=True).stdout.strip(),
            "custodian": subprocess.run([str(custodian), "version"], capture_output=True, text=True).stdout.strip(),
        }
        return figures
    finally:
        emulator.stop()


def cold_start_ms(binary: Path, env: dict[str, str]) -> float:
    """Process start to the first GET .../invocation/next, one run."""
    api = OneInvocation()
    try:
        function_env = {**minimal_env(), **env, "AWS_LAMBDA_RUNTIME_API": api.address,
                        "AWS_LAMBDA_FUNCTION_NAME": "bench", "AWS_LAMBDA_FUNCTION_VERSION": "1",
                        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128"}
        started = time.perf_counter()
        process = subprocess.Popen([str(binary)], env=function_env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        if not api.asked.wait(10):
            process.kill()
            raise RuntimeError(f"{binary.name} never asked for an invocation")
        elapsed = api.asked_at - started
        process.kill()
        process.wait()
        return elapsed * 1000
    finally:
        api.close()


def cold_start_figures() -> dict:
    """bootstrap against a hello-world built with the same profile, runs interleaved."""
    env = {"AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
    hello, rule = [], []
    for _ in range(COLD_RUNS):
        hello.append(cold_start_ms(binary("hello-lambda"), env))
        rule.append(cold_start_ms(binary("bootstrap"), env))
    return {
        "runs": COLD_RUNS,
        "hello_world_ms_median": round(statistics.median(hello), 2),
        "bootstrap_ms_median": round(statistics.median(rule), 2),
        "ratio": round(statistics.median(rule) / statistics.median(hello), 2),
    }


COLD_RUNS = 21


def lambda_peak_rss(binary: Path) -> dict:
    """Peak RSS of the release `bootstrap` serving one full evaluation (all probes) of a healthy
    pipeline in the emulator, through the Runtime API stub."""
    emulator = Emulator().start()
    try:
        scenario = seed(emulator, "healthy")
        peaks = []
        for _ in range(RUNS):
            api = OneInvocation(config_event(scenario.account, token="bench"))
            try:
                env = {**minimal_env(), **rule_env(emulator, scenario.account), "AWS_LAMBDA_RUNTIME_API": api.address,
                       "AWS_LAMBDA_FUNCTION_NAME": "bench", "AWS_LAMBDA_FUNCTION_VERSION": "1",
                       "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128"}
                process = spawn([str(binary)], env)
                answered = api.answered.wait(30)
                kill_child(process)
                _, peak = wait_peak(process)
                if not answered:
                    raise RuntimeError("bootstrap did not answer the invocation")
                peaks.append(peak)
                verdict = json.loads(api.response)["compliance"]
            finally:
                api.close()
        return {"peak_rss_mb_max": round(max(peaks), 1), "peak_rss_mb_median": round(statistics.median(peaks), 1),
                "verdict": verdict}
    finally:
        emulator.stop()

def report_figures(cli: Path, loads: int = 5) -> dict:
    """The HTML report of 1,000 accounts x 17 Regions: size, render time, time to interactive."""
    from emulator.browser import chromium
    from emulator.fleet import SEVENTEEN_REGIONS, fleet_of
    from emulator.organization import (AUDIT_ROLE, EXTERNAL_ID, REGIONS, build, deny_recorder_role_writes,
                                       members_sharing_a_cause)

    emulator = Emulator().start()
    try:
        org = build(emulator, plan=members_sharing_a_cause())
        deny_recorder_role_writes(emulator, "workloads")
        scan = subprocess.run(
            [str(cli), "scan", "--org", "--role-name", AUDIT_ROLE, "--external-id", EXTERNAL_ID, "--regions",
             ",".join(REGIONS), "--format", "json", "--parameters", json.dumps({"OrganizationReadRoleArn": ORG_READER_ROLE})],
            env={**minimal_env(), **rule_env(emulator, org.audit)}, capture_output=True, text=True, timeout=600)
    finally:
        emulator.stop()
    work = REPO / "target" / "bench-report"
    work.mkdir(parents=True, exist_ok=True)
    fleet = work / "fleet.json"
    fleet.write_text(json.dumps(fleet_of(json.loads(scan.stdout), 1000, SEVENTEEN_REGIONS)))
    page = work / "fleet.html"
    started = time.perf_counter()
    rendered = subprocess.run([str(cli), "report", str(fleet), "--format", "html"], capture_output=True, text=True)
    render_s = time.perf_counter() - started
    page.write_text(rendered.stdout)
    markdown = subprocess.run([str(cli), "report", str(fleet), "--format", "markdown"], capture_output=True, text=True)
    ready = []
    with chromium() as browser:
        for _ in range(loads):
            tab = browser.new_page(viewport={"width": 1440, "height": 900})
            tab.goto(page.as_uri())
            tab.wait_for_function("document.body.dataset.ready === '1'")
            ready.append(tab.evaluate("Number(document.body.dataset.readyMs)"))
            tab.close()
    return {"accounts": 1000, "regions": 17, "html_bytes": page.stat().st_size, "render_s": round(render_s, 2),
            "interactive_ms_median": statistics.median(ready), "interactive_ms_runs": ready,
            "markdown_bytes": len(markdown.stdout.encode())}


def main() -> int:
    cli = binary("delivery-guard")
    zip_path = REPO / "dist" / "x86_64" / "bootstrap" / "bootstrap.zip"
    results: dict = {
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()},
        "rustc": subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip(),
        "runs": RUNS,
    }
    results["package_bytes"] = zip_path.stat().st_size
    results["cold_start"] = cold_start_figures()
    results["lambda_one_evaluation"] = lambda_peak_rss(binary("bootstrap"))
    results["cli_one_account_region"] = [cli_figures(0, cli), cli_figures(50, cli)]
    sizes = [int(n) for n in os.environ.get("BENCH_ORG_SIZES", "10,100,1000").split(",") if n.strip()]
    results["organization_scale"] = scale.scale_figures(cli, binary("bootstrap"), spawn, wait_peak, sizes)
    results["html_report"] = report_figures(cli)
    results["peers"] = peer_figures(cli)
    bench = subprocess.run([str(binary("evaluator_bench"))], capture_output=True, text=True, check=True)
    results["evaluator"] = json.loads(bench.stdout)

    out = REPO / "bench" / "results.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"{'figure':44} {'value':>14}")
    print(f"{'bootstrap.zip (x86_64)':44} {results['package_bytes'] / 1e6:>12.2f} MB")
    cold = results["cold_start"]
    print(f"{'cold start: bootstrap / hello-world':44} {cold['bootstrap_ms_median']:>8.2f} ms / "
          f"{cold['hello_world_ms_median']:.2f} ms  (x{cold['ratio']})")
    lam = results["lambda_one_evaluation"]
    print(f"{'bootstrap, one evaluation, all probes':44} {lam['peak_rss_mb_max']:>11.1f} MB peak RSS")
    for figure in results["cli_one_account_region"]:
        label = f"CLI check, one account-region, +{figure['latency_ms']:.0f} ms/call"
        print(f"{label:44} {figure['wall_ms_median']:>11.1f} ms  (peak RSS {figure['peak_rss_mb']} MB)")
    for sweep in results["organization_scale"]["scan"]:
        label = f"scan --org, {sweep['accounts']} x {sweep['regions']} Regions, +{sweep['latency_ms']:.0f} ms"
        print(f"{label:44} {sweep['wall_s']:>12.2f} s  ({sweep['account_regions_per_s']} account-regions/s; "
              f"{sweep['tool_cpu_ms_per_account_region']} ms CPU each; peak RSS {sweep['tool_peak_rss_mb']} MB; "
              f"harness CPU {sweep['harness_cpu_s']} s = {sweep['harness_cpu_share_of_wall']:.0%} of a core)")
    for watchdog in results["organization_scale"]["watchdog"]:
        label = f"watchdog, {watchdog['accounts']} x {watchdog['regions']} Regions, +{watchdog['latency_ms']:.0f} ms"
        print(f"{label:44} {watchdog['wall_s']:>12.2f} s  ({watchdog['sweep'].get('account_regions')} account-regions "
              f"judged, {watchdog['sweep'].get('unverified')} unverified; CPU {watchdog['tool_cpu_s']} s; "
              f"harness CPU {watchdog['harness_cpu_s']} s)")
    report = results["html_report"]
    print(f"{'HTML report, 1,000 accounts x 17 Regions':44} {report['interactive_ms_median']:>11.0f} ms to interactive  "
          f"({report['html_bytes'] / 1e6:.1f} MB, rendered in {report['render_s']} s; Markdown summary "
          f"{report['markdown_bytes'] / 1e3:.0f} KB)")
    evaluator = results["evaluator"]
    print(f"{'policy evaluator':44} {evaluator['ns_per_decision']:>11.0f} ns/decision")
    peers = results["peers"]
    if "skipped" in peers:
        print(f"{'peers':44} skipped: {peers['skipped']}")
    else:
        for name in ("delivery-guard", "prowler", "custodian"):
            label = f"{name}, one account-region, +{peers['latency_ms']:.0f} ms"
            print(f"{label:44} {peers[name]['wall_s_median'] * 1000:>11.0f} ms  (peak RSS {peers[name]['peak_rss_mb']} MB)")
        print(f"{'against the faster / leaner peer':44} x{peers['faster_than_the_faster_peer']} faster, "
              f"x{peers['leaner_than_the_leaner_peer']} leaner")
    print(f"\nwritten to {out.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
