#!/usr/bin/env bash
# A cached PublishCheck versus the same server's grpc.health.v1.Health/Check,
# under the same closed-loop load generator (ttads-load), in one run.
#
#   bench/preflight_vs_health.sh [BUILD_DIR]
#
# Starts a private redis-server, the TikTok simulator (demo seed), the
# identity and preflight services on unused loopback ports; creates a team
# and key and connects TikTok through the identity service's OAuth flow with
# an auth code minted by the simulator; warms the caches; then alternates
# Health/Check and PublishCheck loads (ROUNDS times each) against the
# preflight server and prints each run, the throughput ratio and the p99.
# Everything it started is stopped on exit.
#
# Environment: CONCURRENCY (64), DURATION (10s), WARMUP (2s), ROUNDS (2),
# CHANNELS (4), OBJECTIVE (WEB_CONVERSIONS), SKIP_BUILD (unset: build the
# binaries it needs first).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR="${1:-build}"
CONCURRENCY="${CONCURRENCY:-64}"
DURATION="${DURATION:-10s}"
WARMUP="${WARMUP:-2s}"
ROUNDS="${ROUNDS:-2}"
CHANNELS="${CHANNELS:-4}"
OBJECTIVE="${OBJECTIVE:-WEB_CONVERSIONS}"
ADVERTISER=7101000000000000001

if [ -z "${SKIP_BUILD:-}" ]; then
  [ -f "$BUILD_DIR/build.ninja" ] ||
    cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  ninja -C "$BUILD_DIR" -j"${JOBS:-2}" ttads-tiktok-sim ttads-identity \
    ttads-preflight ttads-load ttads-bench-setup ttads-health >/dev/null
fi

