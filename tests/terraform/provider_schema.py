"""The hashicorp/aws provider schema, as carried by the prebuilt cdktf package `@cdktf/provider-aws`.

The provider binary cannot be downloaded here; the npm package is generated from it and its `.jsii`
manifest lists every resource and data source with each argument (name, optional or not) and each
nested block. `check` compares a parsed Terraform file against it: every argument and block that a
module writes must exist, and every required one must be set.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

# Arguments Terraform itself gives every resource or data block.
META_ARGUMENTS = {"count", "for_each", "provider", "depends_on", "lifecycle", "provisioner", "connection"}
LINK = re.compile(r"/docs/(resources|data-sources)/([a-z0-9_]+) (aws_[a-z0-9_]+)\}")
ANCHOR = re.compile(r"#([a-z0-9_]+)\}")


@dataclass
class Struct:
    """The arguments of one resource, data source or nested block."""

    attributes: dict[str, bool] = field(default_factory=dict)  # name -> required
    blocks: dict[str, tuple[str, bool]] = field(default_factory=dict)  # name -> (struct fqn, required)


@dataclass
class Schema:
    provider_version: str
    package_version: str
    resources: dict[str, str]  # aws_s3_bucket -> fqn of its Config struct
    data_sources: dict[str, str]
    structs: dict[str, Struct]


def snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def struct_fqn(type_ref: dict) -> str | None:
    """The struct a property's type refers to, through unions and collections."""
    if "fqn" in type_ref:
        return None if type_ref["fqn"].startswith("cdktf.") else type_ref["fqn"]
    if "collection" in type_ref:
        return struct_fqn(type_ref["collection"]["elementtype"])
    if "union" in type_ref:
        for member in type_ref["union"]["types"]:
            found = struct_fqn(member)
            if found:
                return found
    return None


def argument_name(prop: dict) -> str:
    docs = prop.get("docs", {})
    anchors = ANCHOR.findall(docs.get("summary", "") + docs.get("remarks", ""))
    return anchors[-1] if anchors else snake(prop["name"])


def load(jsii_path: Path) -> Schema:
    manifest = json.loads(jsii_path.read_text())
    types = manifest["types"]
    resources: dict[str, str] = {}
    data_sources: dict[str, str] = {}
    for fqn, spec in types.items():
        if spec.get("kind") != "class":
            continue
        found = LINK.search(spec.get("docs", {}).get("summary", ""))
        if not found:
            continue
        kind, _, tf_type = found.groups()
        config = f"{fqn}Config"
        if config in types:
            (resources if kind == "resources" else data_sources)[tf_type] = config
    structs: dict[str, Struct] = {}
    for fqn, spec in types.items():
        if spec.get("kind") != "interface" or not spec.get("datatype"):
            continue
        struct = Struct()
        for prop in spec.get("properties", []):
            name = argument_name(prop)
            required = not prop.get("optional", False)
            nested = struct_fqn(prop["type"])
            if nested and prop.get("docs", {}).get("summary", "").endswith(" block."):
                struct.blocks[name] = (nested, required)
            else:
                struct.attributes[name] = required
        structs[fqn] = struct
    provider = json.loads(
        (jsii_path.parent / "package.json").read_text()
    )
    return Schema(
        provider_version=provider["cdktf"]["provider"]["version"],
        package_version=provider["version"],
        resources=resources,
        data_sources=data_sources,
        structs=structs,
    )


def _bodies(value) -> list[dict]:
    """A nested block parses as a list of bodies; an object attribute as one dict."""
    if isinstance(value, list):
        return [v for v in value if isinstance(v, dict)]
    if isinstance(value, dict):
        return [value]
    return []


def check_body(schema: Schema, fqn: str, body: dict, where: str, top_level: bool) -> list[str]:
    struct = schema.structs.get(fqn)
    if struct is None:
        return [f"{where}: no schema for {fqn}"]
    errors = []
    written = dict(body)
    # dynamic "name" { content { ... } } writes the block `name`.
    for dynamic in _bodies(written.pop("dynamic", [])):
        for name, spec in dynamic.items():
            if name.startswith("__"):
                continue
            contents = [c for s in _bodies(spec) for c in _bodies(s.get("content", []))]
            written[name] = _bodies(written.get(name, [])) + (contents or [{}])
    for name, value in written.items():
        if name.startswith("__"):  # the parser's own line markers
            continue
        if top_level and name in META_ARGUMENTS:
            continue
        if name in struct.attributes:
            continue
        if name in struct.blocks:
            nested, _ = struct.blocks[name]
            for index, inner in enumerate(_bodies(value)):
                errors += check_body(schema, nested, inner, f"{where}.{name}[{index}]", False)
            continue
        errors.append(f"{where}: unknown argument or block {name!r}")
    for name, required in struct.attributes.items():
        if required and name not in written:
            errors.append(f"{where}: required argument {name!r} is not set")
    for name, (_, required) in struct.blocks.items():
        if required and name not in written:
            errors.append(f"{where}: required block {name!r} is missing")
    return errors


def check(schema: Schema, parsed: dict, file_name: str) -> tuple[list[str], int]:
    """Errors for every aws_* resource and data source in one parsed file, and how many were checked."""
    errors: list[str] = []
    checked = 0
    for kind, table in (("resource", schema.resources), ("data", schema.data_sources)):
        for block in parsed.get(kind, []):
            for tf_type, named in block.items():
                if not tf_type.startswith("aws_"):
                    continue
                for name, body in named.items():
                    where = f"{file_name}: {kind} {tf_type}.{name}"
                    checked += 1
                    if tf_type not in table:
                        errors.append(f"{where}: no such {kind} type in hashicorp/aws {schema.provider_version}")
                        continue
                    errors += check_body(schema, table[tf_type], body, where, True)
    return errors, checked
