#!/usr/bin/env bash
# Bounded soak of the REST gateway: brings the suite up exactly as `make up`
# does (scripts/up.sh) on free loopback ports in a private run directory, with
# an `enterprise` demo team (no monthly quota cap), then drives a mixed
# workload through the gateway only with wrk + bench/soak.lua (cached publish
# checks, identity check/list, ads search/get/report, ad creation with new and
# reused Idempotency-Keys, audience NDJSON uploads, watch streams ended by a
# deadline, and deliberate 401 / malformed JSON / unknown-route requests),
# plus a side loop that opens a watch stream and hangs up after 1 s. While it
# runs, it samples RSS (VmRSS) and open fds of every process of the suite.
# Prints throughput, expected vs unexpected errors, and per process RSS/fds at
# start (after warm-up), max and end (after the load stopped), with a verdict.
#
#   bench/soak.sh [BUILD_DIR]                  # default BUILD_DIR=build
#   DURATION=300 bench/soak.sh build
#
# Knobs (env): DURATION (180, measured seconds after the warm-up), WARMUP (30),
#   CONCURRENCY (32 connections), THREADS (2 wrk threads), SAMPLE_SECONDS (5),
#   SETTLE (5 s idle before the end sample), TIKTOK_TIER (ultimate: the app
#   rate-limit tier of the services and the simulator; the paced TikTok-bound
#   calls stay under it), UPSTREAM_SCALE (1.0, multiplies those paced rates),
#   WATCH_EVERY (2 s between hang-up watch streams), KEEP_RUN_DIR=1 (keep logs),
#   ONLY=kind,... (diagnosis: only these request kinds of soak.lua, unpaced),
#   RATES=kind=rate,... (diagnosis: paced rates of soak.lua's TikTok-bound
#   kinds, per second; 0 leaves a kind out), HANGUPS=0 (no hang-up watch loop).
#
# Verdict per process: "growing" if end RSS > start RSS * 1.10 + 8 MiB, or end
# fds > warm fds + 4, where warm fds is the most a process held up to the start
# sample (connection pools and caches fill to their size under the warm-up's
# load and stay open after it; a leak keeps adding past that); else "flat". Also printed: RssAnon (heap and stacks,
# without mapped code) at start/end and its slope, for extrapolating. Exit 1 if any unexpected answer (wrong
# status or body, 5xx, socket error, timeout) or anything grows; 77 if wrk is
# missing (ctest skip).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$PWD"
BUILD_DIR="$(cd "${1:-build}" && pwd)"
DURATION="${DURATION:-180}"
WARMUP="${WARMUP:-30}"
CONCURRENCY="${CONCURRENCY:-32}"
THREADS="${THREADS:-2}"
SAMPLE_SECONDS="${SAMPLE_SECONDS:-5}"
SETTLE="${SETTLE:-5}"
TIKTOK_TIER="${TIKTOK_TIER:-ultimate}"
UPSTREAM_SCALE="${UPSTREAM_SCALE:-1.0}"
WATCH_EVERY="${WATCH_EVERY:-2}"
ONLY="${ONLY:-}"
RATES="${RATES:-}"
HANGUPS="${HANGUPS:-1}"
ADV=7101000000000000001
command -v wrk >/dev/null || { echo "soak: wrk is missing (apt-get install wrk); skipped" >&2; exit 77; }

