"""Process management shared by the end-to-end tests and `make demo`.

Starts the emulator launcher and cargo lambda's Runtime API emulator on 127.0.0.1, runs the real
`bootstrap` and `delivery-guard` binaries against them, and stops every process it started by PID.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
LAUNCHER = HERE / "launcher.py"
REGION = "us-east-1"
# The roles assumed, strict in the emulator as in STS: the function role, the log-archive and
# Organization readers (scenarios.py) and the audit role (organization.py) must exist and trust the caller.
STRICT_ROLES = ("ConfigDeliveryGuardRule", "ConfigDeliveryGuardReader", "ConfigDeliveryGuardOrgReader",
                "ConfigDeliveryAudit")


def target_dir() -> Path:
    return Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))


def binary(name: str) -> Path:
    """A built binary: from DELIVERY_GUARD_LAMBDA_DIR, where cargo lambda puts the release builds
    of `make bench` and `make simulate` (<dir>/<name>/bootstrap), else the debug build."""
    lambda_dir = os.environ.get("DELIVERY_GUARD_LAMBDA_DIR")
    path = Path(lambda_dir) / name / "bootstrap" if lambda_dir else target_dir() / "debug" / name
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: run `make build` first")
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(check, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise TimeoutError(f"{what} did not come up within {timeout:.0f}s")


def stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@dataclass
class Emulator:
    """The launcher (moto plus the project's additions) on a free loopback port."""

    workdir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="delivery-guard-emulator-")))
    process: subprocess.Popen | None = None
    port: int = 0
    latency_ms: float = 0
    # Accounts whose function role scenarios.deploy_function_role has created since the last reset.
    function_roles: set[str] = field(default_factory=set)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def overrides_path(self) -> Path:
        return self.workdir / "overrides.json"

    def start(self) -> "Emulator":
        port_file = self.workdir / "port"
        log = open(self.workdir / "emulator.log", "wb")
        self.process = subprocess.Popen(
            [sys.executable, str(LAUNCHER), "--port-file", str(port_file), "--overrides", str(self.overrides_path),
             "--latency-ms", str(self.latency_ms), "--strict-roles", ",".join(STRICT_ROLES)],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_until(lambda: port_file.exists() or self.process.poll() is not None, 60, "the emulator")
        if self.process.poll() is not None:
            raise RuntimeError(f"the emulator exited: {(self.workdir / 'emulator.log').read_text()}")
        self.port = int(port_file.read_text())
        wait_until(self.healthy, 30, "the emulator's health endpoint")
        return self

    def healthy(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/_guard/health", timeout=1) as response:
                return response.status == 200
        except OSError:
            return False

    def reset(self) -> None:
        self.function_roles.clear()
        self.overrides_path.unlink(missing_ok=True)
        request = urllib.request.Request(f"{self.url}/_guard/reset", method="POST")
        urllib.request.urlopen(request, timeout=10).close()

    def faults(self) -> list[dict[str, Any]]:
        """Calls seen per fault entry: {"account", "region", "entry", "calls"}."""
        return self.control("faults")["faults"]

    def reset_faults(self) -> None:
        request = urllib.request.Request(f"{self.url}/_guard/reset-faults", method="POST")
        urllib.request.urlopen(request, timeout=10).close()

    def set_latency(self, ms: float) -> None:
        request = urllib.request.Request(
            f"{self.url}/_guard/latency", data=json.dumps({"ms": ms}).encode(), method="POST"
        )
        urllib.request.urlopen(request, timeout=10).close()

    def fault_calls(self) -> list[dict[str, Any]]:
        with urllib.request.urlopen(f"{self.url}/_guard/faults", timeout=10) as response:
            return json.load(response)["faults"]

    def set_global(self, values: dict[str, Any]) -> None:
        """The override file's "_global" section: strict_roles, enabled_regions."""
        data = json.loads(self.overrides_path.read_text()) if self.overrides_path.exists() else {}
        data.setdefault("_global", {}).update(values)
        tmp = self.overrides_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=2))
        tmp.replace(self.overrides_path)

    def max_in_flight(self) -> dict[str, int]:
        """The most requests in flight at once, per "service:Operation"."""
        with urllib.request.urlopen(f"{self.url}/_guard/in-flight", timeout=10) as response:
            return json.load(response)["max"]

    def put_evaluation_calls(self) -> list[dict[str, Any]]:
        with urllib.request.urlopen(f"{self.url}/_guard/evaluations", timeout=10) as response:
            return json.load(response)["calls"]

    def control(self, path: str, payload: dict[str, Any] | None = None) -> dict[str, Any]:
        data = None if payload is None else json.dumps(payload).encode()
        request = urllib.request.Request(f"{self.url}/_guard/{path}", data=data, method="GET" if data is None else "POST")
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)

    def result_token(self, account: str, rule: str, region: str = REGION) -> str:
        """A token for the rule, as Config issues one when it invokes the rule."""
        return self.control("result-token", {"account": account, "region": region, "rule": rule})["token"]

    def rule_evaluations_started(self) -> list[dict[str, Any]]:
        return self.control("rule-evaluations-started")["started"]

    def requests(self) -> dict[str, int]:
        """AWS calls served so far, by "service:Operation"."""
        return self.control("requests")["requests"]

    def set_overrides(self, account: str, region: str, values: dict[str, Any]) -> None:
        data = json.loads(self.overrides_path.read_text()) if self.overrides_path.exists() else {}
        data.setdefault(account, {}).setdefault(region, {}).update(values)
        tmp = self.overrides_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=2))
        tmp.replace(self.overrides_path)

    def stop(self) -> None:
        stop(self.process)
        shutil.rmtree(self.workdir, ignore_errors=True)


