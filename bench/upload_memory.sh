#!/usr/bin/env bash
# Streams one large CSV audience upload through the REST gateway and reports
# how the gateway's memory compares with the body: the upload is converted
# while it arrives (docs/gateway.md, "Streaming"), so the gateway's peak RSS
# should grow by a small constant, not by the body size.
#
#   bench/upload_memory.sh [BUILD_DIR]          # default BUILD_DIR=build
#   MB=200 bench/upload_memory.sh build
#
# Knobs (env): MB (100, body size in MiB), ROWS_PER_MESSAGE (the gateway's
# TTADS_GATEWAY_CSV_BATCH_ROWS, 1000). Brings the suite up like `make up` on
# free ports in a private run directory (enterprise demo team: no quota cap).
# Prints the body size, the time and rate of the upload, the job's received
# count, and the gateway's VmHWM (peak RSS) before and after.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR="$(cd "${1:-build}" && pwd)"
MB="${MB:-100}"
ADV=7101000000000000001
RUN_DIR="$(mktemp -d /tmp/ttads-upload.XXXXXX)"
export TTADS_RUN_DIR="$RUN_DIR" TTADS_DEMO_TIER=enterprise
export TTADS_GATEWAY_CSV_BATCH_ROWS="${ROWS_PER_MESSAGE:-1000}"
trap 'bash scripts/down.sh >/dev/null 2>&1; rm -rf "$RUN_DIR"' EXIT
# shellcheck source=scripts/free_ports.sh
source scripts/free_ports.sh
bash scripts/up.sh "$BUILD_DIR" >"$RUN_DIR/up.out" 2>&1 || { cat "$RUN_DIR/up.out"; exit 1; }
# shellcheck disable=SC1091
source "$RUN_DIR/demo-keys.env"
KEY="$TTADS_DEMO_OWNER_KEY"
GW="http://127.0.0.1:$TTADS_GATEWAY_PORT"
GATEWAY_PID="$(cat "$RUN_DIR/pids/gateway.pid")"
hwm() { awk '/VmHWM/ {print $2}' "/proc/$GATEWAY_PID/status"; }

audience="$(curl -fsS -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
  -X POST "$GW/v1/advertisers/$ADV/audiences" -d '{"name":"upload-bench","identifier_types":["EMAIL"]}')"
AUDIENCE_ID="$(sed -n 's/.*"audienceId":"\([^"]*\)".*/\1/p' <<<"$audience")"
[ -n "$AUDIENCE_ID" ] || { echo "upload: could not create the audience: $audience" >&2; exit 1; }

BODY="$RUN_DIR/members.csv"
python3 - "$BODY" "$MB" <<'EOF'
import sys
path, mib = sys.argv[1], int(sys.argv[2])
with open(path, "w") as f:
    f.write("email\n")
    i, size = 0, 0
    while size < mib * 1024 * 1024:
        line = f"member.{i:09d}@example.com\n"
        f.write(line)
        size += len(line)
        i += 1
EOF
ROWS=$(( $(wc -l <"$BODY") - 1 ))
before=$(hwm)
start=$(date +%s.%N)
answer="$(curl -sS -H "Authorization: Bearer $KEY" -H 'Content-Type: text/csv' \
  -H 'X-Request-Timeout: 600' --data-binary "@$BODY" \
  "$GW/v1/advertisers/$ADV/audiences/$AUDIENCE_ID/members:sync?operation=ADD")"
end=$(date +%s.%N)
after=$(hwm)
received="$(sed -n 's/.*"received":"\([0-9]*\)".*/\1/p' <<<"$answer")"
[ "$received" = "$ROWS" ] || { echo "upload: unexpected answer: ${answer:0:500}" >&2; exit 1; }
body_bytes=$(stat -c %s "$BODY")
awk -v b="$body_bytes" -v s="$start" -v e="$end" -v r="$ROWS" -v h0="$before" -v h1="$after" 'BEGIN {
  t = e - s
  printf "body              %.1f MiB, %d rows\n", b / 1048576, r
  printf "upload            %.1f s, %.1f MiB/s, %.0f rows/s\n", t, b / 1048576 / t, r / t
  printf "gateway VmHWM     %.1f MiB before, %.1f MiB after (+%.1f MiB = %.1f%% of the body)\n",
    h0 / 1024, h1 / 1024, (h1 - h0) / 1024, (h1 - h0) * 1024 * 100 / b
}'
