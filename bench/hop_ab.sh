#!/usr/bin/env bash
# Two HTTP -> gRPC hops side by side, at the same time, against the same
# preflight server, each under its own wrk: CPU per request of each.
#   bench/hop_ab.sh HOP_A HOP_B [ROUNDS]       (default 3 rounds)
# A hop is "gateway" (the suite's gateway, cached publish check) or
# "null" / "null:FLAGS" (ttads-null-proxy with FLAGS, e.g. null:--channels=4).
# Knobs: DURATION (8 s per round), CONNECTIONS (32 per hop), BUILD_DIR (build).
#
# CPU per request is each hop's /proc ticks over the requests its wrk
# completed in the same window; B/A below 1 means B does the same work with
# less CPU. Running both at once means whatever else the machine does slows
# both alike (single runs here vary by ±20 %).
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { sed -n 2,12p "$0"; exit 2; }
HOP_A="$1"; HOP_B="$2"; ROUNDS="${3:-3}"
BUILD_DIR="$(cd "${BUILD_DIR:-build}" && pwd)"
DURATION="${DURATION:-8}"; CONNECTIONS="${CONNECTIONS:-32}"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 2; }

# shellcheck source=bench/suite.sh
source bench/suite.sh
suite_up "$BUILD_DIR"

# start_hop SPEC NAME -> sets HOP_PID and HOP_URL
start_hop() {
  case "$1" in
    gateway)
      HOP_PID="$(cat "$RUN_DIR/pids/gateway.pid")"
      HOP_URL="http://127.0.0.1:$TTADS_GATEWAY_PORT/api/v1/tiktok/publish-check?advertiser_id=$BENCH_ADVERTISER&objective=$BENCH_OBJECTIVE"
      ;;
    null | null:*)
      local flags="${1#null}"; flags="${flags#:}"
      # shellcheck disable=SC2086
      start_null_proxy "$2" "$BUILD_DIR" $flags
      HOP_PID="$NULL_PID"; HOP_URL="$NULL_URL"
      ;;
    *) echo "unknown hop '$1' (gateway, null or null:FLAGS)" >&2; exit 2 ;;
  esac
  curl -fsS -o /dev/null -H "Authorization: Bearer $KEY" "$HOP_URL" \
    || { echo "hop $1 does not answer"; cat "$RUN_DIR/$2.out" 2>/dev/null; exit 1; }
}
start_hop "$HOP_A" a; PID_A="$HOP_PID"; URL_A="$HOP_URL"
start_hop "$HOP_B" b; PID_B="$HOP_PID"; URL_B="$HOP_URL"

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
HZ="$(getconf CLK_TCK)"
for round in $(seq "$ROUNDS"); do
  a0=$(ticks "$PID_A"); b0=$(ticks "$PID_B")
  wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" -H "Authorization: Bearer $KEY" "$URL_A" >"$RUN_DIR/wrk-a.txt" &
  wrk_a=$!
  wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" -H "Authorization: Bearer $KEY" "$URL_B" >"$RUN_DIR/wrk-b.txt"
  wait "$wrk_a"
  a1=$(ticks "$PID_A"); b1=$(ticks "$PID_B")
  na=$(awk '/requests in/ {print $1}' "$RUN_DIR/wrk-a.txt")
  nb=$(awk '/requests in/ {print $1}' "$RUN_DIR/wrk-b.txt")
  bad=$(cat "$RUN_DIR/wrk-a.txt" "$RUN_DIR/wrk-b.txt" | awk '/Non-2xx/ {s += $5} END {print s + 0}')
  awk -v a=$((a1 - a0)) -v b=$((b1 - b0)) -v na="$na" -v nb="$nb" -v hz="$HZ" -v r="$round" \
    -v A="$HOP_A" -v B="$HOP_B" -v bad="$bad" 'BEGIN {
      ca = a * 1e6 / hz / na; cb = b * 1e6 / hz / nb
      printf "round %d: A (%s) %d req %.1f us/req | B (%s) %d req %.1f us/req | B/A CPU per request %.2f | non-2xx %d\n",
        r, A, na, ca, B, nb, cb, cb / ca, bad }'
done
