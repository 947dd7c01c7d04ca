#!/usr/bin/env bash
# Brings the whole suite up on localhost: a private Redis (AOF on), the TikTok
# simulator with demo data, every service and the gateway; creates a demo
# team; prints how to call it. Returns once every process answers its health
# check. `make down` (scripts/down.sh) stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR="${1:-build}"
RUN_DIR="${TTADS_RUN_DIR:-$PWD/run}"
# run/ holds secrets (the token-encryption key, the app secret, API keys,
# Redis data): everything made here is for this user only (0600/0700),
# including files left by an earlier run with looser modes.
umask 077
mkdir -p "$RUN_DIR/pids" "$RUN_DIR/logs" "$RUN_DIR/redis"
chmod -R go-rwx "$RUN_DIR"

REDIS_PORT="${TTADS_REDIS_PORT:-6390}"
SIM_PORT="${TTADS_SIM_PORT:-9090}"
IDENTITY_PORT="${TTADS_IDENTITY_PORT:-50051}"
PREFLIGHT_PORT="${TTADS_PREFLIGHT_PORT:-50052}"
ADS_PORT="${TTADS_ADS_PORT:-50053}"
AUDIENCE_PORT="${TTADS_AUDIENCE_PORT:-50054}"
CONTENT_PORT="${TTADS_CONTENT_PORT:-50055}"
GATEWAY_PORT="${TTADS_GATEWAY_PORT:-8080}"

if [ -n "$(ls -A "$RUN_DIR/pids" 2>/dev/null)" ]; then
  echo "up: processes from an earlier 'make up' are still recorded; stopping them first"
  bash scripts/down.sh
fi

bin() { echo "$BUILD_DIR/$1"; }
start() {  # start NAME CMD... (with run/ttads.env in its environment)
  local name="$1"; shift
  ( set -a; . "$ENV_FILE"; set +a; exec "$@" ) >"$RUN_DIR/logs/$name.log" 2>&1 &
  echo $! >"$RUN_DIR/pids/$name.pid"
}
fail() {  # fail MESSAGE [LOG_NAME]: says why, shows the end of that process's log, stops everything
  echo "up: $1" >&2
  if [ -n "${2:-}" ] && [ -f "$RUN_DIR/logs/$2.log" ]; then
    echo "up: last lines of $RUN_DIR/logs/$2.log:" >&2
    tail -n 20 "$RUN_DIR/logs/$2.log" | sed 's/^/  | /' >&2
  fi
  echo "up: logs are in $RUN_DIR/logs" >&2
  bash scripts/down.sh >/dev/null 2>&1 || true
  exit 1
}
# wait_for SECONDS CMD...: polls CMD every 0.1 s until it succeeds (generous
# limits: a loaded CI machine runs this next to parallel test binaries).
wait_for() {
  local deadline=$((SECONDS + $1)); shift
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.1
  done
}

# Secrets for the local run only: made once per checkout, kept in run/.
ENV_FILE="$RUN_DIR/ttads.env"
if [ ! -f "$RUN_DIR/secrets.env" ]; then
  {
    echo "TTADS_TOKEN_ENCRYPTION_KEY=$(head -c 32 /dev/urandom | base64 -w0)"
    echo "TTADS_TIKTOK_APP_SECRET=local-sim-secret"
  } >"$RUN_DIR/secrets.env"
  chmod 600 "$RUN_DIR/secrets.env"
