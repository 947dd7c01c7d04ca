#!/usr/bin/env bash
# Builds ttads-grpc-gateway (bench/grpc_gateway/main.go): grpc-gateway v1
# generated from the suite's own preflight proto, offline, from Debian's Go
# packages in GOPATH mode (/usr/share/gocode; GO111MODULE=off).
#   bench/grpc_gateway/build.sh OUT_DIR      -> OUT_DIR/ttads-grpc-gateway
# The Go packages are for this benchmark only (scripts/install-deps.sh does
# not list them). When one is missing: with INSTALL=1 (the default) they are
# installed with apt-get (as root or with sudo); with INSTALL=0 the script
# says what is missing and exits 3, which bench/gateway_vs_grpc.sh reports as
# "grpc-gateway: skipped".
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT_DIR="$(mkdir -p "$1" && cd "$1" && pwd)"
INSTALL="${INSTALL:-1}"
PACKAGES=(golang-go golang-github-grpc-ecosystem-grpc-gateway-dev
  golang-goprotobuf-dev golang-google-grpc-dev golang-google-genproto-dev
  golang-github-gogo-googleapis-dev protobuf-compiler)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$INSTALL" != 1 ]; then
    echo "grpc-gateway: missing Debian packages: ${missing[*]}" >&2
    exit 3
  fi
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  echo "grpc-gateway: installing ${missing[*]}" >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

WORK="$OUT_DIR/grpc-gateway-go"   # GOPATH of the generated code; kept as a build cache
SRC="$WORK/src/ttadsbench"
GOCODE=/usr/share/gocode
export GO111MODULE=off GOFLAGS='' GOPATH="$WORK:$GOCODE" GOCACHE="$WORK/cache" GOBIN="$WORK/bin"
go install github.com/grpc-ecosystem/grpc-gateway/protoc-gen-grpc-gateway

rm -rf "$SRC" && mkdir -p "$SRC/grpc_gateway" "$SRC/gen"
# Map each file to this benchmark's own Go import path (M options win over
# the protos' go_package). The google.api annotations resolve to Debian's
# genproto package.
API=google.golang.org/genproto/googleapis/api/annotations
MAP="Mgoogle/api/annotations.proto=$API,Mgoogle/api/http.proto=$API"
MAP="$MAP,Mgoogle/api/field_behavior.proto=$API"
MAP="$MAP,Mttads/common/v1/common.proto=ttadsbench/gen/ttads/common/v1"
MAP="$MAP,Mttads/preflight/v1/preflight_service.proto=ttadsbench/gen/ttads/preflight/v1"
INCLUDES=(-I proto -I "$GOCODE/src/github.com/gogo/googleapis" -I /usr/include)
# protoc-gen-go 1.3 takes one Go package per run and would write to the
# go_package path (it ignores M there): paths=source_relative writes next to
# the proto's own path, hence the gen/ output root.
for p in ttads/common/v1/common.proto ttads/preflight/v1/preflight_service.proto; do
  protoc "${INCLUDES[@]}" --go_out="plugins=grpc,paths=source_relative,$MAP:$SRC/gen" "proto/$p"
done
protoc "${INCLUDES[@]}" --plugin=protoc-gen-grpc-gateway="$GOBIN/protoc-gen-grpc-gateway" \
  --grpc-gateway_out="logtostderr=true,$MAP:$WORK/src" proto/ttads/preflight/v1/preflight_service.proto
cp bench/grpc_gateway/main.go "$SRC/grpc_gateway/"
go build -o "$OUT_DIR/ttads-grpc-gateway" ttadsbench/grpc_gateway
echo "$OUT_DIR/ttads-grpc-gateway"
