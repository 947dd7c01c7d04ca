#!/usr/bin/env bash
# Stops every process `make up` started (SIGTERM, then SIGKILL after 10 s).
set -uo pipefail
cd "$(dirname "$0")/.."
RUN_DIR="${TTADS_RUN_DIR:-$PWD/run}"
shopt -s nullglob
pids=()
for f in "$RUN_DIR"/pids/*.pid; do
  pid="$(cat "$f")"
  if kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid" 2>/dev/null && pids+=("$pid"); fi
  rm -f "$f"
done
for _ in $(seq 100); do
  alive=0
  for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
  [ $alive = 0 ] && break
  sleep 0.1
done
for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
echo "down: stopped ${#pids[@]} processes"
