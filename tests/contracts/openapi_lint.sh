#!/usr/bin/env bash
# redocly lint (npm @redocly/cli, pinned in package-lock.json here) of the
# OpenAPI document the gateway serves at /openapi.json, printed by
#   openapi_lint.sh <ttads-gateway binary>
# Passes with no errors and no warnings. Exits 77 (ctest: skipped) without
# node.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
gateway="${1:?usage: openapi_lint.sh <ttads-gateway binary>}"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "SKIP node is not installed (scripts/install-deps.sh)"
  exit 77
fi
redocly="$here/node_modules/.bin/redocly"
if [[ ! -x "$redocly" ]]; then
  (
    flock 9
    if [[ ! -x "$redocly" ]]; then
      echo "tests/contracts: installing the npm dependencies (npm ci)"
      npm ci --prefix "$here" --no-audit --no-fund --loglevel=error
    fi
  ) 9>"${TMPDIR:-/tmp}/ttads-contracts-npm.lock"
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$gateway" --print_openapi >"$work/openapi.json"
# No telemetry from a test run.
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true
"$redocly" lint "$work/openapi.json" --config "$here/redocly.yaml" \
  --format stylish --max-problems 1000 2>&1 | tee "$work/report.txt"
# redocly fails on errors only; warnings fail here too.
if grep -qE '^ +[0-9]+:[0-9]+ +(error|warning) ' "$work/report.txt" ||
   grep -qE 'You have [0-9]+ warning' "$work/report.txt"; then
  echo "FAIL redocly lint reported problems"
  exit 1
fi
echo "PASS redocly lint: no errors, no warnings"
