#!/usr/bin/env bash
# The cached publish check over five paths against the same preflight
# server, taking turns in one run:
#   gateway       wrk -> ttads-gateway (REST) -> preflight
#   grpc-gateway  wrk -> ttads-grpc-gateway (grpc-gateway v1 generated from
#                 the suite's own proto, bench/grpc_gateway) -> preflight
#   null proxy    wrk -> ttads-null-proxy (bench/null_proxy: an HTTP -> gRPC
#                 hop on the gateway's libraries that does nothing else)
#   direct        h2load (nghttp2's C load generator, wrk's counterpart for
#                 HTTP/2) sending gRPC frames straight to preflight: the light
#                 client the ratios divide by
#   ttads-load    the suite's grpc++ callback client, direct (for context: a
#                 heavier client lowers the direct figure)
#   bench/gateway_vs_grpc.sh [BUILD_DIR]
# Knobs: CONCURRENCY (64), DURATION (10), ROUNDS (2), OBJECTIVE (WEB_CONVERSIONS),
# NULL_PROXY_FLAGS (extra flags of ttads-null-proxy), GRPC_GATEWAY (1: build
# and run it, installing Debian's Go packages if missing; 0: skip; auto: run
# only if the packages are there).
# Besides throughput, p50 and p99 it reports CPU microseconds per request
# spent in each process (the hop, preflight, redis, the load generator), from
# /proc/<pid>/stat and getrusage: unlike req/s this hardly moves when other
# work shares the machine, so it shows where the cost is. h2load does not
# read gRPC trailers, so its OK count is preflight's own counter of OK
# PublishCheck calls over the same window (and any other code is reported).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR="$(cd "${1:-build}" && pwd)"
CONCURRENCY="${CONCURRENCY:-64}"
DURATION="${DURATION:-10}"
ROUNDS="${ROUNDS:-2}"
GRPC_GATEWAY="${GRPC_GATEWAY:-1}"
for tool in wrk h2load protoc /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: scripts/install-deps.sh" >&2; exit 2; }
done
GG_BIN=""
if [ "$GRPC_GATEWAY" != 0 ]; then
  install=1; [ "$GRPC_GATEWAY" = auto ] && install=0
  if INSTALL="$install" bash bench/grpc_gateway/build.sh "$BUILD_DIR/bench/grpc_gateway" >/dev/null; then
    GG_BIN="$BUILD_DIR/bench/grpc_gateway/ttads-grpc-gateway"
  elif [ "$GRPC_GATEWAY" != auto ]; then
    echo "building ttads-grpc-gateway failed" >&2; exit 1
  fi
fi
# shellcheck source=bench/suite.sh
source bench/suite.sh
suite_up "$BUILD_DIR"
ADVERTISER="$BENCH_ADVERTISER"; OBJECTIVE="$BENCH_OBJECTIVE"
QUERY="advertiser_id=$ADVERTISER&objective=$OBJECTIVE"
URL="http://127.0.0.1:$TTADS_GATEWAY_PORT/api/v1/tiktok/publish-check?$QUERY"
curl -fsS -H "Authorization: Bearer $KEY" "$URL" >/dev/null  # warm the caches

pid_of() { cat "$RUN_DIR/pids/$1.pid"; }
PREFLIGHT_PID="$(pid_of preflight)"; REDIS_PID="$(pid_of redis)"
GRPC_DATA="{\"advertiserId\":\"$ADVERTISER\",\"objective\":\"$OBJECTIVE\"}"
GRPC_METHOD=ttads.preflight.v1.PreflightService/PublishCheck
# shellcheck disable=SC2086
start_null_proxy null-proxy "$BUILD_DIR" ${NULL_PROXY_FLAGS:-}
if [ -n "$GG_BIN" ]; then
  "$GG_BIN" --listen=127.0.0.1:0 --backend="127.0.0.1:$TTADS_PREFLIGHT_PORT" >"$RUN_DIR/grpc-gateway.out" 2>&1 &
  GG_PID=$!
  track_pid "$GG_PID"
  for _ in $(seq 50); do grep -q listening "$RUN_DIR/grpc-gateway.out" && break; sleep 0.1; done
  GG_URL="http://$(awk '/listening on/ {print $3}' "$RUN_DIR/grpc-gateway.out")/api/v1/tiktok/publish-check?$QUERY"
  curl -fsS -o /dev/null -H "Authorization: Bearer $KEY" "$GG_URL" \
    || { echo "ttads-grpc-gateway does not answer:"; cat "$RUN_DIR/grpc-gateway.out"; exit 1; }
