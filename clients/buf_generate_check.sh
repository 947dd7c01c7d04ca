#!/usr/bin/env bash
# Runs the `buf generate` commands docs/clients.md gives a platform team
# (template clients/buf.gen.yaml), offline, and checks that they produce the
# stubs clients/generate.sh builds and tests: the same files with the same
# code and comments, line for line, and the same embedded descriptors. The
# descriptors are compared as messages, not bytes: buf re-serializes options
# in field order and fills in every field's json_name, so their bytes (and
# Python's _serialized_start offsets) differ while meaning the same; the
# protoc version line in the Go header reads "(unknown)".
#
#   clients/buf_generate_check.sh CLIENTS_OUT
#     CLIENTS_OUT   clients/generate.sh's OUT_DIR: its stubs are the
#                   reference and its go/bin holds the protoc-gen-go it built
#
# buf is npm's, installed by tests/contracts/install_buf.sh; exits 77
# (ctest: skipped) without node or npm.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="$(cd "${1:?CLIENTS_OUT}" && pwd)"
GOOGLEAPIS="${TTADS_GOOGLEAPIS_DIR:-/usr/share/gocode/src/github.com/gogo/googleapis}"
buf="$(bash "$ROOT/tests/contracts/install_buf.sh")" || exit $?
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export PATH="$OUT/go/bin:$PATH"

# The documented commands (docs/clients.md, "Your own stubs"), with $work
# for the image and the output directory.
cd "$ROOT/proto"
protoc -I . -I "$GOOGLEAPIS" -I /usr/include --include_imports --include_source_info \
  -o "$work/ttads.binpb" $(find ttads -name '*.proto')
cd "$ROOT"
"$buf" generate "$work/ttads.binpb" --path ttads \
  --template clients/buf.gen.yaml --output "$work"

# Same files as clients/generate.sh's (which are built, vetted, imported
# and called in clients_stub_call_test).
PYTHONPATH="$OUT/python" /usr/bin/python3 - "$OUT/go/src/ttads/clients/go" \
  "$work/gen/go/ttads/clients/go" "$OUT/python/ttads" "$work/gen/python/ttads" <<'PYEOF'
import ast, pathlib, re, sys
from google.api import annotations_pb2, field_behavior_pb2  # noqa: F401 (extensions)
from google.protobuf import descriptor_pb2
from ttads.common.v1 import field_rules_pb2  # noqa: F401 (extensions)

def go_descriptor(text):
    body = re.search(r"_rawDesc = \[\]byte\{\n(.*?)\n\}", text, re.S).group(1)
    return bytes(int(h, 16) for h in re.findall(r"0x([0-9a-f]{2})", body))

def py_descriptor(text):
    lit = re.search(r"AddSerializedFile\((b'.*?')\)\n", text).group(1)
    return ast.literal_eval(lit)

def camel(name):
    head, *rest = name.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)

def message(raw):
    f = descriptor_pb2.FileDescriptorProto.FromString(raw)
    def strip(messages):  # buf sets json_name; protoc leaves the default out
        for m in messages:
            for field in list(m.field) + list(m.extension):
                if field.json_name == camel(field.name):
                    field.ClearField("json_name")
            strip(m.nested_type)
    strip(f.message_type)
    for field in f.extension:
        if field.json_name == camel(field.name):
            field.ClearField("json_name")
    return f

# Lines that hold the descriptor's bytes or offsets into them.
GO_SKIP = re.compile(r"^\s*(0x[0-9a-f]{2},\s*)+$|^//\s+protoc\s")
PY_SKIP = re.compile(r"AddSerializedFile\(|\._serialized_(start|end|options)\s*=")
failures = []
counts = {}
for lang, ref, got, pattern, skip, descriptor in (
        ("go", sys.argv[1], sys.argv[2], "*.go", GO_SKIP, go_descriptor),
        ("python", sys.argv[3], sys.argv[4], "*.py*", PY_SKIP, py_descriptor)):
    ref, got = pathlib.Path(ref), pathlib.Path(got)
    def files(root):
        return {p.relative_to(root) for p in root.rglob(pattern)
                if "smoke" not in p.parts and "__pycache__" not in p.parts}
    want, have = files(ref), files(got)
    counts[lang] = len(have)
    for name in sorted(want ^ have):
        failures.append(f"{lang}: {name} only in {'clients/generate.sh' if name in want else 'buf'}")
    for name in sorted(want & have):
        a, b = (ref / name).read_text(), (got / name).read_text()
        la = [l for l in a.splitlines() if not skip.search(l)]
        lb = [l for l in b.splitlines() if not skip.search(l)]
        if la != lb:
            first = next((i for i, (x, y) in enumerate(zip(la, lb)) if x != y),
                         min(len(la), len(lb)))
            failures.append(f"{lang}: {name} differs near code line {first + 1}")
        elif name.suffix == ".py" and name.name.endswith("_pb2.py") or \
                name.name.endswith(".pb.go") and not name.name.endswith("_grpc.pb.go"):
            if message(descriptor(a)) != message(descriptor(b)):
                failures.append(f"{lang}: {name}: embedded descriptors differ")
if failures:
    print("FAIL buf generate:\n  " + "\n  ".join(failures))
    sys.exit(1)
print(f"PASS buf generate: {counts['go']} Go and {counts['python']} Python files, "
      "the same as clients/generate.sh's")
PYEOF