WORK="$(mktemp -d /tmp/ttads-bench.XXXXXX)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
fail() { echo "bench: $*" >&2; tail -n 20 "$WORK"/*.log >&2 || true; exit 1; }

REDIS_PORT=$(free_port); SIM_PORT=$(free_port)
IDENTITY_PORT=$(free_port); PREFLIGHT_PORT=$(free_port)

redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no \
  --dir "$WORK" >"$WORK/redis.log" 2>&1 &
PIDS+=($!)
"$BUILD_DIR/tools/tiktok_sim/ttads-tiktok-sim" --port="$SIM_PORT" --seed=demo \
  --tier=unlimited >"$WORK/sim.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do
  redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 &&
    curl -fsS "http://127.0.0.1:$SIM_PORT/_sim/stats" >/dev/null 2>&1 && break
  sleep 0.1
done

cat >"$WORK/ttads.env" <<ENV
TTADS_REDIS_ADDRESS=127.0.0.1:$REDIS_PORT
TTADS_TIKTOK_BASE_URL=http://127.0.0.1:$SIM_PORT/open_api/v1.3/
TTADS_TIKTOK_APP_ID=ttads-local-app
TTADS_TIKTOK_APP_SECRET=local-sim-secret
TTADS_TIKTOK_TIER=ultimate
TTADS_TOKEN_ENCRYPTION_KEY=$(head -c 32 /dev/urandom | base64 -w0)
TTADS_IDENTITY_ADDRESS=127.0.0.1:$IDENTITY_PORT
TTADS_LOG_LEVEL=warn
TTADS_DRAIN_SECONDS=0
ENV
TTADS_LISTEN_ADDRESS="127.0.0.1:$IDENTITY_PORT" TTADS_ADMIN_ADDRESS="127.0.0.1:0" \
  TTADS_OAUTH_CONSENT_URL="http://127.0.0.1:$SIM_PORT/portal/auth" \
  "$BUILD_DIR/services/identity/ttads-identity" --config="$WORK/ttads.env" \
  >"$WORK/identity.log" 2>&1 &
PIDS+=($!)
TTADS_LISTEN_ADDRESS="127.0.0.1:$PREFLIGHT_PORT" TTADS_ADMIN_ADDRESS="127.0.0.1:0" \
  "$BUILD_DIR/services/preflight/ttads-preflight" --config="$WORK/ttads.env" \
  >"$WORK/preflight.log" 2>&1 &
PIDS+=($!)
for port in "$IDENTITY_PORT" "$PREFLIGHT_PORT"; do
  "$BUILD_DIR/tools/health/ttads-health" --address="127.0.0.1:$port" --wait=30s \
    >/dev/null || fail "service on $port did not become healthy"
done

AUTH_CODE=$(curl -fsS -X POST "http://127.0.0.1:$SIM_PORT/_sim/auth_codes" \
  -d "{\"advertiser_ids\":[\"$ADVERTISER\"]}" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["auth_code"])')
KEY=$("$BUILD_DIR/bench/load/ttads-bench-setup" --redis="127.0.0.1:$REDIS_PORT" \
  --identity_address="127.0.0.1:$IDENTITY_PORT" --auth_code="$AUTH_CODE") ||
  fail "setup failed"

LOAD="$BUILD_DIR/bench/load/ttads-load"
TARGET="127.0.0.1:$PREFLIGHT_PORT"
PUBLISH=(--method=ttads.preflight.v1.PreflightService/PublishCheck
         --data="{\"objective\":\"$OBJECTIVE\",\"advertiserId\":\"$ADVERTISER\"}"
         --key="$KEY")
HEALTH=(--method=grpc.health.v1.Health/Check)
COMMON=(--target="$TARGET" --concurrency="$CONCURRENCY" --duration="$DURATION"
        --warmup="$WARMUP" --channels="$CHANNELS" --json)

echo "bench: warming the caches"
"$LOAD" --target="$TARGET" "${PUBLISH[@]}" --concurrency=1 --warmup=0s \
  --duration=1s --fail_on_errors >/dev/null || fail "PublishCheck fails"
echo "bench: $ROUNDS rounds x (Health/Check, PublishCheck $OBJECTIVE), c=$CONCURRENCY, $DURATION each"
: >"$WORK/results.jsonl"
for round in $(seq "$ROUNDS"); do
  for kind in health publish; do
    if [ "$kind" = health ]; then args=("${HEALTH[@]}"); else args=("${PUBLISH[@]}"); fi
    line=$("$LOAD" "${COMMON[@]}" "${args[@]}")
    echo "{\"kind\":\"$kind\",\"round\":$round,\"report\":$line}" >>"$WORK/results.jsonl"
  done
done
curl -fsS "http://127.0.0.1:$SIM_PORT/_sim/stats" >"$WORK/sim-stats.json"
python3 - "$WORK/results.jsonl" "$WORK/sim-stats.json" <<'PY'
import json, sys
runs = [json.loads(l) for l in open(sys.argv[1])]
calls = json.load(open(sys.argv[2])).get("calls", {})
def fmt(r):
    e = sum(r["errors"].values())
    return (f'{r["throughput"]:9.0f} ok/s  p50 {r["p50_ms"]:.2f} ms  p90 {r["p90_ms"]:.2f} ms'
            f'  p99 {r["p99_ms"]:.2f} ms  max {r["max_ms"]:.2f} ms  errors {e}')
for run in runs:
    print(f'round {run["round"]} {run["kind"]:8s} {fmt(run["report"])}')
h = [r["report"] for r in runs if r["kind"] == "health"]
p = [r["report"] for r in runs if r["kind"] == "publish"]
ht = sum(r["throughput"] for r in h) / len(h)
pt = sum(r["throughput"] for r in p) / len(p)
p99 = max(r["p99_ms"] for r in p)
errors = sum(sum(r["errors"].values()) for r in p + h)
ratio = pt / ht if ht else 0
print(f'Health/Check mean {ht:.0f} ok/s; PublishCheck mean {pt:.0f} ok/s')
print(f'ratio PublishCheck/Health = {ratio:.2f} (target >= 0.70); '
      f'PublishCheck worst p99 = {p99:.2f} ms (target <= 5 ms); non-OK calls = {errors}')
total = sum(r["ok"] for r in p)
print(f'TikTok calls for {total} measured PublishChecks (whole run): ' +
      ", ".join(f'{k} {v.get("total", v) if isinstance(v, dict) else v}'
                for k, v in sorted(calls.items())))
PY
