#!/usr/bin/env bash
# Cached publish check through the REST gateway (wrk) vs directly over gRPC
# (ttads-load) against the same preflight server, side by side in one run.
# A third path, wrk through ttads-null-proxy (bench/null_proxy: an HTTP ->
# gRPC hop on the gateway's libraries that does nothing else), shows the
# floor under any gateway built on them.
#   bench/gateway_vs_grpc.sh [BUILD_DIR]
# Knobs: CONCURRENCY (64), DURATION (10), ROUNDS (2), OBJECTIVE (WEB_CONVERSIONS),
# NULL_PROXY_FLAGS (extra flags of ttads-null-proxy, e.g. --channels=4).
# Besides throughput and p99 it reports CPU microseconds per request spent
# in each process (gateway or null proxy, preflight, redis, the load
# generator), from
# /proc/<pid>/stat and getrusage: unlike req/s this hardly moves when other
# work shares the machine, so it shows where the gateway's cost is.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR="$(cd "${1:-build}" && pwd)"
CONCURRENCY="${CONCURRENCY:-64}"
DURATION="${DURATION:-10}"
ROUNDS="${ROUNDS:-2}"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 2; }
# shellcheck source=bench/suite.sh
source bench/suite.sh
suite_up "$BUILD_DIR"
ADVERTISER="$BENCH_ADVERTISER"; OBJECTIVE="$BENCH_OBJECTIVE"
URL="http://127.0.0.1:$TTADS_GATEWAY_PORT/api/v1/tiktok/publish-check?advertiser_id=$ADVERTISER&objective=$OBJECTIVE"
curl -fsS -H "Authorization: Bearer $KEY" "$URL" >/dev/null  # warm the caches

pid_of() { cat "$RUN_DIR/pids/$1.pid"; }
PREFLIGHT_PID="$(pid_of preflight)"; REDIS_PID="$(pid_of redis)"
GRPC_DATA="{\"advertiserId\":\"$ADVERTISER\",\"objective\":\"$OBJECTIVE\"}"
GRPC_METHOD=ttads.preflight.v1.PreflightService/PublishCheck
# shellcheck disable=SC2086
start_null_proxy null-proxy "$BUILD_DIR" ${NULL_PROXY_FLAGS:-}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
HZ="$(getconf CLK_TCK)"
# Runs "$@" (a load generator) with HOP_PID as the HTTP hop (gateway or null
# proxy) and keeps the CPU ticks each process spent; cpu_per_request divides
# them by the caller's request count.
measure_cpu() {
  local g0 p0 r0 g1 p1 r1 out
  g0=$(cpu_ticks "$HOP_PID"); p0=$(cpu_ticks "$PREFLIGHT_PID"); r0=$(cpu_ticks "$REDIS_PID")
  out="$( { /usr/bin/time -f 'CLIENT_CPU %U %S' "$@"; } 2>&1 )"
  g1=$(cpu_ticks "$HOP_PID"); p1=$(cpu_ticks "$PREFLIGHT_PID"); r1=$(cpu_ticks "$REDIS_PID")
  MEASURED_OUT="$out"
  CPU_TICKS="$((g1 - g0)) $((p1 - p0)) $((r1 - r0))"
  CLIENT_SECONDS="$(awk '/^CLIENT_CPU/ {print $2 + $3}' <<<"$out")"
}
cpu_per_request() {  # requests -> "hop X preflight Y redis Z load W (us)"
  read -r g p r <<<"$CPU_TICKS"
  awk -v n="$1" -v g="$g" -v p="$p" -v r="$r" -v c="$CLIENT_SECONDS" -v hz="$HZ" 'BEGIN {
    if (n <= 0) n = 1
    printf "hop %.0f, preflight %.0f, redis %.1f, load generator %.0f", g * 1e6 / hz / n, p * 1e6 / hz / n, r * 1e6 / hz / n, c * 1e6 / n }'
}
command -v /usr/bin/time >/dev/null || { echo "/usr/bin/time is missing: apt-get install time" >&2; exit 2; }

