#!/usr/bin/env python3
"""Extracts the protobuf field table of the Kubernetes API from upstream's generated.proto files.

Usage:
    scripts/generate-protobuf-fields.py PROTO_ROOT

PROTO_ROOT holds the upstream files under their import paths (PROTO_FILES below; in a
kubernetes/kubernetes checkout PROTO_ROOT is staging/src; api/README.md says which versions the
committed table comes from). Comments are ignored: only message names, field labels, types, names
and numbers are read.

Writes two files (facts only, no upstream prose):
  api/protobuf-fields.json
      {"kinds": {"apps/v1/Deployment": "k8s.io.api.apps.v1.Deployment", ...},
       "messages": {"k8s.io.api.core.v1.ConfigMap": {"fields": [FIELD, ...]}, ...}}
      FIELD = [number, jsonName, type, flags] or, for maps, [number, jsonName, valueType, flags, keyType].
      type is a scalar (string, bytes, bool, int32, int64, uint32, uint64, sint32, sint64, fixed32,
      fixed64, double, float) or a full message name. flags: "r" repeated, "m" map, "i" inlined
      (Go embedded struct: its fields appear in the parent JSON object), "q" required in the
      OpenAPI schema (Go always serialises it, so a zero value is kept).
      A message with "list": true is a Go slice type (its single repeated field is the JSON array).
  Sources/KubeAPIServer/Protobuf/Generated/ProtobufFieldTable.swift
      the same JSON as a Swift string literal.

The table is cross-checked against api/openapi-v2-schema.json: every field must match a property
of the corresponding definition (name and kind of type), and every property must be covered.
Any mismatch is reported and the script exits non-zero.
"""
import json
import os
import re
import sys

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
# The files read, relative to PROTO_ROOT (in a kubernetes/kubernetes checkout: staging/src).
PROTO_FILES = [
    "k8s.io/apimachinery/pkg/apis/meta/v1/generated.proto",
    "k8s.io/apimachinery/pkg/runtime/generated.proto",
    "k8s.io/apimachinery/pkg/util/intstr/generated.proto",
    "k8s.io/apimachinery/pkg/api/resource/generated.proto",
    "k8s.io/api/core/v1/generated.proto",
    "k8s.io/api/apps/v1/generated.proto",
    "k8s.io/api/batch/v1/generated.proto",
    "k8s.io/api/autoscaling/v1/generated.proto",
    "k8s.io/api/autoscaling/v2/generated.proto",
    "k8s.io/api/networking/v1/generated.proto",
    "k8s.io/api/policy/v1/generated.proto",
    "k8s.io/api/rbac/v1/generated.proto",
    "k8s.io/api/coordination/v1/generated.proto",
    "k8s.io/api/discovery/v1/generated.proto",
    "k8s.io/api/events/v1/generated.proto",
    "k8s.io/api/storage/v1/generated.proto",
    "k8s.io/api/scheduling/v1/generated.proto",
    "k8s.io/api/node/v1/generated.proto",
    "k8s.io/api/admissionregistration/v1/generated.proto",
    "k8s.io/api/authentication/v1/generated.proto",
    "k8s.io/api/authorization/v1/generated.proto",
    "k8s.io/api/certificates/v1/generated.proto",
    "k8s.io/api/flowcontrol/v1/generated.proto",
    "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1/generated.proto",
]
SCALARS = {"string", "bytes", "bool", "int32", "int64", "uint32", "uint64", "sint32", "sint64",
           "fixed32", "fixed64", "sfixed32", "sfixed64", "double", "float"}
