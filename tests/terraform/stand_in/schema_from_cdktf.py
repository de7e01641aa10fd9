"""The hashicorp/aws provider schema, rebuilt as Terraform's own protobuf from `@cdktf/provider-aws`.

The cdktf package is generated from the provider's `terraform providers schema -json`; each
`lib/<name>/index.js` embeds its TypeScript source (in the source map), which keeps what the schema
said of every attribute: a `// name - computed: x, optional: y, required: z` line above its getter,
and in the `...ToHclTerraform` functions whether it is a block and its collection kind (list, set,
struct, map). The `.jsii` manifest alone cannot tell optional from optional+computed, nor a list from
a set; the TypeScript can. What the TypeScript does not keep: descriptions, sensitivity,
deprecation, and the provider's own validation functions (the stand-in validates nothing).

Usage: python schema_from_cdktf.py <unpacked package dir> <out.pb>
"""

from __future__ import annotations

import base64
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from tf.gen import tfplugin_pb2 as pb

SOURCE_MAP = re.compile(r"sourceMappingURL=data:application/json;base64,(\S+)")
CLASS = re.compile(r"^export class (\w+) extends ([\w.]+) \{\n(.*?)^\}$", re.M | re.S)
HCL_FUNCTION = re.compile(r"^export function (\w+)ToHclTerraform\(struct[^\n]*\{\n(.*?)^\}$", re.M | re.S)
INTERFACE = re.compile(r"^export interface (\w+) \{\n(.*?)^\}$", re.M | re.S)
TF_TYPE = re.compile(r'public static readonly tfResourceType = "(\w+)";')
# One attribute of a class: what the schema said of it, then its getter (up to the next attribute).
FLAGS = re.compile(
    r"^  // (\w+) - computed: (true|false), optional: (true|false), required: (true|false)\n(.*?)(?=^  // \w+ - computed|^  // =|\Z)",
    re.M | re.S,
)
HCL_ENTRY = re.compile(
    r'^\s+(\w+): \{\n\s+value: (.*?),\n\s+isBlock: (true|false),\n\s+type: "(\w+)",\n\s+storageClassType: "(\w+)",', re.M
)
COMPLEX_FIELD = re.compile(r'private _\w+ = new (\w+)\(this, "\w+"(?:, (true|false))?\)')
PRIMITIVE = {"string": "string", "number": "number", "boolean": "bool"}
# Meta-arguments Terraform reserves in a provider block.
PROVIDER_RESERVED = {"alias", "version"}


@dataclass
class Flags:
    computed: bool
    optional: bool
    required: bool


@dataclass
class Source:
    """The TypeScript of one generated file, indexed by the names the generator gives things."""

    classes: dict[str, str] = field(default_factory=dict)
    bases: dict[str, str] = field(default_factory=dict)
    hcl: dict[str, str] = field(default_factory=dict)  # struct name -> its ToHclTerraform body
    interfaces: dict[str, str] = field(default_factory=dict)


def typescript(index_js: Path) -> str:
    found = SOURCE_MAP.search(index_js.read_text())
    if not found:
        raise ValueError(f"{index_js}: no embedded source map")
    return json.loads(base64.b64decode(found.group(1)))["sourcesContent"][0]


def index(ts: str) -> Source:
    source = Source()
    for name, base, body in CLASS.findall(ts):
        source.classes[name] = body
        source.bases[name] = base
    for name, body in HCL_FUNCTION.findall(ts):
        source.hcl[name[0].upper() + name[1:]] = body
    for name, body in INTERFACE.findall(ts):
        source.interfaces[name] = body
    return source


def cty(type_expr) -> bytes:
    return json.dumps(type_expr).encode()


def hcl_entries(body: str) -> dict[str, tuple[str, bool, str, str]]:
    """name -> (value expression, is block, collection kind, storage class type)."""
    return {m[0]: (m[1], m[2] == "true", m[3], m[4]) for m in HCL_ENTRY.findall(body)}


