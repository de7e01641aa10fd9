"""Fixtures: one emulator and one cargo lambda Runtime API per session, reset before every test."""

from __future__ import annotations

import pytest

from harness import Emulator, LambdaRuntime


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
