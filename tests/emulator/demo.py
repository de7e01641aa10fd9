"""`make demo`: real broken pipelines in the local emulator, judged by the real Lambda and CLI.

1. Starts the emulator (moto plus the project's launcher) and cargo lambda's Runtime API on 127.0.0.1.
2. Builds one pipeline per scenario, each in its own account, and breaks it the way it breaks in life.
3. Invokes the `bootstrap` Lambda binary once per account with a periodic Config event, and shows
   what AWS Config received through PutEvaluations.
4. Runs `delivery-guard check` in one broken account, as an engineer would during an incident.
5. Builds an Organization of 25 accounts in four OUs and two regions (four of them broken by one SCP
   on an OU), runs the watchdog Lambda once in its audit account, then `delivery-guard scan --org`:
   the root causes, the HTML report (dist/organization-report.html), the Markdown summary
   (dist/organization-summary.md) and the saved scan (dist/organization-scan.json) that a later
   `scan --baseline` compares with.
6. Stops everything it started.
"""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path

from .harness import REPO, Emulator, LambdaRuntime, run_cli
from .organization import AUDIT_ROLE, EXTERNAL_ID, REGIONS, build, deny_recorder_role_writes, members_sharing_a_cause
from .scenarios import DEMO, ORG_READER_ROLE, config_event, rule_env, seed

BOLD, RED, GREEN, DIM, RESET = ("\033[1m", "\033[31m", "\033[32m", "\033[2m", "\033[0m") if sys.stdout.isatty() else ("",) * 5


def heading(text: str) -> None:
    print(f"\n{BOLD}== {text}{RESET}")


def main() -> int:
    emulator = Emulator().start()
    runtime = LambdaRuntime()
    try:
        runtime.start()
        heading(f"Local AWS emulator on {emulator.url}; Lambda Runtime API on 127.0.0.1:{runtime.port}")
        heading("Building pipelines, one account each")
        scenarios = [seed(emulator, name) for name in DEMO]
        for scenario in scenarios:
            print(f"  {scenario.account}  {scenario.name:22}  {scenario.story}")

        heading("Invoking the Lambda (bootstrap) once per account, as AWS Config does")
        rows = []
        for scenario in scenarios:
            before = len(emulator.put_evaluation_calls())
            result = runtime.invoke(
                config_event(scenario.account, token=f"demo-{scenario.name}"), rule_env(emulator, scenario.account)
            )
            calls = emulator.put_evaluation_calls()[before:]
            if not result.ok or not calls:
                print(f"  {RED}invocation for {scenario.name} failed{RESET}: {result.stderr}{result.function_logs}")
                return 1
            evaluation = calls[-1]["evaluations"][0]
            rows.append((scenario, evaluation))
            print(f"  {DIM}{scenario.account}: {len(result.log_lines())} JSON log line(s), verdict reported{RESET}")

        heading("What AWS Config received (PutEvaluations, resource AWS::::Account)")
        print(f"  {'ACCOUNT':12}  {'SCENARIO':22}  VERDICT, then the annotation Config shows (root cause first)")
        for scenario, evaluation in rows:
            verdict = evaluation["ComplianceType"]
            colour = GREEN if verdict == "COMPLIANT" else RED
            print(f"  {scenario.account:12}  {scenario.name:22}  {colour}{verdict}{RESET}  {DIM}({scenario.story}){RESET}")
            annotation = textwrap.fill(
                evaluation.get("Annotation", ""), width=100, break_on_hyphens=False, break_long_words=False
            )
            print(textwrap.indent(annotation, " " * 40))
        wrong = [s.name for s, e in rows if e["ComplianceType"] != s.expected_compliance]
        if wrong:
            print(f"\n  {RED}unexpected verdicts for: {', '.join(wrong)}{RESET}")
            return 1

        broken = next(s for s, _ in rows if s.name == "role-lost-put-object")
        heading(f"An engineer runs the CLI in account {broken.account}: delivery-guard check")
        cli = run_cli(["check"], rule_env(emulator, broken.account))
        print(textwrap.indent(cli.stdout.rstrip(), "  "))
        print(f"  {DIM}(exit status {cli.returncode}: 0 compliant, 1 non-compliant, 2 error){RESET}")
        organization_demo(emulator, runtime)
        heading("Done: every process started here is stopped")
        return 0
    finally:
        runtime.stop()
        emulator.stop()


def organization_demo(emulator: Emulator, runtime: LambdaRuntime) -> None:
    heading("An Organization: 25 accounts in four OUs, pipelines in us-east-1 and eu-west-1")
    org = build(emulator, plan=members_sharing_a_cause())
    deny_recorder_role_writes(emulator, "workloads")
    print(f"  audit account {org.audit}; one member lacks the audit role, one has its Config reads throttled;")
    print("  an SCP on OU workloads denies s3:PutObject to a recorder role four members use")

    heading("The watchdog rule in the audit account: one invocation, one evaluation per account")
    params = org.parameters("watchdog", Regions=",".join(REGIONS))
    result = runtime.invoke(config_event(org.audit, token="demo-watchdog", parameters=params),
                            rule_env(emulator, org.audit), timeout=300)
    print(f"  {DIM}Lambda response: {json.dumps(result.response().get('sweep'))}{RESET}")
    print(f"  annotation: {result.response().get('annotation')}")
    names = {m.account: m.name for m in org.members}
    calls = [c for c in emulator.put_evaluation_calls() if c["resultToken"] == "demo-watchdog"]
    for evaluation in sorted((e for c in calls for e in c["evaluations"]), key=lambda e: names[e["ComplianceResourceId"]]):
        verdict = evaluation["ComplianceType"]
        colour = GREEN if verdict == "COMPLIANT" else RED
        account = evaluation["ComplianceResourceId"]
        print(f"  {account}  {names[account]:18}  {colour}{verdict:13}{RESET}  {DIM}{evaluation['Annotation'][:90]}{RESET}")

    heading("The same from a laptop: delivery-guard scan --org, grouped by root cause")
    args = ["scan", "--org", "--role-name", AUDIT_ROLE, "--external-id", EXTERNAL_ID, "--regions", ",".join(REGIONS),
            "--parameters", json.dumps({"OrganizationReadRoleArn": ORG_READER_ROLE})]
    table = run_cli([*args, "--format", "table"], rule_env(emulator, org.audit), timeout=300).stdout.rstrip()
    causes = table.split("ROOT CAUSES", 1)[1].split("\n\n", 1)[0]
    print("  ROOT CAUSES" + "\n  ".join(causes.splitlines()[:9]))
    print("  " + table.splitlines()[-1])
    dist = Path(REPO) / "dist"
    dist.mkdir(parents=True, exist_ok=True)
    saved = dist / "organization-scan.json"
    saved.write_text(run_cli([*args, "--format", "json"], rule_env(emulator, org.audit), timeout=300).stdout)
    (dist / "organization-report.html").write_text(run_cli(["report", str(saved), "--format", "html"], {}).stdout)
    (dist / "organization-summary.md").write_text(run_cli(["report", str(saved), "--format", "markdown"], {}).stdout)
    print(f"  written to dist/: organization-report.html (self-contained; open it in a browser), "
          f"organization-summary.md (for a CI job or a pull request), organization-scan.json "
          f"(delivery-guard report renders it again; scan --baseline compares with it)")


if __name__ == "__main__":
    sys.exit(main())
