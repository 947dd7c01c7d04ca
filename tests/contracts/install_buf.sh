#!/usr/bin/env bash
# Prints the path of buf (npm's @bufbuild/buf, pinned in package-lock.json
# here), installing the npm dependencies on first use (npm ci; concurrent
# callers wait on one lock). Exits 77 (ctest: skipped) without node or npm.
# Used by buf_check.sh and clients/buf_generate_check.sh.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
for tool in node npm; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "SKIP $tool is not installed (scripts/install-deps.sh)" >&2
    exit 77
  fi
done
buf="$here/node_modules/.bin/buf"
if [[ ! -x "$buf" ]]; then
  (
    flock 9
    if [[ ! -x "$buf" ]]; then
      echo "tests/contracts: installing the npm dependencies (npm ci)" >&2
      npm ci --prefix "$here" --no-audit --no-fund --loglevel=error >&2
    fi
  ) 9>"${TMPDIR:-/tmp}/ttads-contracts-npm.lock"
fi
echo "$buf"
