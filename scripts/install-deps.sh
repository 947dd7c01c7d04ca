#!/usr/bin/env bash
# Installs the Debian 12 packages ttads needs (and the npm packages of the
# test tools). Idempotent and quick when everything is already there. Run as
# root (or with sudo).
#   install-deps.sh            everything: build, run and test (`make test`)
#   install-deps.sh --product  only what building and running the product
#                              needs (`make up`): no test frameworks,
#                              benchmarks, clang, wrk or npm packages
set -euo pipefail

SCOPE=all
case "${1:-}" in
  "") ;;
  --product) SCOPE=product ;;
  *) echo "usage: install-deps.sh [--product]" >&2; exit 2 ;;
esac

# Building the binaries of `make up` (and of the image), and what up.sh runs
# beside them (redis-server, redis-cli, curl).
PRODUCT_PACKAGES=(
  build-essential cmake ninja-build pkg-config git ca-certificates curl
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libabsl-dev libcurl4-openssl-dev libhiredis-dev libssl-dev
  libboost-dev libboost-system-dev nlohmann-json3-dev libicu-dev
  prometheus-cpp-dev libphonenumber-dev libstb-dev
  libavformat-dev libavcodec-dev libswscale-dev libavutil-dev libre2-dev
  golang-github-gogo-googleapis-dev grpc-proto libgoogle-perftools-dev
  redis-server redis-tools
  libcli11-dev
)
# The tests, the benchmarks (libbenchmark, wrk, h2load from nghttp2-client,
# time), promtool (from prometheus) for the monitoring rules and the short
# fuzz run (clang's libFuzzer); the Redis topology tests start their own
# sentinels (redis-sentinel) and make throw-away TLS certificates (openssl).
# The gateway benchmark's grpc-gateway path installs its own Go packages
# (bench/grpc_gateway/build.sh). The gateway's /docs page is checked in
# Debian's headless chromium (tests/e2e/docs_page; ~290 MB installed).
TEST_PACKAGES=(
  libgtest-dev libgmock-dev libbenchmark-dev wrk nghttp2-client time prometheus
  clang-14 libclang-rt-14-dev redis-sentinel openssl chromium
)
# The generated Go and Python client stubs (clients/generate.sh, ctest label
# `clients`): Go's protobuf runtime (protoc-gen-go is built from it) and
# gRPC plugin and runtime, and Python's gRPC.
TEST_PACKAGES+=(golang-go golang-google-protobuf-dev protoc-gen-go-grpc
  golang-google-grpc-dev golang-google-genproto-dev python3-grpcio python3-protobuf)
PACKAGES=("${PRODUCT_PACKAGES[@]}")
if [ "$SCOPE" = all ]; then
  PACKAGES+=("${TEST_PACKAGES[@]}")
  # Node.js runs the manifest validator and the SDK conformance checks; a
  # machine may already have it from another source (whose nodejs package
  # provides npm), so only ask apt when the commands are missing.
  command -v node >/dev/null 2>&1 || PACKAGES+=(nodejs)
  command -v npm >/dev/null 2>&1 || PACKAGES+=(npm)
fi

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "install-deps: all Debian packages present"
fi

# The Redis the suite runs is private (started by `make up` and by tests);
# the distribution's own service is not needed.
# Only the commands are used from these packages, not their services
# (promtool from prometheus; the tests start their own Redis servers).
for unit in redis-server redis-sentinel prometheus; do
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "$unit" 2>/dev/null; then
    $SUDO systemctl stop "$unit" || true
  fi
done

[ "$SCOPE" = all ] || exit 0

# Manifest validator (deploy/validate) uses npm packages pinned in its lock file.
here="$(cd "$(dirname "$0")/.." && pwd)"
if [ -f "$here/deploy/validate/package.json" ] && [ ! -d "$here/deploy/validate/node_modules" ]; then
  echo "install-deps: npm ci in deploy/validate"
  (cd "$here/deploy/validate" && npm ci --no-audit --no-fund --loglevel=error)
fi
# Conformance checks (tests/conformance) use TikTok's JavaScript SDK, pinned
# in their lock file.
if [ -f "$here/tests/conformance/package.json" ] && [ ! -d "$here/tests/conformance/node_modules" ]; then
  echo "install-deps: npm ci in tests/conformance"
  (cd "$here/tests/conformance" && npm ci --no-audit --no-fund --loglevel=error)
fi
# The /docs browser test drives chromium with puppeteer-core, pinned in its
# lock file (no browser download: it uses Debian's chromium).
if [ -f "$here/tests/e2e/docs_page/package.json" ] && [ ! -d "$here/tests/e2e/docs_page/node_modules" ]; then
  echo "install-deps: npm ci in tests/e2e/docs_page"
  (cd "$here/tests/e2e/docs_page" && npm ci --no-audit --no-fund --loglevel=error)
fi
