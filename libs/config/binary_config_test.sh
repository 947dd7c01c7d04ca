#!/usr/bin/env bash
# Checks a ttads binary's configuration handling from the outside.
#   binary_config_test.sh help BINARY NAME...
#     `BINARY --help` exits 0 and prints every NAME (keys, flags), and every
#     key line carries its default or says "no default" and is followed by
#     a line saying what the key means.
#   binary_config_test.sh service BINARY MISSPELT RIGHT
#     with MISSPELT (a misspelling of the key RIGHT) in the environment the
#     binary logs a warning naming both before it starts; with MISSPELT in
#     an env-file (--config) it exits 2 naming both.
#   binary_config_test.sh invalid BINARY EXPECTED KEY=VALUE...
#     keys valid one by one but not together stop the binary with exit 2
#     and EXPECTED in its output.
set -uo pipefail
mode="${1:?mode}"; bin="${2:?binary}"; shift 2
fail() { echo "FAIL: $*"; exit 1; }
tmp="$(mktemp -d /tmp/ttads-config-test.XXXXXX)"
trap 'rm -rf "$tmp"' EXIT

case "$mode" in
  help)
    "$bin" --help >"$tmp/out" 2>"$tmp/err"; rc=$?
    [ "$rc" = 0 ] || fail "--help exited $rc: $(cat "$tmp/err")"
    for name in "$@"; do
      grep -qF -- "$name" "$tmp/out" || fail "--help does not mention $name"
    done
    # Every key line: "  TTADS_X (type, default ... | no default ...)".
    bad="$(grep -E '^  TTADS_' "$tmp/out" | grep -vE '\((.*, )?(default |no default)' || true)"
    [ -z "$bad" ] || fail "key lines without a default: $bad"
    # ... and is followed by its meaning, indented further.
    bad="$(awk '/^  TTADS_/ { if (key != "") print key; key = $1; next }
                /^      [^ ]/ { key = ""; next }
                { if (key != "") print key; key = "" }
                END { if (key != "") print key }' "$tmp/out")"
    [ -z "$bad" ] || fail "keys without a meaning: $bad"
    echo "PASS: $(basename "$bin") --help ($(grep -cE '^  TTADS_' "$tmp/out") keys)"
    ;;
  service)
    misspelt="${1:?misspelt key}"; right="${2:?right key}"
    key="$(head -c 32 /dev/urandom | base64 -w0)"
    # Redis on a port nothing listens on: the binary stops after loading its
    # configuration, which is all this checks.
    env -i PATH="$PATH" TTADS_TIKTOK_APP_SECRET=test-only \
      TTADS_TOKEN_ENCRYPTION_KEY="$key" TTADS_REDIS_ADDRESS=127.0.0.1:1 \
      TTADS_REDIS_TIMEOUT_MS=200 TTADS_LISTEN_ADDRESS=127.0.0.1:0 \
      TTADS_ADMIN_ADDRESS=127.0.0.1:0 "$misspelt=1" \
      timeout 60 "$bin" >"$tmp/out" 2>&1
    grep -q "\"warning\":\"$misspelt: set in the environment but no ttads binary reads it; did you mean $right?\"" "$tmp/out" \
      || fail "no warning for $misspelt in the environment: $(cat "$tmp/out")"
    printf '%s=1\n' "$misspelt" >"$tmp/ttads.env"
    env -i PATH="$PATH" timeout 60 "$bin" --config="$tmp/ttads.env" >"$tmp/out" 2>&1; rc=$?
    [ "$rc" = 2 ] || fail "an unknown key in the env-file exited $rc, not 2: $(cat "$tmp/out")"
    grep -qF "ttads.env:1: $misspelt: unknown key; did you mean $right?" "$tmp/out" \
      || fail "the env-file error does not name $misspelt and $right: $(cat "$tmp/out")"
    echo "PASS: $(basename "$bin") reports $misspelt (did you mean $right?)"
    ;;
  invalid)
    # binary_config_test.sh invalid BINARY EXPECTED KEY=VALUE...: with the
    # keys given (each valid alone) the binary exits 2 before it starts,
    # printing EXPECTED.
    expected="${1:?expected text}"; shift
    key="$(head -c 32 /dev/urandom | base64 -w0)"
    env -i PATH="$PATH" TTADS_TIKTOK_APP_SECRET=test-only \
      TTADS_TOKEN_ENCRYPTION_KEY="$key" TTADS_REDIS_ADDRESS=127.0.0.1:1 \
      TTADS_REDIS_TIMEOUT_MS=200 TTADS_LISTEN_ADDRESS=127.0.0.1:0 \
      TTADS_ADMIN_ADDRESS=127.0.0.1:0 "$@" \
      timeout 60 "$bin" >"$tmp/out" 2>&1; rc=$?
    [ "$rc" = 2 ] || fail "$* exited $rc, not 2: $(cat "$tmp/out")"
    grep -qF -- "$expected" "$tmp/out" \
      || fail "$* did not print \"$expected\": $(cat "$tmp/out")"
    echo "PASS: $(basename "$bin") refuses $* (exit 2)"
    ;;
  *) fail "unknown mode $mode" ;;
esac
