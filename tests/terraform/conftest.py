"""Helpers for the Terraform checks: the real Terraform binary, offline, in scratch data dirs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TERRAFORM = REPO / "terraform"
MODULES = TERRAFORM / "modules"
TF = Path(__file__).with_name("terraform_cli.py")
STAND_IN = Path(__file__).with_name("stand_in")
sys.path.insert(0, str(STAND_IN))

import mirror  # noqa: E402  (stand_in/, on the path above)


class Terraform:
    """Runs Terraform with its data dir and CLI config outside the repository."""

    def __init__(self, scratch: Path, cli_config: str = ""):
        self.scratch = scratch
        config = scratch / "terraformrc"
        config.write_text(cli_config)
        self.env = {**os.environ, "TF_CLI_CONFIG_FILE": str(config), "TF_IN_AUTOMATION": "1", "CHECKPOINT_DISABLE": "1"}

    def run(self, *args: str, cwd: Path, data_dir: Path | None = None) -> subprocess.CompletedProcess:
        env = dict(self.env)
        if data_dir is not None:
            env["TF_DATA_DIR"] = str(data_dir)
        return subprocess.run(
            [sys.executable, str(TF), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
        )

    def test(self, module: Path, label: str) -> subprocess.CompletedProcess:
        """`terraform init` and `terraform test` of a provider-free module."""
        data = self.scratch / f"data-{label}"
        init = self.run("init", "-input=false", "-no-color", cwd=module, data_dir=data)
        assert init.returncode == 0, init.stdout + init.stderr
        return self.run("test", "-no-color", cwd=module, data_dir=data)


@pytest.fixture(scope="session")
def terraform(tmp_path_factory) -> Terraform:
    return Terraform(tmp_path_factory.mktemp("terraform"))


@pytest.fixture(scope="session")
def aws_schema(tmp_path_factory) -> Path:
    """hashicorp/aws 6.25.0's schema as protobuf, rebuilt from @cdktf/provider-aws (stand_in/)."""
    package = Path(os.environ.get("PROVIDER_PACKAGE", ""))
    assert (package / "lib").is_dir(), "PROVIDER_PACKAGE must point at the unpacked @cdktf/provider-aws (make terraform fetches it)"
    out = tmp_path_factory.mktemp("stand-in") / "aws-6.25.0.pb"
    done = subprocess.run(
        [sys.executable, str(STAND_IN / "schema_from_cdktf.py"), str(package), str(out)], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    out.with_suffix(".report").write_text(done.stderr)  # counts, failures, approximations
    return out


@pytest.fixture(scope="session")
def planner(tmp_path_factory, aws_schema) -> Terraform:
    """Terraform with the schema-only hashicorp/aws installed from a filesystem mirror."""
    scratch = tmp_path_factory.mktemp("planner")
    return Terraform(scratch, mirror.install(scratch / "mirror", aws_schema))


@pytest.fixture(scope="session")
def workspace(tmp_path_factory) -> Path:
    """A copy of terraform/ alone (a module reads nothing outside its folder), so that `init` writes
    its lock files and data outside the repository."""
    root = tmp_path_factory.mktemp("workspace")
    ignore = shutil.ignore_patterns(".terraform", ".terraform.lock.hcl", "*.tfstate*")
    shutil.copytree(TERRAFORM, root / "terraform", ignore=ignore)
    return root / "terraform"


@pytest.fixture(scope="session")
def rendered(terraform, tmp_path_factory) -> dict:
    """Every document the modules apply, rendered by Terraform from tests/terraform/render."""
    scratch = tmp_path_factory.mktemp("render")
    root = Path(__file__).with_name("render")
    data = scratch / "data"
    state = scratch / "terraform.tfstate"
    for args in (("init", "-input=false", "-no-color"), ("apply", "-auto-approve", "-input=false", "-no-color", f"-state={state}")):
        done = terraform.run(*args, cwd=root, data_dir=data)
        assert done.returncode == 0, done.stdout + done.stderr
    out = terraform.run("output", "-json", f"-state={state}", cwd=root, data_dir=data)
    assert out.returncode == 0, out.stderr
    return {name: value["value"] for name, value in json.loads(out.stdout).items()}


def tool(name: str) -> str:
    """A command of this venv (checkov, trivy), wherever the venv lives."""
    found = Path(sys.executable).with_name(name)
    return str(found) if found.exists() else shutil.which(name) or name