def primitive_collection(value: str, kind: str, storage: str):
    """The cty type of an argument that is not a nested struct, from its HCL synthesis entry."""
    if kind == "simple":
        return PRIMITIVE.get(storage, "dynamic")
    element = "string"
    for prim, cty_name in PRIMITIVE.items():
        if storage.startswith(prim):
            element = cty_name
    if storage.endswith("ListList"):
        element = ["list", element]
    elif value.count("hashMapperHcl") > (kind == "map"):  # a list or map of maps
        element = ["map", element]
    collection = {"list": "list", "set": "set", "map": "map"}.get(kind, "list")
    return [collection, element]


def getter_type(getter: str):
    """The cty type of a computed-only attribute, from the getter cdktf wrote for it."""
    as_set = "cdktf.Fn.tolist(" in getter
    for call, cty_type in (
        ("getNumberListAttribute", ["set" if as_set else "list", "number"]),
        ("getListAttribute", ["set" if as_set else "list", "string"]),
        ("getStringMapAttribute", ["map", "string"]),
        ("getNumberMapAttribute", ["map", "number"]),
        ("getBooleanMapAttribute", ["map", "bool"]),
        ("cdktf.StringMap(", ["map", "string"]),
        ("cdktf.NumberMap(", ["map", "number"]),
        ("cdktf.BooleanMap(", ["map", "bool"]),
        ("getStringAttribute", "string"),
        ("getNumberAttribute", "number"),
        ("getBooleanAttribute", "bool"),
    ):
        if call in getter:
            return cty_type
    return "dynamic"


class Builder:
    """Builds the protobuf schema of one resource, data source or the provider from its file."""

    def __init__(self, source: Source, approximated: list[str]):
        self.source = source
        self.approximated = approximated

    def block(self, class_name: str, struct_name: str, skip: set[str] = frozenset()) -> pb.Schema.Block:
        """The block described by `class_name`'s attribute comments and `struct_name`'s HCL synthesis."""
        class_body = self.source.classes.get(class_name, "")
        if struct_name in self.source.hcl:
            entries = hcl_entries(self.source.hcl[struct_name])
        else:  # the resource or provider class synthesises its own attributes
            entries = hcl_entries(class_body.split("synthesizeHclAttributes", 1)[-1]) if class_body else {}
        flags = {m[0]: (Flags(m[1] == "true", m[2] == "true", m[3] == "true"), m[4]) for m in FLAGS.findall(class_body)}
        block = pb.Schema.Block(version=0)
        for name in list(dict.fromkeys([*flags, *entries])):
            if name in skip:
                continue
            flag, getter = flags.get(name, (None, ""))
            if flag is None:  # no comment (a struct without an output class): optional unless the interface says not
                required = self.interface_requires(struct_name, entries[name][0])
                flag = Flags(computed=False, optional=not required, required=required)
            entry = entries.get(name)
            complex_field = COMPLEX_FIELD.search(getter)
            child = self.child_struct(entry, complex_field)
            if entry and entry[1] and child:
                block.block_types.append(self.nested_block(name, entry[2], flag, child, complex_field))
            elif child and not entry:  # a computed-only list or object of objects
                block.attributes.append(self.computed_object(name, flag, child, complex_field))
            else:
                cty_type = primitive_collection(entry[0], entry[2], entry[3]) if entry else getter_type(getter)
                block.attributes.append(
                    pb.Schema.Attribute(
                        name=name, type=cty(cty_type), required=flag.required, optional=flag.optional, computed=flag.computed
                    )
                )
        return block

    def interface_requires(self, struct_name: str, value: str) -> bool:
        ts_name = re.search(r"struct!?\.(\w+)", value)
        body = self.source.interfaces.get(struct_name, "")
        return bool(ts_name) and re.search(rf"readonly {ts_name.group(1)}: ", body) is not None

    def child_struct(self, entry, complex_field) -> str | None:
        """The struct a nested argument is made of, if it is one."""
        if entry:
            found = re.search(r"(\w+)ToHclTerraform", entry[0].replace("cdktf.", ""))
            if found and found.group(1) not in ("string", "number", "boolean", "any"):
                name = found.group(1)
                return name[0].upper() + name[1:]
            return None
        if complex_field and not complex_field.group(1).startswith("cdktf"):
            return re.sub(r"(List|OutputReference|Map)$", "", complex_field.group(1))
        return None

    def nested_block(self, name: str, kind: str, flag: Flags, child: str, complex_field) -> pb.Schema.NestedBlock:
        single = complex_field is not None and complex_field.group(1).endswith("OutputReference")
        nesting = {
            "list": pb.Schema.NestedBlock.LIST,
            "set": pb.Schema.NestedBlock.SET,
            "map": pb.Schema.NestedBlock.MAP,
            "struct": pb.Schema.NestedBlock.SINGLE,
        }[kind]
        block = self.block(f"{child}OutputReference", child)
        if nesting == pb.Schema.NestedBlock.SET and any(a.type == b'"dynamic"' for a in block.attributes):
            # cdktf cuts schemas too deep to type (wafv2 statements) to `any`; Terraform refuses a
            # dynamic attribute in a set, so that one block becomes a list.
            self.approximated.append(f"{child}: set of blocks with an untyped attribute served as a list")
            nesting = pb.Schema.NestedBlock.LIST
        return pb.Schema.NestedBlock(
            type_name=name,
            block=block,
            nesting=nesting,
            min_items=1 if flag.required and nesting in (pb.Schema.NestedBlock.LIST, pb.Schema.NestedBlock.SET) else 0,
            max_items=1 if single and nesting in (pb.Schema.NestedBlock.LIST, pb.Schema.NestedBlock.SET) else 0,
        )

    def computed_object(self, name: str, flag: Flags, child: str, complex_field) -> pb.Schema.Attribute:
        element = block_object_type(self.block(f"{child}OutputReference", child))
        collection_class = complex_field.group(1)
        if collection_class.endswith("List"):
            cty_type = ["set" if complex_field.group(2) == "true" else "list", element]
        elif collection_class.endswith("Map"):
            cty_type = ["map", element]
        else:
            cty_type = element
        return pb.Schema.Attribute(name=name, type=cty(cty_type), optional=flag.optional, computed=True)