RUN_DIR="$(mktemp -d /tmp/ttads-soak.XXXXXX)"
export TTADS_RUN_DIR="$RUN_DIR" TTADS_DEMO_TIER=enterprise TTADS_TIKTOK_TIER="$TIKTOK_TIER"
BG_PIDS=()
stop_bg() {  # stop the sampler / watch loops: their current child (curl), then the loop
  local p
  for p in "$@"; do pkill -TERM -P "$p" 2>/dev/null || true; kill "$p" 2>/dev/null || true; done
  for p in "$@"; do wait "$p" 2>/dev/null || true; done
}
cleanup() {
  local rc=$?
  stop_bg "${BG_PIDS[@]}"
  bash "$REPO/scripts/down.sh" >/dev/null 2>&1 || true
  if [ "${KEEP_RUN_DIR:-0}" = 1 ]; then echo "soak: run dir kept: $RUN_DIR"; else rm -rf "$RUN_DIR"; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# shellcheck source=scripts/free_ports.sh
source scripts/free_ports.sh
bash scripts/up.sh "$BUILD_DIR" >"$RUN_DIR/up.out" 2>&1 || { cat "$RUN_DIR/up.out"; exit 1; }
curl -fsS -X POST -H 'Content-Type: application/json' -d "{\"tier\":\"$TIKTOK_TIER\"}" \
  "http://127.0.0.1:$TTADS_SIM_PORT/_sim/tier" >/dev/null
# shellcheck disable=SC1091
source "$RUN_DIR/demo-keys.env"
KEY="$TTADS_DEMO_OWNER_KEY"
GW="http://127.0.0.1:$TTADS_GATEWAY_PORT"
RUN_ID="$(basename "$RUN_DIR" | tr -dc 'A-Za-z0-9')"

# Fixtures: an audience for the uploads; the three Idempotency-Keys the
# workload replays (first use creates the ad, every later use is a replay).
audience="$(curl -fsS -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
  -X POST "$GW/v1/advertisers/$ADV/audiences" -d '{"name":"soak","identifier_types":["EMAIL"]}')"
