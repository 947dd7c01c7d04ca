#!/usr/bin/env bash
# Installs every build, run and test dependency of ttads from Debian 12
# packages (and the npm packages of the manifest validator). Idempotent and
# quick when everything is already there. Run as root (or with sudo).
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config git ca-certificates curl
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libabsl-dev libcurl4-openssl-dev libhiredis-dev libssl-dev
  libboost-dev libboost-system-dev nlohmann-json3-dev libspdlog-dev
  prometheus-cpp-dev libphonenumber-dev libstb-dev libpng-dev
  libavformat-dev libavcodec-dev libswscale-dev libavutil-dev libre2-dev
  golang-github-gogo-googleapis-dev grpc-proto
  libgtest-dev libgmock-dev libbenchmark-dev libgoogle-perftools-dev libnghttp2-dev
  redis-server redis-tools wrk time
  clang-14 libclang-rt-14-dev
)
# Node.js runs the manifest validator; a machine may already have it from
# another source (whose nodejs package provides npm), so only ask apt when
# the commands are missing.
command -v node >/dev/null 2>&1 || PACKAGES+=(nodejs)
command -v npm >/dev/null 2>&1 || PACKAGES+=(npm)

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
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet redis-server 2>/dev/null; then
  $SUDO systemctl stop redis-server || true
fi

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
