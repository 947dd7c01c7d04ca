#!/usr/bin/env bash
# Runs one of the conformance checks in this folder with node:
#   run.sh <script.mjs> [args...]
# Exits 77 (ctest: skipped) when node is not installed. Installs the pinned
# npm packages (npm ci from package-lock.json) on first use, under a lock so
# that parallel ctest runs do not install twice.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
script="$1"
shift

if ! command -v node >/dev/null 2>&1; then
  echo "SKIP node is not installed (apt-get install nodejs npm)"
  exit 77
fi
if [[ ! -d "$here/node_modules/tiktok-business-api-sdk-official" ]]; then
  (
    flock 9
    if [[ ! -d "$here/node_modules/tiktok-business-api-sdk-official" ]]; then
      echo "tests/conformance: installing the npm dependencies (npm ci)"
      npm ci --prefix "$here" --no-audit --no-fund --loglevel=error
    fi
  ) 9>"${TMPDIR:-/tmp}/ttads-conformance-npm.lock"
fi
exec node "$here/$script" "$@"
