"""The report path given 250 evaluations at once, against the emulator: three batches of at most
100, and the one evaluation the emulator lists in FailedEvaluations sent again."""

from __future__ import annotations

import os
import subprocess

from emulator.harness import REPO, minimal_env
from emulator.scenarios import rule_env


def test_250_evaluations_three_batches_one_retry(emulator):
    account = "123123123123"
    emulator.set_overrides(account, "us-east-1", {"put_evaluations": {"fail_first": 1}})
    env = {**minimal_env(), **rule_env(emulator, account)}
    # The same toolchain and build as `make unit`'s, wherever the developer keeps them.
    env.update({k: v for k, v in os.environ.items() if k in ("CARGO_TARGET_DIR", "CARGO_HOME", "RUSTUP_HOME")})
    result = subprocess.run(
        ["cargo", "test", "--quiet", "--test", "report_emulator", "--", "--ignored"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr

    calls = emulator.put_evaluation_calls()
    assert [len(c["evaluations"]) for c in calls] == [100, 1, 100, 50]
    assert [len(c["failedEvaluations"]) for c in calls] == [1, 0, 0, 0]
    assert calls[1]["evaluations"] == calls[0]["failedEvaluations"]
    stored = {
        e["ComplianceResourceId"]
        for c in calls
        for e in c["evaluations"]
        if e not in c["failedEvaluations"]
    }
    assert len(stored) == 250
