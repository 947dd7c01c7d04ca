#!/usr/bin/env bash
# Compares the audience normalise+hash pipeline (one core) with
# `openssl speed -evp sha256` on 64-byte inputs, in the same run, and prints
# the ratio (target >= 0.5). Usage: bench/audience/hash_vs_openssl.sh [build dir]
set -euo pipefail
BUILD="${1:-${BUILD_DIR:-build}}"
BIN="$BUILD/bench/audience/normalize_hash_bench"
[[ -x "$BIN" ]] || { echo "missing $BIN (ninja -C $BUILD normalize_hash_bench)" >&2; exit 1; }

# openssl: hashes/s of 64-byte blocks on one core (3 s run).
ossl=$(openssl speed -seconds 3 -evp sha256 -bytes 64 2>/dev/null |
  awk '/^sha256|^SHA256/ {v=$2; sub(/k$/,"",v); print v*1000/64}' | tail -1)
json=$(taskset -c 0 "$BIN" --benchmark_format=json --benchmark_min_time=2 2>/dev/null ||
       "$BIN" --benchmark_format=json --benchmark_min_time=2)
rate() { echo "$json" | python3 -c "import json,sys
for b in json.load(sys.stdin)['benchmarks']:
    if b['name']=='$1': print(b['items_per_second'])"; }
sha=$(rate BM_Sha256Hex64)
email=$(rate BM_EmailNormalizeHashHex)
maid=$(rate BM_MaidNormalizeHash)
phone=$(rate BM_PhoneNormalizeHash)
python3 - "$ossl" "$sha" "$email" "$maid" "$phone" <<'PY'
import sys
o, sha, email, maid, phone = map(float, sys.argv[1:])
print(f"openssl speed -evp sha256 (64 B): {o/1e6:8.2f} M hashes/s")
print(f"Sha256Hex 64 B                  : {sha/1e6:8.2f} M/s  ratio {sha/o:.2f}")
print(f"email normalise+hash+hex        : {email/1e6:8.2f} M/s  ratio {email/o:.2f}")
print(f"MAID normalise+hash             : {maid/1e6:8.2f} M/s  ratio {maid/o:.2f}")
print(f"phone (libphonenumber)+hash     : {phone/1e6:8.2f} M/s  ratio {phone/o:.2f}")
print("target: email ratio >= 0.50 ->", "PASS" if email/o >= 0.5 else "FAIL")
PY