fi
{
  cat "$RUN_DIR/secrets.env"
  echo "TTADS_REDIS_ADDRESS=127.0.0.1:$REDIS_PORT"
  echo "TTADS_TIKTOK_BASE_URL=http://127.0.0.1:$SIM_PORT/open_api/v1.3/"
  echo "TTADS_TIKTOK_APP_ID=ttads-local-app"
  echo "TTADS_IDENTITY_ADDRESS=127.0.0.1:$IDENTITY_PORT"
  echo "TTADS_PREFLIGHT_ADDRESS=127.0.0.1:$PREFLIGHT_PORT"
  echo "TTADS_ADS_ADDRESS=127.0.0.1:$ADS_PORT"
  echo "TTADS_AUDIENCE_ADDRESS=127.0.0.1:$AUDIENCE_PORT"
  echo "TTADS_CONTENT_ADDRESS=127.0.0.1:$CONTENT_PORT"
  echo "TTADS_TIKTOK_OPEN_BASE_URL=http://127.0.0.1:$SIM_PORT/"
  echo "TTADS_TIKTOK_AUTHORIZE_URL=http://127.0.0.1:$SIM_PORT/v2/auth/authorize/"
  echo "TTADS_TIKTOK_OEMBED_URL=http://127.0.0.1:$SIM_PORT/oembed"
  echo "TTADS_FETCH_ALLOW_PRIVATE=true"  # the oEmbed fetch reaches the simulator
  echo "TTADS_DRAIN_SECONDS=1"
  echo "TTADS_OAUTH_CONSENT_URL=http://127.0.0.1:$SIM_PORT/portal/auth"
} >"$ENV_FILE"
chmod 600 "$ENV_FILE"

echo "up: redis on $REDIS_PORT"
start redis redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --appendonly yes \
  --dir "$RUN_DIR/redis" --save "" --daemonize no
wait_for 20 redis-cli -p "$REDIS_PORT" ping || fail "redis did not start" redis

echo "up: ttads-tiktok-sim on $SIM_PORT"
start sim "$(bin tools/tiktok_sim/ttads-tiktok-sim)" --port "$SIM_PORT" --seed demo
wait_for 20 curl -fsS "http://127.0.0.1:$SIM_PORT/_sim/stats" || fail "simulator did not start" sim

declare -A PORTS=([identity]=$IDENTITY_PORT [preflight]=$PREFLIGHT_PORT [ads]=$ADS_PORT [audience]=$AUDIENCE_PORT [content]=$CONTENT_PORT)
declare -A ADMIN=([identity]=${TTADS_IDENTITY_ADMIN_PORT:-9101} [preflight]=${TTADS_PREFLIGHT_ADMIN_PORT:-9102}
                  [ads]=${TTADS_ADS_ADMIN_PORT:-9103} [audience]=${TTADS_AUDIENCE_ADMIN_PORT:-9104}
                  [content]=${TTADS_CONTENT_ADMIN_PORT:-9105})
SERVICES=()
for s in identity preflight ads audience content; do
  exe="$(bin services/$s/ttads-$s)"
  [ -x "$exe" ] || continue
  SERVICES+=("$s")
  echo "up: ttads-$s on ${PORTS[$s]}"
  TTADS_LISTEN_ADDRESS="127.0.0.1:${PORTS[$s]}" TTADS_ADMIN_ADDRESS="127.0.0.1:${ADMIN[$s]}" \
    start "$s" "$exe"
done
for s in "${SERVICES[@]}"; do
  "$(bin tools/health/ttads-health)" --address="127.0.0.1:${PORTS[$s]}" --wait=20s >/dev/null \
    || fail "ttads-$s did not become healthy" "$s"
done

GATEWAY_EXE="${TTADS_GATEWAY_EXE:-$(bin services/gateway/ttads-gateway)}"  # override: A/B benchmarks
if [ -x "$GATEWAY_EXE" ]; then
  echo "up: ttads-gateway on $GATEWAY_PORT"
  TTADS_HTTP_ADDRESS="127.0.0.1:$GATEWAY_PORT" start gateway "$GATEWAY_EXE"
  wait_for 20 curl -fsS "http://127.0.0.1:$GATEWAY_PORT/healthz" || fail "gateway did not start" gateway
fi

