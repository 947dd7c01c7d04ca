# shellcheck shell=bash
# Sourced by the gateway benchmarks (gateway_vs_grpc.sh, gateway_ab.sh,
# hop_ab.sh): the suite up on free ports in a private run directory, torn
# down on exit, and the null proxy.
#
#   suite_up BUILD_DIR      brings the suite up (scripts/up.sh) with an
#                           enterprise demo team (no monthly cap; calls still
#                           counted); sets RUN_DIR and KEY
#   track_pid PID           killed on exit before the suite goes down
#   start_null_proxy NAME BUILD_DIR [FLAGS...]
#                           ttads-null-proxy in front of preflight's cached
#                           publish check; sets NULL_PID and NULL_URL
# The caller must be at the repository root and may export TTADS_* settings
# for up.sh first.

BENCH_ADVERTISER=7101000000000000001
BENCH_OBJECTIVE="${OBJECTIVE:-WEB_CONVERSIONS}"
BENCH_EXTRA_PIDS=()

bench_cleanup() {
  local p
  for p in "${BENCH_EXTRA_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  bash scripts/down.sh >/dev/null 2>&1
  [ -n "${RUN_DIR:-}" ] && rm -rf "$RUN_DIR"
}

track_pid() { BENCH_EXTRA_PIDS+=("$1"); }

suite_up() {
  RUN_DIR="$(mktemp -d /tmp/ttads-bench.XXXXXX)"
  export TTADS_RUN_DIR="$RUN_DIR" TTADS_DEMO_TIER=enterprise
  trap bench_cleanup EXIT
  # shellcheck source=scripts/free_ports.sh
  source scripts/free_ports.sh
  bash scripts/up.sh "$1" >"$RUN_DIR/up.out" 2>&1 || { cat "$RUN_DIR/up.out"; exit 1; }
  # shellcheck disable=SC1091
  source "$RUN_DIR/demo-keys.env"
  KEY="$TTADS_DEMO_OWNER_KEY"
}

start_null_proxy() {
  local name="$1" build_dir="$2"
  shift 2
  "$build_dir/bench/null_proxy/ttads-null-proxy" "$@" \
    --target="127.0.0.1:$TTADS_PREFLIGHT_PORT" \
    --method=ttads.preflight.v1.PreflightService/PublishCheck \
    --data="{\"advertiserId\":\"$BENCH_ADVERTISER\",\"objective\":\"$BENCH_OBJECTIVE\"}" \
    >"$RUN_DIR/$name.out" 2>&1 &
  NULL_PID=$!
  track_pid "$NULL_PID"
  for _ in $(seq 50); do grep -q listening "$RUN_DIR/$name.out" && break; sleep 0.1; done
  NULL_URL="http://$(awk '/listening on/ {print $3}' "$RUN_DIR/$name.out")/"
  curl -fsS -o /dev/null -H "Authorization: Bearer $KEY" "$NULL_URL" \
    || { echo "the null proxy ($name) does not answer:"; cat "$RUN_DIR/$name.out"; exit 1; }
}