AUDIENCE_ID="$(sed -n 's/.*"audienceId":"\([^"]*\)".*/\1/p' <<<"$audience")"
[ -n "$AUDIENCE_ID" ] || { echo "soak: could not create the audience: $audience" >&2; exit 1; }
CREATE_BODY='{"advertiser_id":"7101000000000000001","adgroup_id":"7112000000000000101","ad_text":"Soak drop","landing_page_url":"https://example.com/drop","video_id":"7108000000000000001","call_to_action":"BUY_NOW"}'
for i in 1 2 3; do
  curl -fsS -H "Authorization: Bearer $KEY" -H "Idempotency-Key: cr-$RUN_ID-$i" \
    -H 'Content-Type: application/json' -X POST "$GW/v1/ads/create" -d "$CREATE_BODY" >/dev/null \
    || { echo "soak: could not create the replayed ads" >&2; exit 1; }
done

# Processes to watch: every pid up.sh recorded (redis, sim, services, gateway).
exec {PAUSE_FD}<> <(:)  # `pause N`: a sleep without a child process
pause() { read -rt "$1" -u "$PAUSE_FD" || true; }
declare -A PIDS=()
for f in "$RUN_DIR"/pids/*.pid; do PIDS[$(basename "$f" .pid)]="$(cat "$f")"; done
NAMES=(gateway identity preflight ads audience sim redis)
sample() {  # sample LABEL: one line per process "LABEL name rss_kb fds anon_kb"
  local name pid mem fds rss anon
  for name in "${NAMES[@]}"; do
    pid="${PIDS[$name]:-}"
    [ -n "$pid" ] || continue
    mem="$(awk '/^VmRSS:/ {r = $2} /^RssAnon:/ {a = $2} END {print r + 0, a + 0}' "/proc/$pid/status" 2>/dev/null || true)"
    fds="$(find "/proc/$pid/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)"
    read -r rss anon <<<"${mem:-0 0}"
    echo "$1 $name $rss $fds $anon"
  done
}
SAMPLES="$RUN_DIR/samples.txt"
START_NS="$(date +%s%N)"
( while :; do
    sample "$(( ($(date +%s%N) - START_NS) / 1000000000 ))" >>"$SAMPLES"
    pause "$SAMPLE_SECONDS"
  done ) &
BG_PIDS+=($!)

# Side loop: watch streams the client hangs up on after 1 s (the gateway must
# cancel the backend stream). ok = the head (200) arrived before the hang-up.
WATCH_LOG="$RUN_DIR/watch.txt"
( while [ "$HANGUPS" != 0 ]; do
    code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 -H "Authorization: Bearer $KEY" \
      "$GW/v1/advertisers/$ADV/ads:watch?cursor=2020-01-01%2000:00:00%7C0" || true)"
    echo "$code" >>"$WATCH_LOG"
    pause "$WATCH_EVERY"
  done ) &
WATCH_PID=$!
BG_PIDS+=($WATCH_PID)

total=$((WARMUP + DURATION))
echo "soak: $total s ($WARMUP s warm-up) of wrk -t$THREADS -c$CONCURRENCY on $GW, TikTok tier $TIKTOK_TIER"
SOAK_KEY="$KEY" SOAK_AUDIENCE="$AUDIENCE_ID" SOAK_RUN="$RUN_ID" SOAK_THREADS="$THREADS" \
  SOAK_UPSTREAM_SCALE="$UPSTREAM_SCALE" SOAK_ONLY="$ONLY" SOAK_RATES="$RATES" \
  wrk -t"$THREADS" -c"$CONCURRENCY" -d"${total}s" --timeout 10s -s bench/soak.lua "$GW" \
  >"$RUN_DIR/wrk.out" 2>&1 || { cat "$RUN_DIR/wrk.out"; echo "soak: wrk failed" >&2; exit 1; }
stop_bg "$WATCH_PID"
sleep "$SETTLE"
sample end >>"$SAMPLES"
grep -E '^(kind|wrk|latency|sample) ' "$RUN_DIR/wrk.out" >"$RUN_DIR/wrk.parsed" || true
if ! grep -q '^wrk ' "$RUN_DIR/wrk.parsed"; then cat "$RUN_DIR/wrk.out"; echo "soak: no wrk summary" >&2; exit 1; fi

echo
echo "== requests (wrk, whole run including warm-up) =="
count() { local n; n="$(grep -c "$1" "$2" 2>/dev/null || true)"; echo "${n:-0}"; }
awk -v wsent="$(count . "$WATCH_LOG")" -v wok="$(count '^200$' "$WATCH_LOG")" \
    -v out="$RUN_DIR/unexpected.count" '
  /^kind / {
    split($3, d, "="); split($4, s, "="); split($5, o, "="); split($6, b, "=")
    kind[++n] = $2; deliberate[$2] = d[2]; sent[$2] = s[2]; ok[$2] = o[2]; bad[$2] = b[2]
    answered += o[2] + b[2]; unexpected += b[2]; if (d[2] == 1) expected += o[2]
  }
  /^wrk / {
    for (i = 2; i <= NF; i++) { split($i, kv, "="); w[kv[1]] = kv[2] }
  }
  /^latency / { lat = $2 " " $3 " " $4 }
  /^sample / { samples = samples "  " substr($0, 8) "\n" }
  END {
    secs = w["duration_us"] / 1e6
    sock = w["connect"] + w["read"] + w["write"] + w["timeout"]
    printf "%-6s %-11s %9s %9s %6s\n", "kind", "", "sent", "answered", "wrong"
    names["pc"] = "publish"; names["ic"] = "id check"; names["il"] = "id list"; names["cr"] = "create-replay"
    names["ba"] = "401 bad key"; names["bj"] = "400 bad JSON"; names["nr"] = "404 route"; names["se"] = "ads search"
    names["ga"] = "ads get"; names["rp"] = "report"; names["cn"] = "create-new"; names["sy"] = "audience sync"
    names["wa"] = "watch 0.3 s"; names["??"] = "unknown id"
    for (i = 1; i <= n; i++) { k = kind[i]; printf "%-6s %-13s %7d %9d %6d\n", k, names[k], sent[k], ok[k] + bad[k], bad[k] }
    printf "watch hang-ups (curl, 1 s): %d opened, %d got their 200 head\n", wsent, wok
    printf "throughput: %.0f req/s (%d answers in %.1f s), latency %s\n", w["requests"] / secs, w["requests"], secs, lat
    printf "expected errors (deliberate 401/400/404): %d (%.2f%%)\n", expected, 100 * expected / w["requests"]
    wunexp = wsent - wok
    printf "unexpected: %d wrong answers, %d socket errors/timeouts (connect %d read %d write %d timeout %d), %d failed hang-up watches\n", \
      unexpected, sock, w["connect"], w["read"], w["write"], w["timeout"], wunexp
    printf "unexpected error rate: %.4f%%\n", 100 * (unexpected + sock + wunexp) / (w["requests"] + wsent)
    if (samples != "") printf "samples of unexpected answers:\n%s", samples
    print (unexpected + sock + wunexp) > out
  }' "$RUN_DIR/wrk.parsed"
unexpected="$(cat "$RUN_DIR/unexpected.count")"

echo
echo "== processes (RSS MiB / open fds; start = first sample after the ${WARMUP} s warm-up, end = ${SETTLE} s after the load) =="
echo "rule: growing if end RSS > start RSS * 1.10 + 8 MiB, or end fds > warm fds + 4"
echo "(warm fds = the most open fds up to the start sample: pools filled by the warm-up's load)"
echo "(anon = RssAnon, the heap/stack part of RSS; anon trend = its least-squares slope over the measured"
echo " samples: information for long-run extrapolation, not part of the rule)"
awk -v warm="$WARMUP" -v out="$RUN_DIR/growing.count" '
  { label = $1; name = $2; rss = $3; fds = $4; anon = $5
    if (!(name in seen)) { seen[name] = 1; order[++n] = name }
    if (label != "end" && !(name in s_rss) && fds > w_fds[name]) w_fds[name] = fds
    if (label != "end" && label + 0 >= warm && !(name in s_rss)) { s_rss[name] = rss; s_fds[name] = fds; s_anon[name] = anon }
    if (label == "end") { e_rss[name] = rss; e_fds[name] = fds; e_anon[name] = anon }
    else if (label + 0 >= warm) {  # least-squares trend of anonymous RSS over the measured window
      k[name]++; sx[name] += label; sy[name] += anon; sxx[name] += label * label; sxy[name] += label * anon }
    if (rss > m_rss[name]) m_rss[name] = rss
    if (fds > m_fds[name]) m_fds[name] = fds }
  END {
    printf "%-10s %24s   %13s   %25s   %14s   %s\n", "process", "RSS start / max / end", "anon start/end", \
      "fds warm/start/max/end", "anon trend", "verdict"
    bad = 0
    for (i = 1; i <= n; i++) {
      p = order[i]
      if (!(p in s_rss) || !(p in e_rss)) { printf "%-10s no samples (process gone?)\n", p; bad++; continue }
      grow = (e_rss[p] > s_rss[p] * 1.10 + 8192) || (e_fds[p] > w_fds[p] + 4)
      if (grow) bad++
      den = k[p] * sxx[p] - sx[p] * sx[p]
      slope = den > 0 ? (k[p] * sxy[p] - sx[p] * sy[p]) / den * 60 : 0   # KiB per minute
      printf "%-10s %7.1f / %6.1f / %6.1f   %6.1f / %5.1f   %4d / %4d / %4d / %4d   %+7.0f KiB/min   %s\n", p, \
        s_rss[p] / 1024, m_rss[p] / 1024, e_rss[p] / 1024, s_anon[p] / 1024, e_anon[p] / 1024, \
        w_fds[p], s_fds[p], m_fds[p], e_fds[p], slope, grow ? "GROWING" : "flat"
    }
    print bad > out
  }' "$SAMPLES"
growing="$(cat "$RUN_DIR/growing.count")"
echo
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "$unexpected" -gt 0 ] || [ "$growing" -gt 0 ]; then
  echo "soak: FAILED ($unexpected unexpected, $growing growing)"
  exit 1
fi
echo "soak: passed (0 unexpected, nothing growing)"
