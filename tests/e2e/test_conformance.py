"""`make conformance`: every scenario against the emulator, and the sandbox path (`--live`) against
the emulator standing in for a sandbox account: its guards, its portable scenarios and its cleanup.
The live run against AWS itself cannot happen here (no account, no internet); the README says how."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from emulator.harness import minimal_env
from emulator.scenarios import SCENARIOS, Account, credentials

SANDBOX = "121212121212"


def conformance(args: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "emulator.conformance", *args], capture_output=True, text=True,
                          timeout=900, env={**minimal_env(), "CARGO_TARGET_DIR": os.environ.get("CARGO_TARGET_DIR", ""),
                                            **(env or {})})


def sandbox_env(emulator, account: str = SANDBOX, named: str | None = SANDBOX) -> dict[str, str]:
    env = credentials(emulator, account)
    if named is not None:
        env["DELIVERY_GUARD_CONFORMANCE_ACCOUNT"] = named
    return {**env, "AWS_DEFAULT_REGION": "us-east-1"}


def test_every_scenario_holds_against_the_emulator():
    result = conformance([])
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{len(SCENARIOS)} of {len(SCENARIOS)} scenario(s) as expected" in result.stdout
    assert "FAIL" not in result.stdout
    assert "status casing: emulated" in result.stdout, "the emulator's run is no evidence for AWS's behaviour"


def test_the_sandbox_run_judges_the_portable_scenarios_and_deletes_what_it_made(emulator):
    live = ["--live", "--endpoint", emulator.url, "--settle", "0"]
    result = conformance(live, sandbox_env(emulator))
    assert result.returncode == 0, result.stdout + result.stderr
    portable = [s for s in SCENARIOS.values() if s.portable]
    assert f"{len(portable)} of {len(portable)} scenario(s) as expected" in result.stdout
    for scenario in portable:
        assert f"PASS  {scenario.name}" in result.stdout
    assert "PutEvaluations for another account's ID: confirmed (test mode)" in result.stdout
    assert "status casing: confirmed: Config sent the model's casing" in result.stdout
    assert "aws:SourceOrgID on each delivery call: untested" in result.stdout

    sandbox = Account(emulator, SANDBOX)
    assert sandbox.client("config").describe_configuration_recorders()["ConfigurationRecorders"] == []
    assert [b["Name"] for b in sandbox.client("s3").list_buckets()["Buckets"]] == []
    kms = sandbox.client("kms")
    states = {kms.describe_key(KeyId=k["KeyId"])["KeyMetadata"]["KeyState"] for k in kms.list_keys()["Keys"]}
    assert states == {"PendingDeletion"}, states


@pytest.mark.parametrize("why", ["unnamed", "other-account", "organization-member", "has-a-recorder"])
def test_the_sandbox_run_refuses_an_account_it_was_not_given(emulator, why):
    env = sandbox_env(emulator, named=None if why == "unnamed" else SANDBOX)
    if why == "other-account":
        env = sandbox_env(emulator, account="131313131313")
    if why == "organization-member":
        Account(emulator, SANDBOX).client("organizations").create_organization(FeatureSet="ALL")
    if why == "has-a-recorder":
        Account(emulator, SANDBOX).client("config").put_configuration_recorder(ConfigurationRecorder={
            "name": "theirs", "roleARN": f"arn:aws:iam::{SANDBOX}:role/theirs"})
    result = conformance(["--live", "--endpoint", emulator.url, "--settle", "0"], env)
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.startswith("refused: "), result.stderr
    assert "conformance in sandbox" not in result.stdout, "nothing may be created in a refused account"
    if why == "organization-member":
        allowed = conformance(["--live", "--endpoint", emulator.url, "--settle", "0", "--allow-organization-member",
                               "--scenarios", "healthy"], env)
        assert allowed.returncode == 0, allowed.stdout + allowed.stderr