def block_object_type(block: pb.Schema.Block):
    """A block as the cty object type of a computed attribute; nested blocks become lists."""
    attributes = {a.name: json.loads(a.type) for a in block.attributes}
    for nested in block.block_types:
        attributes[nested.type_name] = ["list", block_object_type(nested.block)]
    return ["object", attributes]


def build(package: Path) -> tuple[pb.GetProviderSchema.Response, list[str], list[str]]:
    """Every resource and data source of the package, the provider block; what failed, what was approximated."""
    response = pb.GetProviderSchema.Response(
        provider_meta=pb.Schema(block=pb.Schema.Block()),
        server_capabilities=pb.ServerCapabilities(plan_destroy=True, get_provider_schema_optional=True),
    )
    failed: list[str] = []
    approximated: list[str] = []
    for index_js in sorted((package / "lib").glob("*/index.js")):
        try:
            source = index(typescript(index_js))
        except ValueError:
            continue  # the package's index of namespaces, no schema
        try:
            if index_js.parent.name == "provider":
                response.provider.CopyFrom(pb.Schema(block=Builder(source, approximated).block("AwsProvider", "AwsProvider", PROVIDER_RESERVED)))
                continue
            main_class = next((n for n, b in source.classes.items() if TF_TYPE.search(b)), None)
            if main_class is None:
                continue
            tf_type = TF_TYPE.search(source.classes[main_class]).group(1)
            schema = pb.Schema(version=0, block=Builder(source, approximated).block(main_class, f"{main_class}Config"))
            table = response.data_source_schemas if source.bases[main_class] == "cdktf.TerraformDataSource" else response.resource_schemas
            table[tf_type].CopyFrom(schema)
        except (KeyError, AttributeError, ValueError) as error:
            failed.append(f"{index_js.parent.name}: {type(error).__name__}: {error}")
    return response, failed, approximated


def main(argv: list[str]) -> int:
    package, out = Path(argv[1]), Path(argv[2])
    response, failed, approximated = build(package)
    out.write_bytes(response.SerializeToString())
    print(
        f"{len(response.resource_schemas)} resources, {len(response.data_source_schemas)} data sources, "
        f"{len(failed)} failed, {len(approximated)} approximated" + "".join(f"\n  {f}" for f in failed + approximated),
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