# Messages whose JSON form is not their field-by-field form; the decoder handles them by name, so
# the OpenAPI cross-check skips them.
SPECIAL = {
    "k8s.io.apimachinery.pkg.apis.meta.v1.Time", "k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime",
    "k8s.io.apimachinery.pkg.apis.meta.v1.Duration", "k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1",
    "k8s.io.apimachinery.pkg.api.resource.Quantity", "k8s.io.apimachinery.pkg.util.intstr.IntOrString",
    "k8s.io.apimachinery.pkg.runtime.RawExtension", "k8s.io.apimachinery.pkg.runtime.Unknown",
    "k8s.io.apimachinery.pkg.runtime.TypeMeta",
    "k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSON",
    "k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrArray",
    "k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrBool",
    "k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrStringArray",
}
# Proto field names that are not the JSON names (JSON names that are not proto identifiers).
JSON_NAMES = {
    ("k8s.io.api.networking.v1.IngressClassParametersReference", "aPIGroup"): "apiGroup",
    ("k8s.io.api.authentication.v1.BoundObjectReference", "uID"): "uid",
    ("k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps", "ref"): "$ref",
    ("k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps", "schema"): "$schema",
}
# Differences between the proto snapshot and the 1.36 OpenAPI schema (fields added or renamed
# during the 1.36 cycle): (message, JSON name). Listed so that any other difference fails.
KNOWN_SKEW = {
    ("k8s.io.api.core.v1.NodeFeatures", "containerUlimits"),
    ("k8s.io.api.core.v1.PodSpec", "workloadRef"),
    ("k8s.io.api.core.v1.PodSpec", "schedulingGroup"),
    ("k8s.io.api.core.v1.PodStatus", "nodeAllocatableResourceClaimStatuses"),
    ("k8s.io.api.core.v1.SecurityContext", "ulimits"),
    ("k8s.io.apimachinery.pkg.apis.meta.v1.ListMeta", "shardInfo"),
    ("k8s.io.api.apps.v1.DeploymentSpec", "podReplacementPolicy"),
    ("k8s.io.api.storage.v1.CSINode", "status"),
}
OPENAPI_TYPES = {
    "string": ("string",), "bytes": ("string",), "bool": ("boolean",),
    "int32": ("integer",), "int64": ("integer",), "uint32": ("integer",), "uint64": ("integer",),
    "sint32": ("integer",), "sint64": ("integer",), "fixed32": ("integer",), "fixed64": ("integer",),
    "double": ("number",), "float": ("number",),
}

FIELD_RE = re.compile(r"^(optional|repeated|required)?\s*([.\w]+)\s+(\w+)\s*=\s*(\d+)\s*(\[.*\])?\s*;$")
MAP_RE = re.compile(r"^map\s*<\s*([.\w]+)\s*,\s*([.\w]+)\s*>\s+(\w+)\s*=\s*(\d+)\s*;$")


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return "\n".join(line.split("//", 1)[0] for line in text.splitlines())


def parse_proto(path):
    """Returns (package, {message: [(label, type, name, number, keyType)]})."""
    text = strip_comments(open(path, encoding="utf-8").read())
    package = None
    messages = {}
    current = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if re.match(r"^(syntax|import|option)\b", line):
            continue
        m = re.match(r"^package\s+([\w.]+)\s*;$", line)
        if m:
            package = m.group(1)
            continue
        m = re.match(r"^message\s+(\w+)\s*\{\s*(\})?$", line)
        if m:
            if current is not None:
                sys.exit(f"{path}: nested message {m.group(1)} is not supported")
            current = m.group(1)
            if current in messages:
                sys.exit(f"{path}: message {current} declared twice")
            messages[current] = []
            if m.group(2):
                current = None
            continue
        if line == "}":
            if current is None:
                sys.exit(f"{path}: unbalanced }}")
            current = None
            continue
        if current is None:
            sys.exit(f"{path}: unexpected line outside a message: {line}")
        m = MAP_RE.match(line)
        if m:
            messages[current].append(("map", m.group(2), m.group(3), int(m.group(4)), m.group(1)))
            continue
        m = FIELD_RE.match(line)
        if m:
            messages[current].append((m.group(1) or "optional", m.group(2), m.group(3), int(m.group(4)), None))
            continue
        sys.exit(f"{path}: cannot parse line in {current}: {line}")
    if package is None:
        sys.exit(f"{path}: no package")
    if current is not None:
        sys.exit(f"{path}: unterminated message {current}")
    return package, messages


