#!/usr/bin/env bash
# Cached publish check through the REST gateway (wrk) vs directly over gRPC
# (ttads-load) against the same preflight server, side by side in one run.
#   bench/gateway_vs_grpc.sh [BUILD_DIR]
# Knobs: CONCURRENCY (64), DURATION (10), ROUNDS (2), OBJECTIVE (WEB_CONVERSIONS).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR="$(cd "${1:-build}" && pwd)"
CONCURRENCY="${CONCURRENCY:-64}"
DURATION="${DURATION:-10}"
ROUNDS="${ROUNDS:-2}"
OBJECTIVE="${OBJECTIVE:-WEB_CONVERSIONS}"
ADVERTISER=7101000000000000001
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 2; }

RUN_DIR="$(mktemp -d /tmp/ttads-bench.XXXXXX)"
export TTADS_RUN_DIR="$RUN_DIR" TTADS_DEMO_TIER=enterprise  # enterprise: no monthly quota
trap 'bash scripts/down.sh >/dev/null 2>&1; rm -rf "$RUN_DIR"' EXIT
USED_PORTS=" "
free_port() {  # a port nobody listens on and not handed out before
  local p
  while :; do
    p=$(( (RANDOM % 20000) + 30000 ))
    case "$USED_PORTS" in *" $p "*) continue ;; esac
    (echo >/dev/tcp/127.0.0.1/$p) 2>/dev/null && continue
    USED_PORTS+="$p "
    echo $p
    return
  done
}
for v in REDIS SIM IDENTITY PREFLIGHT ADS AUDIENCE GATEWAY IDENTITY_ADMIN PREFLIGHT_ADMIN ADS_ADMIN AUDIENCE_ADMIN; do
  port="$(free_port)"; USED_PORTS+="$port "
  export "TTADS_${v}_PORT=$port"
done
bash scripts/up.sh "$BUILD_DIR" >"$RUN_DIR/up.out" 2>&1 || { cat "$RUN_DIR/up.out"; exit 1; }
# shellcheck disable=SC1091
source "$RUN_DIR/demo-keys.env"
KEY="$TTADS_DEMO_OWNER_KEY"
URL="http://127.0.0.1:$TTADS_GATEWAY_PORT/api/v1/tiktok/publish-check?advertiser_id=$ADVERTISER&objective=$OBJECTIVE"
curl -fsS -H "Authorization: Bearer $KEY" "$URL" >/dev/null  # warm the caches

to_ms() {  # wrk latency "1.23ms" / "850.00us" / "1.02s" -> ms
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /s$/ && v !~ /ms$/) n *= 1000; printf "%.2f", n }'
}
rest_total=0; grpc_total=0
for round in $(seq "$ROUNDS"); do
  wrk_out="$(wrk -t2 -c"$CONCURRENCY" -d"${DURATION}s" --latency -H "Authorization: Bearer $KEY" "$URL")"
  rest_rps="$(awk '/^Requests\/sec/ {print $2}' <<<"$wrk_out")"
  rest_p99="$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$wrk_out")")"
  rest_bad="$(awk '/Non-2xx/ {print $5}' <<<"$wrk_out")"
  grpc_json="$("$BUILD_DIR/bench/load/ttads-load" --target="127.0.0.1:$TTADS_PREFLIGHT_PORT" --key="$KEY" \
    --method=ttads.preflight.v1.PreflightService/PublishCheck \
    --data="{\"advertiserId\":\"$ADVERTISER\",\"objective\":\"$OBJECTIVE\"}" \
    --concurrency="$CONCURRENCY" --duration="${DURATION}s" --json)"
  grpc_rps="$(sed -n 's/.*"throughput": *\([0-9.]*\).*/\1/p' <<<"$grpc_json")"
  grpc_p99="$(sed -n 's/.*"p99_ms": *\([0-9.]*\).*/\1/p' <<<"$grpc_json")"
  echo "round $round: REST ${rest_rps} req/s p99 ${rest_p99} ms (non-2xx: ${rest_bad:-0}) | gRPC ${grpc_rps} calls/s p99 ${grpc_p99} ms"
  rest_total="$(awk -v a="$rest_total" -v b="$rest_rps" 'BEGIN {print a + b}')"
  grpc_total="$(awk -v a="$grpc_total" -v b="$grpc_rps" 'BEGIN {print a + b}')"
done
awk -v r="$rest_total" -v g="$grpc_total" 'BEGIN { printf "gateway/direct throughput ratio: %.2f (target >= 0.60)\n", r / g }'