to_ms() {  # wrk latency "1.23ms" / "850.00us" / "1.02s" -> ms
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /s$/ && v !~ /ms$/) n *= 1000; printf "%.2f", n }'
}
wrk_path() {  # url -> sets RPS P99 BAD CPU for wrk through the hop HOP_PID
  measure_cpu wrk -t2 -c"$CONCURRENCY" -d"${DURATION}s" --latency -H "Authorization: Bearer $KEY" "$1"
  RPS="$(awk '/^Requests\/sec/ {print $2}' <<<"$MEASURED_OUT")"
  P99="$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$MEASURED_OUT")")"
  BAD="$(awk '/Non-2xx/ {print $5}' <<<"$MEASURED_OUT")"
  CPU="$(cpu_per_request "$(awk '/requests in/ {print $1}' <<<"$MEASURED_OUT")")"
}
rest_total=0; null_total=0; grpc_total=0
for round in $(seq "$ROUNDS"); do
  HOP_PID="$(pid_of gateway)" wrk_path "$URL"
  rest_rps="$RPS"; rest_p99="$P99"; rest_bad="$BAD"; rest_cpu="${CPU/hop/gateway}"
  HOP_PID="$NULL_PID" wrk_path "$NULL_URL"
  null_rps="$RPS"; null_p99="$P99"; null_bad="$BAD"; null_cpu="${CPU/hop/null proxy}"
  HOP_PID="$NULL_PID" measure_cpu "$BUILD_DIR/bench/load/ttads-load" --target="127.0.0.1:$TTADS_PREFLIGHT_PORT" \
    --key="$KEY" --method="$GRPC_METHOD" --data="$GRPC_DATA" \
    --concurrency="$CONCURRENCY" --duration="${DURATION}s" --json
  grpc_json="$(grep -v '^CLIENT_CPU' <<<"$MEASURED_OUT")"
  grpc_rps="$(sed -n 's/.*"throughput": *\([0-9.]*\).*/\1/p' <<<"$grpc_json")"
  grpc_p99="$(sed -n 's/.*"p99_ms": *\([0-9.]*\).*/\1/p' <<<"$grpc_json")"
  grpc_ok="$(sed -n 's/.*"ok": *\([0-9]*\).*/\1/p' <<<"$grpc_json" | head -n1)"
  grpc_cpu="$(cpu_per_request "$grpc_ok" | sed 's/^hop [0-9]*, //')"
  echo "round $round: REST ${rest_rps} req/s p99 ${rest_p99} ms (non-2xx: ${rest_bad:-0})" \
    "| null proxy ${null_rps} req/s p99 ${null_p99} ms (non-2xx: ${null_bad:-0})" \
    "| gRPC ${grpc_rps} calls/s p99 ${grpc_p99} ms"
  echo "  CPU us/request  REST:       $rest_cpu"
  echo "  CPU us/request  null proxy: $null_cpu"
  echo "  CPU us/request  gRPC:       $grpc_cpu"
  rest_total="$(awk -v a="$rest_total" -v b="$rest_rps" 'BEGIN {print a + b}')"
  null_total="$(awk -v a="$null_total" -v b="$null_rps" 'BEGIN {print a + b}')"
  grpc_total="$(awk -v a="$grpc_total" -v b="$grpc_rps" 'BEGIN {print a + b}')"
done
awk -v r="$rest_total" -v n="$null_total" -v g="$grpc_total" 'BEGIN {
  printf "gateway/direct throughput ratio: %.2f (target >= 0.60)\n", r / g
  printf "null proxy/direct throughput ratio: %.2f (the floor for an HTTP -> gRPC hop on these libraries)\n", n / g
  printf "gateway/null proxy throughput ratio: %.2f\n", r / n }'
