"""Installs the schema-only hashicorp/aws stand-in in a filesystem mirror, for the test harness only.

The mirror holds a two-line launcher and nothing else: Terraform's lock file hashes the whole
mirrored package folder, so the code it runs stays outside.
"""

from __future__ import annotations

import platform
import sys
from pathlib import Path

PROVIDER = "registry.terraform.io/hashicorp/aws"
VERSION = "6.25.0"
HERE = Path(__file__).resolve().parent


def target() -> str:
    machine = {"x86_64": "amd64", "aarch64": "arm64", "arm64": "arm64"}.get(platform.machine(), platform.machine())
    return f"{sys.platform}_{machine}"


def install(mirror: Path, schema: Path, python: str = sys.executable) -> str:
    """Writes the launcher under `mirror` and returns the Terraform CLI configuration that uses it."""
    package = mirror / PROVIDER / VERSION / target()
    package.mkdir(parents=True, exist_ok=True)
    launcher = package / f"terraform-provider-aws_v{VERSION}"
    launcher.write_text(f'#!/bin/sh\nexec "{python}" "{HERE / "provider.py"}" "{schema}"\n')
    launcher.chmod(0o755)
    return (
        "provider_installation {\n"
        "  filesystem_mirror {\n"
        f'    path    = "{mirror}"\n'
        f'    include = ["{PROVIDER}"]\n'
        "  }\n"
        "}\n"
    )
