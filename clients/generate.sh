#!/usr/bin/env bash
# Generates the ttads client stubs for Go and Python from every proto under
# proto/ttads (a new package is picked up without a change here, given its
# go_package option), offline, from Debian's packages
# (scripts/install-deps.sh), and checks that they build: the Go packages with
# `go build` and `go vet`, every Python module by importing it.
# docs/clients.md describes the result.
#
#   clients/generate.sh OUT_DIR
#     OUT_DIR/go/src/ttads/clients/go/...   one Go package per proto package
#     OUT_DIR/go/bin/ttads-client-smoke     clients/go/smoke, built on them
#     OUT_DIR/python/ttads/...              *_pb2.py and *_pb2_grpc.py
#     OUT_DIR/python/google/api/...         the google.api protos they import
#
# Go import path of proto package ttads.X.v1: ttads/clients/go/ttads/X/v1,
# package name Xv1 (buf's managed-mode rule). Every proto under proto/ttads
# names it in `option go_package` (tests/contracts/go_package_check.sh keeps
# the rule), so protoc needs M options only for the google/api files, whose
# Debian copies carry gogo's go_package. Go builds in GOPATH mode against
# /usr/share/gocode (Debian's google.golang.org/protobuf, grpc, genproto);
# protoc-gen-go (APIv2) is built from Debian's source, since Debian's
# protoc-gen-go binary package conflicts with the grpc-gateway packages the
# benchmark uses. Python uses protoc's own --python_out and grpc's
# grpc_python_plugin (protobuf-compiler-grpc).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="$(mkdir -p "$1" && cd "$1" && pwd)"
PY=/usr/bin/python3          # Debian's, which has python3-grpcio
GOCODE=/usr/share/gocode
GOOGLEAPIS="$GOCODE/src/github.com/gogo/googleapis"
MODULE=ttads/clients/go

cd "$ROOT/proto"
mapfile -t PROTOS < <(find ttads -name '*.proto' | LC_ALL=C sort)
[ ${#PROTOS[@]} -gt 0 ] || { echo "no protos under proto/ttads" >&2; exit 1; }
INCLUDES=(-I "$ROOT/proto" -I "$GOOGLEAPIS" -I /usr/include)

# --- Go ---------------------------------------------------------------------
GOWORK_DIR="$OUT/go"
export GO111MODULE=off GOFLAGS='' GOPATH="$GOWORK_DIR:$GOCODE"
export GOCACHE="$GOWORK_DIR/cache" GOBIN="$GOWORK_DIR/bin"
mkdir -p "$GOBIN"
[ -x "$GOBIN/protoc-gen-go" ] ||
  go build -o "$GOBIN/protoc-gen-go" google.golang.org/protobuf/cmd/protoc-gen-go

# The google/api imports resolve to Debian's genproto package; the ttads
# files' own Go packages come from their go_package options.
API="google.golang.org/genproto/googleapis/api/annotations;annotations"
MAP="Mgoogle/api/annotations.proto=$API,Mgoogle/api/http.proto=$API"
MAP="$MAP,Mgoogle/api/field_behavior.proto=$API"
GO_SRC="$GOWORK_DIR/src"
rm -rf "$GO_SRC/$MODULE" && mkdir -p "$GO_SRC"
protoc "${INCLUDES[@]}" \
  --plugin=protoc-gen-go="$GOBIN/protoc-gen-go" \
  --plugin=protoc-gen-go-grpc=/usr/bin/protoc-gen-go-grpc \
  --go_out="$GO_SRC" --go_opt="$MAP" \
  --go-grpc_out="$GO_SRC" --go-grpc_opt="$MAP" "${PROTOS[@]}"
# One Go package per directory protoc-gen-go wrote into.
mapfile -t PKGS < <(cd "$GO_SRC" && find "$MODULE" -name '*.pb.go' -printf '%h\n' |
  LC_ALL=C sort -u)
# Debian 12's grpc-go (1.33) still marshals with github.com/golang/protobuf
# 1.3; the smoke client registers an APIv2 codec (clients/go/smoke/codec.go).
mkdir -p "$GO_SRC/$MODULE/smoke"
cp "$ROOT"/clients/go/smoke/*.go "$GO_SRC/$MODULE/smoke/"
go build "${PKGS[@]}"
go vet "${PKGS[@]}" "$MODULE/smoke"
go build -o "$GOBIN/ttads-client-smoke" "$MODULE/smoke"
echo "go: ${#PKGS[@]} packages built and vetted: ${PKGS[*]}"

# --- Python -----------------------------------------------------------------
PY_OUT="$OUT/python"
rm -rf "$PY_OUT" && mkdir -p "$PY_OUT"
# google.api's modules, which the stubs import, and google.rpc's, for error
# details (Debian 12 packages no googleapis-common-protos for Python);
# `google` is a namespace package, so they sit beside google.protobuf.
protoc -I "$ROOT/proto" -I "$GOOGLEAPIS" --python_out="$PY_OUT" \
  google/api/annotations.proto google/api/http.proto \
  google/api/field_behavior.proto google/rpc/status.proto \
  google/rpc/error_details.proto
protoc "${INCLUDES[@]}" --python_out="$PY_OUT" --pyi_out="$PY_OUT" \
  --plugin=protoc-gen-grpc_python=/usr/bin/grpc_python_plugin \
  --grpc_python_out="$PY_OUT" "${PROTOS[@]}"
mapfile -t MODULES < <(cd "$PY_OUT" && find ttads -name '*.py' | LC_ALL=C sort |
  sed -e 's/\.py$//' -e 's#/#.#g')
PYTHONPATH="$PY_OUT" "$PY" - "${MODULES[@]}" <<'PYEOF'
import importlib, sys
for name in sys.argv[1:]:
    importlib.import_module(name)
print(f"python: {len(sys.argv) - 1} modules imported")
PYEOF
