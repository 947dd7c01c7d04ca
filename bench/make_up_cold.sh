#!/usr/bin/env bash
# What `make up` costs from a clean clone against what it cost when it built
# everything (`make test`'s build, the old `make up`), without ccache:
#   bench/make_up_cold.sh [WORK_DIR]
# Clones HEAD into WORK_DIR (default /tmp/ttads-cold), configures one build
# directory with tests and benchmarks on, then times `ninja product` (what
# `make up` builds now) and `ninja` for the rest (what the old `make up` built
# on top). Reports CPU seconds (user + sys) of each phase, which hardly move
# when other work shares the machine, and wall seconds. The Debian packages
# each scope installs are counted from an empty package state (apt-get -s),
# so both figures include the base system alike.
# Knobs: JOBS (2).
set -euo pipefail
src="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:-/tmp/ttads-cold}"
jobs="${JOBS:-2}"
rm -rf "$work"
git clone -q "$src" "$work"
cd "$work"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DTTADS_BUILD_TESTS=ON -DTTADS_BUILD_BENCH=ON >/dev/null
export CCACHE_DISABLE=1
phase() {  # name target... -> "name: N steps, wall W s, cpu C s"
  local name="$1"; shift
  local steps; steps="$(ninja -C build -n "$@" | grep -c '^\[')" || true
  /usr/bin/time -f "%e %U %S" -o "$work/$name.time" ninja -C build -j"$jobs" "$@" >"$work/$name.log"
  read -r wall user sys <"$work/$name.time"
  awk -v n="$name" -v s="$steps" -v w="$wall" -v u="$user" -v y="$sys" \
    'BEGIN { printf "%s: %d steps, wall %.0f s, cpu %.0f s (user %.0f + sys %.0f)\n", n, s, w, u + y, u, y }'
}
phase product product
phase rest

status="$(mktemp)"
eval "$(sed -n '/^PRODUCT_PACKAGES=(/,/^)/p;/^TEST_PACKAGES=(/,/^)/p;/^TEST_PACKAGES+=(/,/)$/p' scripts/install-deps.sh)"
closure() {  # packages... -> "N packages, download D MB"
  apt-get -s -o Dir::State::status="$status" install --no-install-recommends "$@" 2>/dev/null |
    awk '/^Inst/ {print $2}' | sort -u | tee "$work/apt.txt" | wc -l | tr -d '\n'
  xargs apt-cache show --no-all-versions <"$work/apt.txt" 2>/dev/null |
    awk '/^Size:/ {d += $2} END {printf " packages, download %.0f MB\n", d / 1e6}'
}
echo "make up packages: $(closure "${PRODUCT_PACKAGES[@]}")"
echo "make test packages: $(closure "${PRODUCT_PACKAGES[@]}" "${TEST_PACKAGES[@]}" nodejs npm)"
rm -f "$status"
