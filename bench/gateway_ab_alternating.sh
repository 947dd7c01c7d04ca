#!/usr/bin/env bash
# An old and a new gateway binary compared with bench/gateway_ab.sh, in both
# positions by turns, so neither is favoured by where it runs:
#   bench/gateway_ab_alternating.sh OLD NEW [PASSES] [ROUNDS]   (2 passes of 3)
# Pass 1 runs gateway_ab.sh OLD NEW, pass 2 NEW OLD, and so on; the knobs of
# gateway_ab.sh (BUILD_DIR, DURATION, WINDOW, CONNECTIONS) pass through.
# Prints gateway_ab.sh's lines, every round as new/old (requests/s and CPU
# microseconds per request), the load average before each pass and after
# the last, and the medians over all rounds. A CPU ratio below 1: the new
# one does the same work with less CPU.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { sed -n 2,10p "$0"; exit 2; }
OLD="$(realpath "$1")"; NEW="$(realpath "$2")"
PASSES="${3:-2}"; ROUNDS="${4:-3}"
RATIOS="$(mktemp)"
trap 'rm -f "$RATIOS"' EXIT
for pass in $(seq "$PASSES"); do
  if [ $((pass % 2)) -eq 1 ]; then a="$OLD"; b="$NEW"; new_is=B; else a="$NEW"; b="$OLD"; new_is=A; fi
  echo "pass $pass: A=$(basename "$a") B=$(basename "$b"); load average $(cut -d' ' -f1-3 /proc/loadavg)"
  bash bench/gateway_ab.sh "$a" "$b" "$ROUNDS" |
    awk -v new_is="$new_is" -v pass="$pass" -v out="$RATIOS" '{print "  " $0} /^round/ {
      ra = $4; ua = $6; rb = $10; ub = $12
      if (new_is == "B") { rps = rb / ra; cpu = ub / ua } else { rps = ra / rb; cpu = ua / ub }
      printf "pass %d %s new/old requests/s %.3f, CPU per request %.3f\n", pass, $1 " " $2, rps, cpu
      print rps, cpu >> out
    }'
done
echo "after: load average $(cut -d' ' -f1-3 /proc/loadavg)"
median() { sort -g | awk '{v[NR] = $1} END {printf "%.3f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
range() { sort -g | awk 'NR == 1 {lo = $1} {hi = $1} END {printf "%.3f-%.3f", lo, hi}'; }
echo "$(wc -l <"$RATIOS") rounds, new/old:" \
  "requests/s median $(cut -d' ' -f1 "$RATIOS" | median) (range $(cut -d' ' -f1 "$RATIOS" | range))," \
  "CPU per request median $(cut -d' ' -f2 "$RATIOS" | median) (range $(cut -d' ' -f2 "$RATIOS" | range))"
