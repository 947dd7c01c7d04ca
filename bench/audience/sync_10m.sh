#!/usr/bin/env bash
# End-to-end audience sync benchmark: N (default 10 million) email
# identifiers streamed through SyncMembers into ttads-audience, normalised,
# hashed, spooled to Redis, merged, split into customer files and uploaded
# to ttads-tiktok-sim. Prints throughput and the service's peak RSS
# (VmHWM; target <= 256 MB).
# Usage: bench/audience/sync_10m.sh [build dir] [N]
set -euo pipefail
BUILD="$(cd "${1:-${BUILD_DIR:-build}}" && pwd)"
N="${2:-10000000}"
AUD="$BUILD/services/audience/ttads-audience"
SIM="$BUILD/tools/tiktok_sim/ttads-tiktok-sim"
DRV="$BUILD/bench/audience/sync_10m_driver"
for b in "$AUD" "$SIM" "$DRV"; do
  [[ -x "$b" ]] || { echo "missing $b (ninja -C $BUILD ttads-audience ttads-tiktok-sim sync_10m_driver)" >&2; exit 1; }
done

WORK="$(mktemp -d /tmp/ttads-sync-bench.XXXXXX)"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

REDIS_PORT=$(free_port); SIM_PORT=$(free_port); AUD_PORT=$(free_port)
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$WORK" --save "" \
  --appendonly yes --logfile "$WORK/redis.log" --daemonize no &
PIDS+=($!)
"$SIM" --port "$SIM_PORT" --tier unlimited --threads 2 >"$WORK/sim.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do
  redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && curl -s "http://127.0.0.1:$SIM_PORT/_sim/stats" >/dev/null && break
  sleep 0.1
done
KEY=$(python3 -c 'import base64,os;print(base64.b64encode(os.urandom(32)).decode())')
ADV=7101000000000000001
TOKEN=$(curl -s -X POST "http://127.0.0.1:$SIM_PORT/_sim/access_tokens" \
  -H 'Content-Type: application/json' -d "{\"advertiser_ids\":[\"$ADV\"]}" |
  python3 -c 'import json,sys;print(json.load(sys.stdin)["access_token"])')

TTADS_LISTEN_ADDRESS="127.0.0.1:$AUD_PORT" TTADS_ADMIN_ADDRESS="" \
TTADS_REDIS_ADDRESS="127.0.0.1:$REDIS_PORT" \
TTADS_TIKTOK_BASE_URL="http://127.0.0.1:$SIM_PORT/open_api/v1.3/" \
TTADS_TIKTOK_APP_ID=ttads-local-app TTADS_TIKTOK_APP_SECRET=local-sim-secret \
TTADS_TIKTOK_TIER=ultimate TTADS_TOKEN_ENCRYPTION_KEY="$KEY" \
TTADS_AUDIENCE_WORKERS=1 TTADS_AUDIENCE_TEMP_DIR="$WORK" TTADS_LOG_LEVEL=warn \
  "$AUD" >"$WORK/audience.log" 2>&1 &
AUD_PID=$!
PIDS+=($AUD_PID)
for _ in $(seq 100); do
  (exec 3<>/dev/tcp/127.0.0.1/$AUD_PORT) 2>/dev/null && break
  sleep 0.1
done

echo "syncing $N identifiers (redis :$REDIS_PORT, sim :$SIM_PORT, audience :$AUD_PORT)"
set +e
"$DRV" --redis="127.0.0.1:$REDIS_PORT" --encryption_key="$KEY" \
  --audience="127.0.0.1:$AUD_PORT" --token="$TOKEN" --advertiser="$ADV" --n="$N" | tee "$WORK/result.txt"
rc=${PIPESTATUS[0]}
set -e
HWM=$(awk '/VmHWM/ {print $2}' /proc/$AUD_PID/status)
RSS=$(awk '/VmRSS/ {print $2}' /proc/$AUD_PID/status)
DIGESTS=$(curl -s "http://127.0.0.1:$SIM_PORT/_sim/stats" |
  python3 -c 'import json,sys;d=json.load(sys.stdin);print(d.get("digests_uploaded", "?"))')
echo "sim_digests_uploaded=$DIGESTS"
echo "service_peak_rss_mb=$((HWM / 1024)) (VmHWM; target <= 256)"
echo "service_rss_now_mb=$((RSS / 1024))"
if [[ $rc -ne 0 ]]; then tail -20 "$WORK/audience.log" >&2; fi
exit $rc
