#!/usr/bin/env bash
# Checks that every proto under proto/ttads names its Go package by the
# suite's rule, so protoc-gen-go and `buf generate` need no M options for
# them (docs/clients.md):
#   option go_package = "ttads/clients/go/ttads/<name>/v1;<name>v1";
# i.e. the import path is ttads/clients/go/ followed by the file's directory
# and the package name is the proto package's last two parts joined (buf's
# managed-mode naming). buf lint's PACKAGE_SAME_GO_PACKAGE only asks that the
# files of one package agree; this asks that the option is there and follows
# the rule. Reads the options from protoc's descriptor set, so layout and
# comments in the .proto do not matter.
#   go_package_check.sh <src>
# Exits 77 (ctest: skipped) without protoc or python3's protobuf module.
set -euo pipefail
src="$(cd "${1:?source root}" && pwd)"
googleapis="${TTADS_GOOGLEAPIS_DIR:-/usr/share/gocode/src/github.com/gogo/googleapis}"
if ! command -v protoc >/dev/null 2>&1 ||
  ! /usr/bin/python3 -c "import google.protobuf.descriptor_pb2" 2>/dev/null; then
  echo "SKIP protoc or python3-protobuf is not installed (scripts/install-deps.sh)"
  exit 77
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$src/proto"
mapfile -t protos < <(find ttads -name '*.proto' | LC_ALL=C sort)
protoc -I . -I "$googleapis" -I /usr/share/grpc-proto -I /usr/include \
  -o "$work/set.binpb" "${protos[@]}"
/usr/bin/python3 - "$work/set.binpb" <<'PYEOF'
import posixpath, sys
from google.protobuf import descriptor_pb2

MODULE = "ttads/clients/go"
fds = descriptor_pb2.FileDescriptorSet()
with open(sys.argv[1], "rb") as f:
    fds.ParseFromString(f.read())
bad = []
files = [f for f in fds.file if f.name.startswith("ttads/")]
for f in files:
    directory = posixpath.dirname(f.name)          # ttads/ads/v1
    parts = f.package.split(".")                   # ttads, ads, v1
    want = f"{MODULE}/{directory};{parts[-2]}{parts[-1]}"
    got = f.options.go_package if f.options.HasField("go_package") else None
    if got != want:
        bad.append(f"{f.name}: go_package {got!r}, want {want!r}")
if bad:
    print("FAIL go_package:\n  " + "\n  ".join(bad))
    sys.exit(1)
print(f"PASS go_package: {len(files)} files follow {MODULE}/<dir>;<name><version>")
PYEOF
