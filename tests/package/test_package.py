"""The artifact users deploy: `make package`'s bootstrap.zip, unpacked and run as Lambda would."""

from __future__ import annotations

import os
import stat
import zipfile
from pathlib import Path

from emulator.harness import REPO
from emulator.scenarios import config_event, rule_env, seed

DIST = Path(os.environ.get("DELIVERY_GUARD_DIST", REPO / "dist"))
ZIP = DIST / "x86_64" / "bootstrap" / "bootstrap.zip"


def test_the_zip_holds_one_executable_bootstrap():
    assert ZIP.exists(), f"{ZIP} is missing: run `make package`"
    with zipfile.ZipFile(ZIP) as archive:
        [entry] = archive.infolist()
        assert entry.filename == "bootstrap"
        mode = entry.external_attr >> 16
        assert mode & stat.S_IXUSR, oct(mode)
        header = archive.read(entry)[:20]
    assert header[:4] == b"\x7fELF"
    assert header[18] == 0x3E, "x86-64 machine type"


def test_the_packaged_bootstrap_judges_and_reports(emulator, lambda_runtime, tmp_path):
    with zipfile.ZipFile(ZIP) as archive:
        archive.extractall(tmp_path)
    executable = tmp_path / "bootstrap"
    executable.chmod(0o755)
    scenario = seed(emulator, "bucket-deleted")
    result = lambda_runtime.invoke(
        config_event(scenario.account), rule_env(emulator, scenario.account), executable=executable
    )
    assert result.ok, result.function_logs
    [call] = emulator.put_evaluation_calls()
    assert call["evaluations"][0]["ComplianceType"] == "NON_COMPLIANT"
    assert call["evaluations"][0]["Annotation"].startswith("snapshot delivery failing: NoSuchBucket")
