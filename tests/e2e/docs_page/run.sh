#!/usr/bin/env bash
# Runs docs_page.mjs (the /docs page in Debian's headless Chromium):
#   run.sh <gateway base URL> <API key> <advertiser id>
# Prints the driver's JSON report. Exits 77 (skipped) without chromium or
# node; installs puppeteer-core (pinned in package-lock.json) on first use.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
chromium="${TTADS_CHROMIUM:-$(command -v chromium || true)}"
if [[ -z "$chromium" || ! -x "$chromium" ]]; then
  echo "SKIP chromium is not installed (Debian's chromium: scripts/install-deps.sh)" >&2
  exit 77
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "SKIP node is not installed (scripts/install-deps.sh)" >&2
  exit 77
fi
if [[ ! -d "$here/node_modules/puppeteer-core" ]]; then
  (
    flock 9
    if [[ ! -d "$here/node_modules/puppeteer-core" ]]; then
      echo "tests/e2e/docs_page: installing puppeteer-core (npm ci)" >&2
      npm ci --prefix "$here" --no-audit --no-fund --loglevel=error >&2
    fi
  ) 9>"${TMPDIR:-/tmp}/ttads-docs-page-npm.lock"
fi
export TTADS_CHROMIUM="$chromium"
exec node "$here/docs_page.mjs" "$@"