fi

# One gRPC request for h2load: the 5-byte length prefix and the message.
H2_BODY="$RUN_DIR/publish_check.grpc"
encode() {
  printf 'advertiser_id: "%s" objective: %s' "$ADVERTISER" "$1" |
    protoc -I proto -I /usr/share/gocode/src/github.com/gogo/googleapis -I /usr/include \
      --encode=ttads.preflight.v1.PublishCheckRequest ttads/preflight/v1/preflight_service.proto
}
# The objective is a string today; an enum field takes the bare name.
encode "\"$OBJECTIVE\"" >"$RUN_DIR/msg.bin" 2>/dev/null || encode "$OBJECTIVE" >"$RUN_DIR/msg.bin"
python3 -c 'import sys, struct; m = open(sys.argv[1], "rb").read(); sys.stdout.buffer.write(b"\0" + struct.pack(">I", len(m)) + m)' \
  "$RUN_DIR/msg.bin" >"$H2_BODY"

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
HZ="$(getconf CLK_TCK)"
# Runs "$@" (a load generator) with HOP_PID as the HTTP hop (gateway, grpc-
# gateway or null proxy) and keeps the CPU ticks each process spent;
# cpu_per_request divides them by the caller's request count.
measure_cpu() {
  local g0 p0 r0 g1 p1 r1 out
  g0=$(cpu_ticks "$HOP_PID"); p0=$(cpu_ticks "$PREFLIGHT_PID"); r0=$(cpu_ticks "$REDIS_PID")
  out="$( { /usr/bin/time -f 'CLIENT_CPU %U %S' "$@"; } 2>&1 )"
  g1=$(cpu_ticks "$HOP_PID"); p1=$(cpu_ticks "$PREFLIGHT_PID"); r1=$(cpu_ticks "$REDIS_PID")
  MEASURED_OUT="$out"
  CPU_TICKS="$((g1 - g0)) $((p1 - p0)) $((r1 - r0))"
  CLIENT_SECONDS="$(awk '/^CLIENT_CPU/ {print $2 + $3}' <<<"$out")"
}
cpu_per_request() {  # requests -> "hop X, preflight Y, redis Z, load generator W (S% of the path)" (us)
  read -r g p r <<<"$CPU_TICKS"
  awk -v n="$1" -v g="$g" -v p="$p" -v r="$r" -v c="$CLIENT_SECONDS" -v hz="$HZ" 'BEGIN {
    if (n <= 0) n = 1
    hop = g * 1e6 / hz / n; pre = p * 1e6 / hz / n; red = r * 1e6 / hz / n; gen = c * 1e6 / n
    printf "hop %.0f, preflight %.0f, redis %.1f, load generator %.0f (%.0f%% of the path)", hop, pre, red, gen, 100 * gen / (hop + pre + red + gen + 1e-9) }'
}
to_ms() {  # wrk latency "1.23ms" / "850.00us" / "1.02s" -> ms
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /s$/ && v !~ /ms$/) n *= 1000; printf "%.2f", n }'
}
# preflight's count of PublishCheck calls by gRPC code: "OK n" lines.
preflight_codes() {
  curl -fsS "http://127.0.0.1:$TTADS_PREFLIGHT_ADMIN_PORT/metrics" | awk '
    (/^grpc_server_handled_total\{/ && /grpc_method="PublishCheck"/) ||
    (/^ttads_grpc_calls_total\{/ && /[{,]method="PublishCheck"/) {
      match($0, /[{,](grpc_)?code="[A-Za-z_]*"/); v = substr($0, RSTART, RLENGTH)
      sub(/.*code="/, "", v); sub(/"$/, "", v); c[v] += $NF }
    END { for (k in c) print k, c[k] }' | sort
}
code_delta() {  # before after -> "OK n" / "CODE n" lines of the difference
  join -a2 -e0 -o 0,1.2,2.2 <(echo "$1") <(echo "$2") | awk '$3 - $2 > 0 {print $1, $3 - $2}'
}

wrk_path() {  # url -> RPS P50 P99 BAD CPU for wrk through the hop HOP_PID
  measure_cpu wrk -t2 -c"$CONCURRENCY" -d"${DURATION}s" --latency -H "Authorization: Bearer $KEY" "$1"
  RPS="$(awk '/^Requests\/sec/ {print $2}' <<<"$MEASURED_OUT")"
  P50="$(to_ms "$(awk '$1 == "50%" {print $2}' <<<"$MEASURED_OUT")")"
  P99="$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$MEASURED_OUT")")"
  BAD="$(awk '/Non-2xx/ {print $5}' <<<"$MEASURED_OUT")"; BAD="${BAD:-0}"
  CPU="$(cpu_per_request "$(awk '/requests in/ {print $1}' <<<"$MEASURED_OUT")")"
}
h2load_path() {  # -> RPS P50 P99 BAD CPU for h2load straight to preflight
  local before after codes log="$RUN_DIR/h2load.log" conns=$(( CONCURRENCY < 4 ? CONCURRENCY : 4 ))
  rm -f "$log"  # h2load appends: without this, round n counted rounds 1..n
  before="$(preflight_codes)"
  HOP_PID="$NULL_PID" measure_cpu h2load -t2 -c"$conns" -m$(( (CONCURRENCY + conns - 1) / conns )) \
    -D "$DURATION" --log-file="$log" -d "$H2_BODY" \
    -H 'content-type: application/grpc' -H 'te: trailers' -H "authorization: Bearer $KEY" \
    "http://127.0.0.1:$TTADS_PREFLIGHT_PORT/$GRPC_METHOD"
  after="$(preflight_codes)"
  codes="$(code_delta "$before" "$after")"
  local ok; ok="$(awk '$1 == "OK" {print $2}' <<<"$codes")"; ok="${ok:-0}"
  # h2load stops at -D with streams still open: preflight counts those as
  # cancelled, or — a stream cut inside its message — as InvalidArgument
  # (the decode guard's answer to a truncated message): 2 in ~27,000 in
  # one run, printed below. They are the generator's stop, not failures of
  # the path, so they are not counted as not OK.
  BAD="$(awk '$1 != "OK" && $1 != "Canceled" && $1 != "InvalidArgument" {s += $2} END {print s + 0}' <<<"$codes")"
  echo "    h2load: $(wc -l <"$log") requests logged, preflight counted: $(tr '\n' ' ' <<<"$codes")" >&2
  # The log has one line per request in the measured window: start, HTTP
  # status, microseconds. Throughput counts OK calls over the window.
  RPS="$(awk -v ok="$ok" -v n="$(wc -l <"$log")" -v d="$DURATION" 'BEGIN {
    printf "%.0f", (n < ok ? n : ok) / d }')"
  read -r P50 P99 < <(cut -f3 "$log" | sort -n | awk '{v[NR] = $1} END {
    printf "%.2f %.2f\n", v[int(NR * 0.50) + 1] / 1000, v[int(NR * 0.99) + 1] / 1000 }')
  CPU="$(cpu_per_request "$(wc -l <"$log")" | sed 's/^hop [0-9]*, //')"
}
ttads_load_path() {
  HOP_PID="$NULL_PID" measure_cpu "$BUILD_DIR/bench/load/ttads-load" --target="127.0.0.1:$TTADS_PREFLIGHT_PORT" \
    --key="$KEY" --method="$GRPC_METHOD" --data="$GRPC_DATA" \
    --concurrency="$CONCURRENCY" --duration="${DURATION}s" --warmup=0s --json
  local json; json="$(grep -v '^CLIENT_CPU' <<<"$MEASURED_OUT")"
  RPS="$(sed -n 's/.*"throughput": *\([0-9.]*\).*/\1/p' <<<"$json")"
  P50="$(sed -n 's/.*"p50_ms": *\([0-9.]*\).*/\1/p' <<<"$json")"
  P99="$(sed -n 's/.*"p99_ms": *\([0-9.]*\).*/\1/p' <<<"$json")"
  BAD="$(sed -n 's/.*"errors": *\([0-9]*\).*/\1/p' <<<"$json" | head -n1)"; BAD="${BAD:-0}"
  CPU="$(cpu_per_request "$(sed -n 's/.*"ok": *\([0-9]*\).*/\1/p' <<<"$json" | head -n1)" | sed 's/^hop [0-9]*, //')"
}

declare -A TOTAL=() P99_MAX=() ROUND_RPS=()
report() {  # name -> one line, and the totals
  printf '  %-13s %8.0f req/s  p50 %6s ms  p99 %6s ms  (not OK: %s)  CPU us/request: %s\n' \
    "$1" "$RPS" "$P50" "$P99" "$BAD" "$CPU"
  TOTAL[$1]="$(awk -v a="${TOTAL[$1]:-0}" -v b="$RPS" 'BEGIN {print a + b}')"
  P99_MAX[$1]="$(awk -v a="${P99_MAX[$1]:-0}" -v b="$P99" 'BEGIN {print (b > a ? b : a)}')"
  ROUND_RPS[$1]="${ROUND_RPS[$1]:-} $RPS"
}
per_round() {  # a b -> the a/b throughput ratio of each round
  paste <(tr ' ' '\n' <<<"${ROUND_RPS[$1]# }") <(tr ' ' '\n' <<<"${ROUND_RPS[$2]# }") |
    awk '{printf "%s%.2f", (NR > 1 ? " " : ""), $1 / $2}'
}
echo "load generators: wrk -t2 -c$CONCURRENCY (HTTP paths), h2load -t2 (direct), ttads-load (direct, grpc++); ${DURATION} s per path"
for round in $(seq "$ROUNDS"); do
  echo "round $round:"
  HOP_PID="$(pid_of gateway)" wrk_path "$URL"; CPU="${CPU/hop/gateway}"; report gateway
  if [ -n "$GG_BIN" ]; then
    HOP_PID="$GG_PID" wrk_path "$GG_URL"; CPU="${CPU/hop/grpc-gateway}"; report grpc-gateway
  fi
  HOP_PID="$NULL_PID" wrk_path "$NULL_URL"; CPU="${CPU/hop/null proxy}"; report "null proxy"
  h2load_path; report direct
  ttads_load_path; report ttads-load
done
ratio() { awk -v a="${TOTAL[$1]}" -v b="${TOTAL[$2]}" 'BEGIN {printf "%.2f", a / b}'; }
echo "gateway/direct throughput ratio: $(ratio gateway direct) (direct = h2load; target >= 0.60; rounds: $(per_round gateway direct))"
if [ -n "$GG_BIN" ]; then
  echo "grpc-gateway/direct throughput ratio: $(ratio grpc-gateway direct) (rounds: $(per_round grpc-gateway direct))"
  echo "gateway/grpc-gateway throughput ratio: $(ratio gateway grpc-gateway) (rounds: $(per_round gateway grpc-gateway))"
  awk -v a="${P99_MAX[grpc-gateway]}" -v b="${P99_MAX[gateway]}" \
    'BEGIN {printf "grpc-gateway/gateway worst p99 ratio: %.2f\n", a / b}'
else
  if [ "$GRPC_GATEWAY" = 0 ]; then
    echo "grpc-gateway: skipped (GRPC_GATEWAY=0)"
  else
    echo "grpc-gateway: skipped (Debian's Go packages absent; bench/grpc_gateway/build.sh installs them)"
  fi
fi
echo "null proxy/direct throughput ratio: $(ratio "null proxy" direct) (the floor for an HTTP -> gRPC hop on these libraries)"
echo "gateway/direct(ttads-load) throughput ratio: $(ratio gateway ttads-load)"