def cargo_lambda() -> str:
    """cargo-lambda from the project's venv (PyPI package cargo-lambda), else from PATH."""
    beside_python = Path(sys.executable).parent / "cargo-lambda"
    if beside_python.exists():
        return str(beside_python)
    found = shutil.which("cargo-lambda")
    if not found:
        raise FileNotFoundError("cargo-lambda is not installed: run `make venv`")
    return found


@dataclass
class LambdaRuntime:
    """cargo lambda's Runtime API emulator; each invocation runs the real bootstrap against it."""

    process: subprocess.Popen | None = None
    port: int = 0
    log_path: Path = field(default_factory=lambda: Path(tempfile.mkstemp(prefix="cargo-lambda-", suffix=".log")[1]))

    def start(self) -> "LambdaRuntime":
        self.port = free_port()
        self.process = subprocess.Popen(
            [cargo_lambda(), "lambda", "watch", "--only-lambda-apis", "-A", "127.0.0.1", "-P", str(self.port)],
            stdout=open(self.log_path, "wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
            cwd=REPO,
        )
        wait_until(self.listening, 60, "cargo lambda watch")
        return self

    def listening(self) -> bool:
        if self.process.poll() is not None:
            raise RuntimeError(f"cargo lambda watch exited: {self.log_path.read_text()}")
        with socket.socket() as sock:
            return sock.connect_ex(("127.0.0.1", self.port)) == 0

    def invoke(
        self, event: dict[str, Any], env: dict[str, str], timeout: float = 60, executable: Path | None = None
    ) -> "Invocation":
        """Starts bootstrap with the function's environment, invokes it once, then stops it."""
        function_env = {
            **minimal_env(),
            **env,
            "AWS_LAMBDA_RUNTIME_API": f"http://127.0.0.1:{self.port}/.rt",
            "AWS_LAMBDA_FUNCTION_NAME": "_",
            "AWS_LAMBDA_FUNCTION_VERSION": "1",
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128",
        }
        with tempfile.TemporaryDirectory() as tmp:
            event_file = Path(tmp) / "event.json"
            event_file.write_text(json.dumps(event))
            function_log = Path(tmp) / "function.log"
            with open(function_log, "wb") as log:
                function = subprocess.Popen(
                    [str(executable or binary("bootstrap"))], env=function_env, stdout=log, stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
                try:
                    result = subprocess.run(
                        [cargo_lambda(), "lambda", "invoke", "-A", "127.0.0.1", "-P", str(self.port),
                         "--data-file", str(event_file), "_"],
                        capture_output=True, text=True, timeout=timeout, cwd=REPO,
                    )
                finally:
                    stop(function)
            logs = function_log.read_text(errors="replace")
        return Invocation(result.returncode, result.stdout, result.stderr, logs)

    def stop(self) -> None:
        stop(self.process)
        self.log_path.unlink(missing_ok=True)


@dataclass
class Invocation:
    returncode: int
    stdout: str
    stderr: str
    function_logs: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def response(self) -> dict[str, Any]:
        return json.loads(self.stdout)

    def log_lines(self) -> list[dict[str, Any]]:
        """The function's JSON log lines (others, such as the runtime's, are skipped)."""
        lines = []
        for line in self.function_logs.splitlines():
            if line.startswith("{"):
                try:
                    lines.append(json.loads(line))
                except json.JSONDecodeError:
                    pass
        return lines


def minimal_env() -> dict[str, str]:
    """A clean environment: nothing from the developer's AWS profile leaks into a run."""
    keep = ("PATH", "HOME", "LANG", "TMPDIR")
    return {k: v for k, v in os.environ.items() if k in keep}


def run_cli(args: list[str], env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(binary("delivery-guard")), *args],
        env={**minimal_env(), **env},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
