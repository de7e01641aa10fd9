"""The Inputs and Outputs tables of each module's README, from its variables.tf and outputs.tf
(what terraform-docs writes between its markers). `python docs.py` rewrites them; the tests check
that every README is current."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import hcl2

MODULES = Path(__file__).resolve().parents[2] / "terraform" / "modules"
BEGIN, END = "<!-- BEGIN_TF_DOCS -->", "<!-- END_TF_DOCS -->"


def _attribute(body: dict, name: str):
    """bc-python-hcl2 wraps every attribute's value in a one-element list."""
    value = body[name]
    return value[0] if isinstance(value, list) and len(value) == 1 else value


def _plain(value) -> str:
    text = value if isinstance(value, str) else json.dumps(value)
    text = re.sub(r"^\$\{(.*)\}$", r"\1", text.strip(), flags=re.S)
    return " ".join(text.split()).replace("|", "\\|")


def type_sources(variables_tf: str) -> dict[str, str]:
    """Each variable's type constraint as written (the parser's rendering of `optional()` is not HCL)."""
    found = {}
    for match in re.finditer(r'^variable "(\w+)" \{\n(.*?)^\}', variables_tf, re.M | re.S):
        typed = re.search(r"^  type\s*=\s*", match.group(2), re.M)
        if not typed:
            continue
        text, depth = "", 0
        for char in match.group(2)[typed.end():]:
            if char == "\n" and depth == 0:
                break
            depth += (char in "({[") - (char in ")}]")
            text += char
        flat = ", ".join(line.strip() for line in text.splitlines() if line.strip())
        for joined, plain in (("{, ", "{ "), (", }", " }"), ("(, ", "("), (", )", ")"), ("[, ", "["), (", ]", "]")):
            flat = flat.replace(joined, plain)
        found[match.group(1)] = " ".join(flat.split()).replace("|", "\\|")
    return found


def tables(module: Path) -> str:
    lines = ["## Inputs", "", "| name | description | type | default | required |", "| --- | --- | --- | --- | :---: |"]
    types = type_sources((module / "variables.tf").read_text())
    for block in hcl2.load((module / "variables.tf").open()).get("variable", []):
        for name, body in block.items():
            has_default = "default" in body
            value = _attribute(body, "default") if has_default else None
            default = "" if not has_default else f"`{'null' if value is None else _plain(value)}`"
            lines.append(
                f"| `{name}` | {_plain(_attribute(body, 'description'))} | `{types[name]}` | {default} | {'no' if has_default else 'yes'} |"
            )
    lines += ["", "## Outputs", "", "| name | description |", "| --- | --- |"]
    for block in hcl2.load((module / "outputs.tf").open()).get("output", []):
        for name, body in block.items():
            lines.append(f"| `{name}` | {_plain(_attribute(body, 'description'))} |")
    return "\n".join(lines)


def current(module: Path) -> str:
    readme = (module / "README.md").read_text()
    before, rest = readme.split(BEGIN, 1)
    _, after = rest.split(END, 1)
    return f"{before}{BEGIN}\n{tables(module)}\n{END}{after}"


def modules() -> list[Path]:
    return sorted(p for p in MODULES.iterdir() if (p / "README.md").exists())


if __name__ == "__main__":
    for module in modules():
        (module / "README.md").write_text(current(module))
        print(f"wrote {module.name}/README.md", file=sys.stderr)
