#!/usr/bin/env bash
# Records the requests ttads itself sends to the simulator and checks every
# field they carry against TikTok's SDK (check_ttads_requests.mjs):
#   record_ttads.sh <report.json> <integration test binary>...
# Each binary (the services' integration tests, which run ttads against an
# in-process simulator) runs with TTADS_SIM_RECORD pointing at one JSON-lines
# file that every simulator appends to (tools/tiktok_sim/request_log.h).
# Exits 77 (ctest: skipped) when node is not installed; 1 when a binary fails
# (the record would be incomplete) or the check finds a field the SDK lacks.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
report="$1"
shift

if ! command -v node >/dev/null 2>&1; then
  echo "SKIP node is not installed (apt-get install nodejs npm)"
  exit 77
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
log="$work/requests.jsonl"
: >"$log"
for bin in "$@"; do
  name="$(basename "$bin")"
  if ! TTADS_SIM_RECORD="$log" "$bin" --gtest_brief=1 >"$work/$name.log" 2>&1; then
    echo "FAIL $name failed, so the record is incomplete; its test output"
    echo "(the services' JSON log lines left out):"
    grep -v '^{"ts"' "$work/$name.log" | tail -60
    exit 1
  fi
  echo "recorded $name: $(wc -l <"$log") requests so far"
done
exec bash "$here/run.sh" check_ttads_requests.mjs "$log" --report "$report"