echo "up: creating the demo team"
# `ttadsctl demo` prints the owner key on stdout: it is not kept (the keys
# live only in run/demo-keys.env, 0600); the log gets stderr only.
"$(bin tools/ttadsctl/ttadsctl)" --redis="127.0.0.1:$REDIS_PORT" demo --out-dir="$RUN_DIR" \
  --tier="${TTADS_DEMO_TIER:-standard}" >/dev/null 2>"$RUN_DIR/logs/demo.log" || fail "demo setup failed" demo
chmod 600 "$RUN_DIR/demo-keys.env"
# shellcheck disable=SC1091
source "$RUN_DIR/demo-keys.env"

# Connect the demo owner to the simulator through the real OAuth flow, as a
# person would: start (gateway), consent (simulator portal), complete.
if [ -x "$GATEWAY_EXE" ]; then
  GW="http://127.0.0.1:$GATEWAY_PORT"
  started="$(curl -fsS -X POST -H "Authorization: Bearer $TTADS_DEMO_OWNER_KEY" \
    -H 'Content-Type: application/json' "$GW/v1/tiktok/connections:start" \
    -d "{\"redirectUri\": \"http://127.0.0.1:$GATEWAY_PORT/oauth/callback\"}")" \
    || fail "could not start the demo TikTok connection"
  consent_url="$(printf '%s' "$started" | sed -n 's/.*"consentUrl": *"\([^"]*\)".*/\1/p')"
  redirect="$(curl -sS -o /dev/null -w '%{redirect_url}' \
    "$consent_url&advertiser_ids=7101000000000000001,7101000000000000002,7101000000000000003")" \
    || fail "the simulator's consent page did not answer"
  code="$(printf '%s' "$redirect" | sed -n 's/.*[?&]auth_code=\([^&]*\).*/\1/p')"
  state="$(printf '%s' "$redirect" | sed -n 's/.*[?&]state=\([^&]*\).*/\1/p')"
  curl -fsS -X POST -H "Authorization: Bearer $TTADS_DEMO_OWNER_KEY" \
    -H 'Content-Type: application/json' "$GW/v1/tiktok/connections:complete" \
    -d "{\"state\": \"$state\", \"authCode\": \"$code\"}" >"$RUN_DIR/logs/demo-connection.json" \
    || fail "could not complete the demo TikTok connection"
  echo "up: demo owner connected to TikTok (simulator advertisers 7101000000000000001-3)"
fi

cat <<TXT

ttads is up. Demo team $TTADS_DEMO_TEAM_ID; keys are in $RUN_DIR/demo-keys.env (0600)
  source $RUN_DIR/demo-keys.env && export KEY=\$TTADS_DEMO_OWNER_KEY

gRPC (grpcurl, via server reflection):
  grpcurl -plaintext localhost:$IDENTITY_PORT list
  grpcurl -plaintext localhost:$IDENTITY_PORT grpc.health.v1.Health/Check
  grpcurl -plaintext -H "authorization: Bearer \$KEY" localhost:$IDENTITY_PORT ttads.identity.v1.IdentityService/ListConnections
  grpcurl -plaintext -H "authorization: Bearer \$KEY" -d '{"advertiserId":"7101000000000000001"}' localhost:$IDENTITY_PORT ttads.identity.v1.IdentityService/CheckIdentity
  grpcurl -plaintext -H "authorization: Bearer \$KEY" -d '{"objective":"TRAFFIC"}' localhost:$PREFLIGHT_PORT ttads.preflight.v1.PreflightService/PublishCheck
TXT
if [ -x "$GATEWAY_EXE" ]; then
cat <<TXT

REST (curl, through the gateway):
  curl -s -H "Authorization: Bearer \$KEY" 'http://localhost:$GATEWAY_PORT/api/v1/tiktok/identities/check?advertiser_id=7101000000000000001'
  curl -s -H "Authorization: Bearer \$KEY" 'http://localhost:$GATEWAY_PORT/api/v1/tiktok/publish-check?objective=TRAFFIC'
TXT
fi
cat <<TXT

Simulator: curl -s http://localhost:$SIM_PORT/_sim/stats
Logs: $RUN_DIR/logs/   Stop everything: make down
TXT