def openapi_name(full):
    package, _, name = full.rpartition(".")
    assert package.startswith("k8s.io."), full
    return "io.k8s." + package[len("k8s.io."):].replace("_", "-") + "." + name


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    root = sys.argv[1]
    raw = {}
    for relative in PROTO_FILES:
        path = os.path.join(root, relative)
        if not os.path.exists(path):
            sys.exit(f"missing {path}")
        package, messages = parse_proto(path)
        for name, fields in messages.items():
            raw[f"{package}.{name}"] = (package, fields)

    def resolve(package, type_name):
        if type_name in SCALARS:
            return type_name
        if type_name.startswith("."):
            full = type_name[1:]
        else:
            full = f"{package}.{type_name}"
        if full not in raw:
            sys.exit(f"unresolved type {type_name} in package {package}")
        return full

    schema = json.load(open(os.path.join(REPO, "api/openapi-v2-schema.json"), encoding="utf-8"))
    definitions = schema["definitions"]
    errors = []

    def ref_of(prop):
        if "$ref" in prop:
            return prop["$ref"].rsplit("/", 1)[1]
        for sub in prop.get("allOf", []):
            if "$ref" in sub:
                return sub["$ref"].rsplit("/", 1)[1]
        return None

    table = {}
    list_messages = set()
    for full, (package, fields) in sorted(raw.items()):
        numbers = [f[3] for f in fields]
        if len(numbers) != len(set(numbers)):
            errors.append(f"{full}: duplicate field numbers")
        out = []
        for label, type_name, name, number, key in fields:
            resolved = resolve(package, type_name)
            flags = {"repeated": "r", "map": "m"}.get(label, "")
            json_name = JSON_NAMES.get((full, name), name)
            if full.endswith("apiextensions.v1.JSONSchemaProps") and name.startswith("xKubernetes"):
                json_name = "x-" + re.sub(r"([A-Z])", lambda m: "-" + m.group(1).lower(), name[1:]).lstrip("-")
            entry = [number, json_name, resolved, flags]
            if key is not None:
                entry.append(resolve(package, key))
            out.append(entry)
        table[full] = out

    # Cross-check against the OpenAPI schema; mark inlined and required fields, Go slice types.
    for full, fields in table.items():
        if full in SPECIAL:
            continue
        definition = definitions.get(openapi_name(full))
        if definition is None:
            continue
        props = definition.get("properties", {})
        required = set(definition.get("required", []))
        covered = set()
        for entry in fields:
            number, json_name, resolved, flags = entry[:4]
            prop = props.get(json_name)
            if prop is None:
                # Go field names used as proto names (Webhooks, Expression, uID): the JSON name is the
                # schema property that differs only in case.
                same = [p for p in props if p.lower() == json_name.lower()]
                if len(same) == 1:
                    json_name = entry[1] = same[0]
                    prop = props[json_name]
            if prop is None:
                sub = table.get(resolved)
                sub_names = inlined_names(resolved, table, definitions) if sub is not None else set()
                if flags == "" and sub_names and sub_names <= props.keys():
                    entry[3] = "i"
                    covered |= sub_names
                    continue
                if (full, json_name) not in KNOWN_SKEW:
                    errors.append(f"{full}.{json_name} ({number}): no such property in {openapi_name(full)}")
                continue
            covered.add(json_name)
            if json_name in required:
                entry[3] += "q"
            check_type(full, entry, prop, table, definitions, errors, list_messages, ref_of)
        missing = set(props) - covered - {"apiVersion", "kind"}
        for name in sorted(missing):
            if (full, name) not in KNOWN_SKEW:
                errors.append(f"{full}: property {name} of {openapi_name(full)} has no proto field")

    if errors:
        sys.exit("protobuf field table does not match the OpenAPI schema:\n  " + "\n  ".join(errors))

    kinds = {}
    for def_name, definition in sorted(definitions.items()):
        for gvk in definition.get("x-kubernetes-group-version-kind", []):
            for full in table:
                if openapi_name(full) == def_name:
                    group, version = gvk.get("group", ""), gvk["version"]
                    api_version = f"{group}/{version}" if group else version
                    kinds[f"{api_version}/{gvk['kind']}"] = full

    messages = {}
    for full, fields in sorted(table.items()):
        entry = {"fields": fields}
        if full in list_messages:
            entry["list"] = True
        messages[full] = entry
    document = {"kinds": dict(sorted(kinds.items())), "messages": messages}
    text = json.dumps(document, separators=(",", ":"), sort_keys=False)

    # One kind and one message per line: reviewable diffs, compact file.
    def compact(value):
        return json.dumps(value, separators=(",", ":"))
    lines = ['{"kinds":{']
    lines.append(",\n".join(f"{compact(k)}:{compact(v)}" for k, v in document["kinds"].items()))
    lines.append('},"messages":{')
    lines.append(",\n".join(f"{compact(k)}:{compact(v)}" for k, v in document["messages"].items()))
    lines.append("}}")
    with open(os.path.join(REPO, "api/protobuf-fields.json"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    swift_dir = os.path.join(REPO, "Sources/KubeAPIServer/Protobuf/Generated")
    os.makedirs(swift_dir, exist_ok=True)
    assert '"##' not in text
    with open(os.path.join(swift_dir, "ProtobufFieldTable.swift"), "w", encoding="utf-8") as f:
        f.write("// Generated by scripts/generate-protobuf-fields.py from upstream's generated.proto files\n")
        f.write("// (see api/README.md). Do not edit; regenerate instead.\n\n")
        f.write("enum ProtobufFieldTable {\n")
        f.write("    /// The content of api/protobuf-fields.json (compact).\n")
        f.write('    static let json = ##"' + text + '"##\n')
        f.write("}\n")
    print(f"{len(messages)} messages, {sum(len(m['fields']) for m in messages.values())} fields, {len(kinds)} kinds")


def inlined_names(message, table, definitions):
    """JSON names a message contributes when inlined (its own, and those of its inlined fields)."""
    own = definitions.get(openapi_name(message), {}).get("properties")
    names = set()
    for entry in table[message]:
        name, resolved = entry[1], entry[2]
        if own is not None and name not in own and resolved in table and entry[3] == "":
            names |= inlined_names(resolved, table, definitions)
        else:
            names.add(name)
    return names


def check_type(full, entry, prop, table, definitions, errors, list_messages, ref_of):
    number, json_name, resolved, flags = entry[:4]
    where = f"{full}.{json_name} ({number})"

    def scalar_ok(scalar, p):
        expected = OPENAPI_TYPES[scalar]
        if p.get("type") not in expected:
            return False
        if scalar == "bytes":
            return p.get("format") == "byte"
        if scalar in ("int32", "int64"):
            return p.get("format") in (scalar, None)
        return True

    def element_ok(p):
        if resolved in SCALARS:
            return scalar_ok(resolved, p)
        target = ref_of(p)
        if target == openapi_name(resolved):
            return True
        # A structurally identical copy in another package (same name, same fields).
        if target is not None and target.rsplit(".", 1)[1] == resolved.rsplit(".", 1)[1] \
                and {f[1] for f in table[resolved]} == set(definitions.get(target, {}).get("properties", {})):
            return True
        if resolved in SPECIAL:
            return True  # special messages are checked by the decoder's tests
        # A Go slice type wrapped in a message (ExtraValue, Verbs): the schema has the array.
        sub = table[resolved]
        if p.get("type") == "array" and len(sub) == 1 and sub[0][3].startswith("r"):
            list_messages.add(resolved)
            return True
        return False

    if "m" in flags:
        if prop.get("type") != "object" or "additionalProperties" not in prop:
            errors.append(f"{where}: map, but the schema has {prop}")
        elif not element_ok(prop["additionalProperties"]):
            errors.append(f"{where}: map value {resolved} does not match {prop['additionalProperties']}")
    elif "r" in flags:
        if prop.get("type") != "array":
            errors.append(f"{where}: repeated, but the schema has {prop}")
        elif not element_ok(prop.get("items", {})):
            errors.append(f"{where}: element {resolved} does not match {prop.get('items')}")
    else:
        if prop.get("type") == "array" and resolved not in SCALARS and resolved not in SPECIAL:
            sub = table[resolved]
            if len(sub) == 1 and "r" in sub[0][3]:
                list_messages.add(resolved)
                return
        if not element_ok(prop):
            errors.append(f"{where}: {resolved} does not match {prop}")


if __name__ == "__main__":
    main()
