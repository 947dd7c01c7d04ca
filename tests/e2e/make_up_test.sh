#!/usr/bin/env bash
# Black-box test of the local run: brings the suite up exactly as `make up`
# does (scripts/up.sh) on free ports in a private run directory, calls it the
# way the printed lines do (gRPC health, REST through the gateway, the exact
# 401 body), brings it down, and checks a second up after down works.
#   make_up_test.sh <build dir>
set -uo pipefail
BUILD_DIR="$(cd "${1:?build dir}" && pwd)"
cd "$(dirname "$0")/../.."
RUN_DIR="$(mktemp -d /tmp/ttads-e2e.XXXXXX)"
export TTADS_RUN_DIR="$RUN_DIR"
passed=0; failed=0
check() {  # check NAME COMMAND...
  if "${@:2}"; then passed=$((passed + 1)); echo "PASS $1"; else failed=$((failed + 1)); echo "FAIL $1"; fi
}
cleanup() { bash scripts/down.sh >/dev/null 2>&1; rm -rf "$RUN_DIR"; }
trap cleanup EXIT

# shellcheck source=scripts/free_ports.sh
source scripts/free_ports.sh

up() { bash scripts/up.sh "$BUILD_DIR" >"$RUN_DIR/up.out" 2>&1 || { cat "$RUN_DIR/up.out"; return 1; }; }
check "make up returns once everything is healthy" up
# shellcheck disable=SC1091
source "$RUN_DIR/demo-keys.env"
KEY="$TTADS_DEMO_OWNER_KEY"
GW="http://127.0.0.1:$TTADS_GATEWAY_PORT"

for port in $TTADS_IDENTITY_PORT $TTADS_PREFLIGHT_PORT $TTADS_AUDIENCE_PORT; do
  check "health SERVING on $port" "$BUILD_DIR/tools/health/ttads-health" --address="127.0.0.1:$port"
done
check "printed lines name the demo key file" grep -q "demo-keys.env" "$RUN_DIR/up.out"

# Secrets stay in 0600 files and out of every log and of the printed lines.
mode_is_600() { test "$(stat -c %a "$1")" = 600; }
for f in ttads.env secrets.env demo-keys.env; do
  check "$f is 0600" mode_is_600 "$RUN_DIR/$f"
done
check "logs are 0600" bash -c "! find '$RUN_DIR/logs' -type f -perm /077 | grep -q ."
# shellcheck disable=SC1091
ENC_KEY="$(. "$RUN_DIR/secrets.env"; echo "$TTADS_TOKEN_ENCRYPTION_KEY")"
for secret in "$TTADS_DEMO_OWNER_KEY" "$TTADS_DEMO_MANAGER_KEY" "$TTADS_DEMO_MEDIABUYER_KEY" "$ENC_KEY"; do
  check "no secret ${secret:0:6}... in logs or printed lines" \
    bash -c '! grep -rqF -- "$1" "$2/logs" "$2/up.out"' _ "$secret" "$RUN_DIR"
done

body="$(curl -s -H "Authorization: Bearer $KEY" "$GW/api/v1/tiktok/identities/check?advertiser_id=7101000000000000001")"
check "identity check through the gateway finds the TT_USER" \
  grep -q '"hasIdentity":true' <<<"$body"
body="$(curl -s -H "Authorization: Bearer $KEY" "$GW/api/v1/tiktok/identities/check?advertiser_id=7101000000000000002")"
check "advertiser without TT_USER reports no_tt_user" grep -q '"reason":"no_tt_user"' <<<"$body"
body="$(curl -s -H "Authorization: Bearer $KEY" "$GW/api/v1/tiktok/publish-check?advertiser_id=7101000000000000001&objective=WEB_CONVERSIONS")"
check "publish check through the gateway is ready" grep -q '"ready":true' <<<"$body"
body="$(curl -s "$GW/api/v1/tiktok/identities")"
check "missing key answers the exact 401 body" test "$body" = '{"error": "Unauthorized"}'
check "openapi lists the seeds' routes" \
  bash -c "curl -s '$GW/openapi.json' | grep -q '/api/v1/tiktok/publish-check'"

check "make down stops everything" bash scripts/down.sh
check "nothing answers after down" bash -c "! (echo >/dev/tcp/127.0.0.1/$TTADS_GATEWAY_PORT) 2>/dev/null"
FIRST_TEAM="$TTADS_DEMO_TEAM_ID"
check "a second make up after down works" up
# shellcheck disable=SC1091
source "$RUN_DIR/demo-keys.env"
body="$(curl -s -H "Authorization: Bearer $TTADS_DEMO_OWNER_KEY" "$GW/api/v1/tiktok/identities/check?advertiser_id=7101000000000000001")"
check "the new demo team works after the restart" grep -q '"hasIdentity":true' <<<"$body"
check "the first team survived the restart (Redis AOF)" \
  "$BUILD_DIR/tools/ttadsctl/ttadsctl" --redis="127.0.0.1:$TTADS_REDIS_PORT" team show --team "$FIRST_TEAM"

echo "e2e: $passed passed, $failed failed"
[ "$failed" = 0 ]
