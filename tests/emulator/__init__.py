"""The local AWS emulator and what drives it: moto in server mode behind a small launcher
(`launcher`), its lifecycle and the rule's binaries (`harness`), the broken-pipeline scenarios
(`scenarios`), the demo Organization (`organization`), deploying the rule as in AWS (`deployment`)
and `make demo` (`demo`). Installed into the test venv as the package `emulator` (tests/pyproject.toml),
so the tests, the demo and bench/ import it by name."""
