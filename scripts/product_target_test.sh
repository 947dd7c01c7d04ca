#!/usr/bin/env bash
# What `make up` builds: `ninja product` in BUILD_DIR must build every binary
# scripts/up.sh runs and nothing test- or benchmark-only (no *_test.cc, no
# bench/, no GoogleTest, no test support libraries).
#   product_target_test.sh BUILD_DIR
set -uo pipefail
BUILD_DIR="${1:?build dir}"
commands="$(ninja -C "$BUILD_DIR" -t commands product)" || exit 1
fail=0
for bin in ttads-identity ttads-preflight ttads-ads ttads-audience ttads-content ttads-gateway \
           ttads-tiktok-sim ttads-health ttadsctl; do
  grep -qE -- "-o [^ ]*/$bin( |$)" <<<"$commands" || { echo "FAIL: product does not link $bin"; fail=1; }
done
# up.sh starts exactly the binaries above (bin ... / services/$s/ttads-$s).
for used in $(grep -oE 'tools/[a-z_]+/ttads[a-z-]*|services/\$s/ttads-\$s' "$(dirname "$0")/up.sh" | sort -u); do
  case "$used" in
    'services/$s/ttads-$s') ;;
    *) grep -qF -- "$used" <<<"$commands" || { echo "FAIL: up.sh runs $used, product does not build it"; fail=1; } ;;
  esac
done
unwanted="$(grep -E -- '_test\.cc|/bench/|gtest|gmock|libttads_\w*testing|test_support|test_client|test_images|stalling_server' <<<"$commands" | grep -oE -- '-o [^ ]+' | sort -u)"
if [ -n "$unwanted" ]; then
  echo "FAIL: product builds test or benchmark code:"; echo "$unwanted"; fail=1
fi
echo "product: $(wc -l <<<"$commands") build commands, $(grep -c -- ' -c ' <<<"$commands") compilations"
[ "$fail" = 0 ] && echo PASS
exit "$fail"
