#!/usr/bin/env bash
# Two gateway binaries side by side, at the same time, against the same
# backends: for A/B comparisons of a gateway change on a noisy machine.
#   bench/gateway_ab.sh GATEWAY_A GATEWAY_B [ROUNDS]     (default 3 rounds)
# Knobs: DURATION (12 s per round), WINDOW (8 s measured), CONNECTIONS (32
# per gateway), BUILD_DIR (build). A gateway "binary" may be a wrapper
# script (e.g. one that sets LD_PRELOAD or TTADS_GATEWAY_THREADS).
#
# Both gateways serve the cached publish check to their own wrk at once, so
# whatever the machine is doing slows both alike. Per round it prints each
# gateway's requests/s and CPU microseconds per request (its /proc ticks
# over its own request counter, in the same window) and B/A: a CPU ratio
# below 1 means B does the same work with less CPU. Single-gateway runs on
# these machines vary by ±20 % from minute to minute; A/A runs of this
# script agree within ±3 %.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { sed -n 2,15p "$0"; exit 2; }
A="$(realpath "$1")"; B="$(realpath "$2")"; ROUNDS="${3:-3}"
BUILD_DIR="${BUILD_DIR:-build}"
DURATION="${DURATION:-12}"; WINDOW="${WINDOW:-8}"; CONNECTIONS="${CONNECTIONS:-32}"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 2; }

export TTADS_GATEWAY_EXE="$A"
# shellcheck source=bench/suite.sh
source bench/suite.sh
suite_up "$BUILD_DIR"
PORT_A="$TTADS_GATEWAY_PORT"
PORT_B="$(comm -23 <(seq 10000 32000) <(ss -Htan | awk '{print $4}' | sed 's/.*://' | sort -u) | shuf -n1)"
( set -a; . "$RUN_DIR/ttads.env"; set +a; TTADS_HTTP_ADDRESS="127.0.0.1:$PORT_B" exec "$B" ) \
  >"$RUN_DIR/gateway-b.log" 2>&1 &
B_PID=$!
track_pid "$B_PID"
P="/api/v1/tiktok/publish-check?advertiser_id=$BENCH_ADVERTISER&objective=$BENCH_OBJECTIVE"
for _ in $(seq 100); do
  curl -fs -H "Authorization: Bearer $KEY" "http://127.0.0.1:$PORT_B$P" >/dev/null && break
  sleep 0.1
done
curl -fsS -H "Authorization: Bearer $KEY" "http://127.0.0.1:$PORT_B$P" >/dev/null \
  || { echo "gateway B does not answer:"; tail "$RUN_DIR/gateway-b.log"; exit 1; }
A_PID="$(cat "$RUN_DIR/pids/gateway.pid")"

served() {  # port -> PublishCheck 200s so far
  curl -s "http://127.0.0.1:$1/metrics" |
    awk '/^http_requests_total/ && /route="\/api\/v1\/tiktok\/publish-check"/ && /code="200"/ {s += $2} END {printf "%d", s}'
}
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
HZ="$(getconf CLK_TCK)"
for round in $(seq "$ROUNDS"); do
  wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" -H "Authorization: Bearer $KEY" "http://127.0.0.1:$PORT_A$P" >/dev/null &
  wrk_a=$!
  wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" -H "Authorization: Bearer $KEY" "http://127.0.0.1:$PORT_B$P" >/dev/null &
  wrk_b=$!
  sleep 2
  a0=$(served "$PORT_A"); b0=$(served "$PORT_B"); ta0=$(ticks "$A_PID"); tb0=$(ticks "$B_PID")
  sleep "$WINDOW"
  a1=$(served "$PORT_A"); b1=$(served "$PORT_B"); ta1=$(ticks "$A_PID"); tb1=$(ticks "$B_PID")
  wait "$wrk_a" "$wrk_b"
  awk -v r="$round" -v na=$((a1 - a0)) -v nb=$((b1 - b0)) -v ca=$((ta1 - ta0)) -v cb=$((tb1 - tb0)) \
      -v w="$WINDOW" -v hz="$HZ" 'BEGIN {
    ua = ca * 1e6 / hz / na; ub = cb * 1e6 / hz / nb
    printf "round %d: A %.0f req/s %.1f us/req | B %.0f req/s %.1f us/req | B/A CPU per request %.3f\n",
      r, na / w, ua, nb / w, ub, ub / ua }'
done
