#!/usr/bin/env bash
# Shows which processes of `make up` are running.
cd "$(dirname "$0")/.."
RUN_DIR="${TTADS_RUN_DIR:-$PWD/run}"
shopt -s nullglob
for f in "$RUN_DIR"/pids/*.pid; do
  name="$(basename "$f" .pid)"; pid="$(cat "$f")"
  if kill -0 "$pid" 2>/dev/null; then echo "$name: running (pid $pid)"; else echo "$name: dead"; fi
done
