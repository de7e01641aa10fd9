"""Fixtures: one emulator and one cargo lambda Runtime API per session, reset before every test."""

from __future__ import annotations

import pytest

from emulator.harness import Emulator, LambdaRuntime


@pytest.fixture(scope="session")
def emulator_session():
    emulator = Emulator().start()
    yield emulator
    emulator.stop()


@pytest.fixture
def emulator(emulator_session):
    emulator_session.reset()
    return emulator_session


@pytest.fixture(scope="session")
def lambda_runtime():
    runtime = LambdaRuntime().start()
    yield runtime
    runtime.stop()


def pytest_sessionstart(session):
    if not hasattr(session.config, "workerinput"):  # the controller, before any worker
        from differential.judge import figures_path

        figures_path().unlink(missing_ok=True)


def pytest_terminal_summary(terminalreporter):
    """Prints the independent evaluator's agreement figures and the fault matrix, when they ran."""
    from differential.judge import figures_path

    if figures_path().exists():
        terminalreporter.section("differential: our IAM evaluator against @cloud-copilot/iam-simulate")
        for line in sorted(figures_path().read_text().splitlines()):
            terminalreporter.write_line(line)
    try:
        from e2e.test_faults import fault_matrix_summary
    except ImportError:
        return
    lines = fault_matrix_summary()
    if lines:
        terminalreporter.section("fault matrix: verdict reported per operation x fault (account mode)")
        for line in lines:
            terminalreporter.write_line(line)
    from e2e.test_watchdog_faults import watchdog_matrix_summary

    lines = watchdog_matrix_summary()
    if lines:
        terminalreporter.section("fault matrix: evaluations reported per operation x fault (watchdog mode, 3 accounts)")
        for line in lines:
            terminalreporter.write_line(line)
