#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (-fsanitize=fuzzer,address,undefined)
# in their own build dir and runs each one for a bounded time, starting from
# the committed seed corpus (fuzz/corpus/<target>/; new inputs go to a temp
# dir, never into the repository). Ends with "fuzz: N passed, N failed".
#
#   fuzz/run_short.sh                         # 20 s per target
#   FUZZ_SECONDS=600 fuzz/run_short.sh        # a long run (10 min per target)
#   fuzz/run_short.sh envelope image_info     # only some targets
#
# Env: FUZZ_SECONDS (20), FUZZ_BUILD_DIR (<repo>/build-fuzz), FUZZ_JOBS (2),
#      FUZZ_ARTIFACTS (a temp dir; crashing inputs are kept there).
set -u
repo="$(cd "$(dirname "$0")/.." && pwd)"
build="${FUZZ_BUILD_DIR:-$repo/build-fuzz}"
seconds="${FUZZ_SECONDS:-20}"
jobs="${FUZZ_JOBS:-2}"
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(envelope identifiers path_template transcoder address_guard image_info gateway)
fi

cxx="$(command -v clang++ || command -v clang++-14 || true)"
cc="$(command -v clang || command -v clang-14 || true)"
if [ -z "$cxx" ] || [ -z "$cc" ]; then
  echo "fuzz: clang not found (apt-get install clang-14 libclang-rt-14-dev)" >&2
  echo "fuzz: 0 passed, ${#targets[@]} failed"
  exit 1
fi

start=$(date +%s)
if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_COMPILER="$cc" -DCMAKE_CXX_COMPILER="$cxx" \
    -DTTADS_BUILD_TESTS=OFF -DTTADS_BUILD_FUZZERS=ON >"$build.configure.log" 2>&1 ||
    { cat "$build.configure.log" >&2; echo "fuzz: 0 passed, ${#targets[@]} failed"; exit 1; }
fi
bins=()
for t in "${targets[@]}"; do bins+=("${t}_fuzzer"); done
if ! ninja -C "$build" -j"$jobs" "${bins[@]}"; then
  echo "fuzz: 0 passed, ${#targets[@]} failed"
  exit 1
fi
echo "fuzz: build took $(( $(date +%s) - start )) s"

work="$(mktemp -d)"
artifacts="${FUZZ_ARTIFACTS:-$work/artifacts}"
mkdir -p "$artifacts"
passed=0
failed=0
for t in "${targets[@]}"; do
  mkdir -p "$work/$t"
  log="$work/$t.log"
  # -rss_limit_mb bounds memory for "huge input" cases; -max_len lets the
  # JSON and image targets see inputs well past typical sizes.
  if "$build/fuzz/${t}_fuzzer" "$work/$t" "$repo/fuzz/corpus/$t" \
       -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
       -max_len=65536 -print_final_stats=1 \
       -artifact_prefix="$artifacts/${t}-" >"$log" 2>&1; then
    runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$')
    cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1)
    echo "fuzz: $t ok (${runs:-?} runs, ${cov:-cov ?}, corpus $(ls "$work/$t" | wc -l))"
    passed=$((passed + 1))
  else
    echo "fuzz: $t FAILED — log $log, artifacts $artifacts" >&2
    grep -E 'ERROR|SUMMARY|==[0-9]+==' "$log" | head -20 >&2
    failed=$((failed + 1))
  fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
