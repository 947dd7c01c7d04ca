-- wrk script for bench/soak.sh: a mixed REST workload through the gateway.
--
-- Every request carries its kind in X-Request-Id (or in its Idempotency-Key,
-- which the gateway uses as the request id), and the gateway echoes it, so
-- each response is checked against what its own request expects even though
-- wrk interleaves many connections per thread.
--
-- Two kinds of request:
--  * calls that reach TikTok (ads search/get/report, new ads, audience
--    uploads, watch streams) are paced by time, per wrk thread, so that
--    their sum stays under the TikTok app rate limit (otherwise the suite's
--    own limiter would queue them and the soak would measure that queue);
--  * everything else is a fixed cycle: cached publish checks, identity
--    check/list (cached by identity), replays of known Idempotency-Keys, and
--    deliberate bad requests (401, malformed JSON, unknown route).
--
-- Environment (set by bench/soak.sh): SOAK_KEY, SOAK_AUDIENCE, SOAK_RUN,
-- SOAK_THREADS, SOAK_UPSTREAM_SCALE (multiplies the paced rates, 1.0), SOAK_ONLY,
-- SOAK_RATES.
-- done() prints one line per kind, "kind <name> sent=.. ok=.. bad=..", and
-- up to 8 samples of unexpected answers, for soak.sh to parse.

local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } soak_timespec;
  int clock_gettime(int clk, soak_timespec *ts);
]]
local ts = ffi.new("soak_timespec")
local function now()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) / 1e9
end

local KEY = os.getenv("SOAK_KEY") or ""
local AUDIENCE = os.getenv("SOAK_AUDIENCE") or ""
local RUN = os.getenv("SOAK_RUN") or "run"
local THREADS = tonumber(os.getenv("SOAK_THREADS") or "2")
local SCALE = tonumber(os.getenv("SOAK_UPSTREAM_SCALE") or "1")
local ADV = { "7101000000000000001", "7101000000000000002", "7101000000000000003" }
local A1 = ADV[1]
local OBJECTIVES = { "WEB_CONVERSIONS", "TRAFFIC", "REACH", "VIDEO_VIEWS" }
local CREATE_BODY = '{"advertiser_id":"7101000000000000001","adgroup_id":"7112000000000000101",' ..
  '"ad_text":"Soak drop","landing_page_url":"https://example.com/drop",' ..
  '"video_id":"7108000000000000001","call_to_action":"BUY_NOW"}'

-- Expected answer of each kind: status, a body substring, another accepted status.
local EXPECT = {
  pc = { 200, '"objective"' },          -- cached publish check
  ic = { 200, '"hasIdentity"' },        -- identity check
  il = { 200, '"identities"' },         -- identity list
  cr = { 200, '"replayed":true' },      -- create with a reused Idempotency-Key
  ba = { 401, 'Unauthorized' },         -- deliberate: bad key
  bj = { 400, 'INVALID_JSON' },         -- deliberate: malformed JSON
  nr = { 404, 'no route' },             -- deliberate: unknown route
  se = { 200, '"ads"' },                -- ads search (TikTok)
  ga = { 200, '"adId"' },               -- ads get (TikTok)
  rp = { 200, '"rows"' },               -- report (TikTok)
  cn = { 200, '"replayed":false' },     -- create with a new Idempotency-Key
  sy = { 200, '"jobId"' },              -- audience NDJSON upload
  -- watch stream ended by its 0.3 s deadline: 200 + events + a final error
  -- line, or 504 when no event came before the deadline (head not sent yet)
  wa = { 200, 'DEADLINE_EXCEEDED', 504 },
}
local DELIBERATE = { ba = true, bj = true, nr = true }
local ORDER = { "pc", "ic", "il", "cr", "ba", "bj", "nr", "se", "ga", "rp", "cn", "sy", "wa" }

-- The cheap cycle (per 100 requests) and the paced rates (per second, whole run).
local CYCLE = {}
for _, e in ipairs({ { "pc", 60 }, { "ic", 12 }, { "il", 12 }, { "cr", 4 },
                     { "ba", 4 }, { "bj", 4 }, { "nr", 4 } }) do
  for _ = 1, e[2] do CYCLE[#CYCLE + 1] = e[1] end
end
local PACED = { se = 5, ga = 5, rp = 3, cn = 0.5, sy = 1, wa = 0.5 }

-- SOAK_RATES=kind=rate[,kind=rate...] (diagnosis): overrides the paced rates
-- of those kinds (per second, whole run); 0 leaves the kind out.
for k, v in (os.getenv("SOAK_RATES") or ""):gmatch("(%a%a)=([%d.]+)") do
  PACED[k] = tonumber(v) > 0 and tonumber(v) or nil
end

-- SOAK_ONLY=kind[,kind...] (diagnosis): only those kinds, one after the
-- other, none paced (TikTok-bound ones then queue in the suite's limiter).
local only = os.getenv("SOAK_ONLY")
if only and only ~= "" then
  CYCLE, PACED = {}, {}
  for k in only:gmatch("[^,]+") do CYCLE[#CYCLE + 1] = k end
end

local threads = {}
local tid_counter = 0
function setup(thread)
  tid_counter = tid_counter + 1
  thread:set("tid", tid_counter)
  threads[#threads + 1] = thread
end

-- Per-thread state (each wrk thread has its own Lua state).
sent, ok, bad, samples = {}, {}, {}, {}
local n, pos, due = 0, 0, {}

function init(args)
  for _, k in ipairs(ORDER) do sent[k], ok[k], bad[k] = 0, 0, 0 end
  local t = now()
  local i = 0
  for k, rate in pairs(PACED) do
    -- stagger the first call of each kind and of each thread
    due[k] = t + (i + (tid or 1)) * 0.1
    i = i + 1
  end
end

local function pick()
  local t = now()
  for k, rate in pairs(PACED) do
    if t >= due[k] then
      local interval = THREADS / (rate * SCALE)
      due[k] = math.max(due[k] + interval, t - 1)
      return k
    end
  end
  pos = pos % #CYCLE + 1
  return CYCLE[pos]
end

local function auth(h)
  h["Authorization"] = "Bearer " .. KEY
  return h
end

function request()
  n = n + 1
  local kind = pick()
  sent[kind] = sent[kind] + 1
  local rid = kind .. "-" .. (tid or 0) .. "-" .. n
  local h = { ["X-Request-Id"] = rid }
  local adv = ADV[n % 3 + 1]
  if kind == "pc" then
    return wrk.format("GET", "/api/v1/tiktok/publish-check?advertiser_id=" .. adv ..
      "&objective=" .. OBJECTIVES[n % 4 + 1], auth(h))
  elseif kind == "ic" then
    return wrk.format("GET", "/api/v1/tiktok/identities/check?advertiser_id=" .. adv, auth(h))
  elseif kind == "il" then
    return wrk.format("GET", "/api/v1/tiktok/identities?advertiser_id=" .. adv, auth(h))
  elseif kind == "cr" then
    h = auth({ ["Idempotency-Key"] = "cr-" .. RUN .. "-" .. (n % 3 + 1),
               ["Content-Type"] = "application/json" })
    return wrk.format("POST", "/v1/ads/create", h, CREATE_BODY)
  elseif kind == "ba" then
    h["Authorization"] = "Bearer ttads_not-a-real-key-" .. n
    return wrk.format("GET", "/api/v1/tiktok/identities?advertiser_id=" .. A1, h)
  elseif kind == "bj" then
    h["Content-Type"] = "application/json"
    return wrk.format("POST", "/v1/ads/create", auth(h), '{"advertiser_id": "7101000000000000001", "ad_text": ')
  elseif kind == "nr" then
    return wrk.format("GET", "/v1/no-such-route/" .. n, auth(h))
  elseif kind == "se" then
    return wrk.format("GET", "/v1/advertisers/" .. A1 .. "/ads?page_size=10", auth(h))
  elseif kind == "ga" then
    return wrk.format("GET", "/v1/advertisers/" .. A1 .. "/ads/711300000000000000" .. (n % 2 + 1), auth(h))
  elseif kind == "rp" then
    return wrk.format("GET", "/v1/advertisers/" .. A1 .. "/reports?report_type=BASIC" ..
      "&data_level=AUCTION_AD&dimensions=ad_id&metrics=spend&lifetime=true", auth(h))
  elseif kind == "cn" then
    h = auth({ ["Idempotency-Key"] = "cn-" .. RUN .. "-" .. (tid or 0) .. "-" .. n,
               ["Content-Type"] = "application/json" })
    return wrk.format("POST", "/v1/ads/create", h, CREATE_BODY)
  elseif kind == "sy" then
    h["Content-Type"] = "application/x-ndjson"
    local p = RUN .. "." .. (tid or 0) .. "." .. n
    local body = '{"operation":"ADD","batches":[{"type":"EMAIL","values":["a.' .. p ..
      '@example.com","B.' .. p .. '@Example.com "]}]}\n' ..
      '{"batches":[{"type":"EMAIL","values":["c.' .. p .. '@example.com","not-an-email"]}]}\n'
    return wrk.format("POST", "/v1/advertisers/" .. A1 .. "/audiences/" .. AUDIENCE ..
      "/members:sync", auth(h), body)
  else -- wa
    h["X-Request-Timeout"] = "0.3"
    return wrk.format("GET", "/v1/advertisers/" .. A1 ..
      "/ads:watch?cursor=2020-01-01%2000:00:00%7C0", auth(h))
  end
end

function response(status, headers, body)
  local rid = headers["X-Request-Id"] or headers["x-request-id"] or ""
  local kind = rid:match("^(%a%a)%-")
  local e = kind and EXPECT[kind]
  if e and (status == e[1] or status == e[3]) and body and body:find(e[2], 1, true) then
    ok[kind] = ok[kind] + 1
    return
  end
  kind = e and kind or "??"
  bad[kind] = (bad[kind] or 0) + 1
  if #samples < 8 then
    samples[#samples + 1] = kind .. " " .. status .. " " ..
      ((body or ""):sub(1, 200):gsub("[\r\n]", " "))
  end
end

function done(summary, latency, requests)
  local tot = { sent = {}, ok = {}, bad = {} }
  local all_samples = {}
  for _, th in ipairs(threads) do
    for _, what in ipairs({ "sent", "ok", "bad" }) do
      local t = th:get(what)
      for k, v in pairs(t) do tot[what][k] = (tot[what][k] or 0) + v end
    end
    for _, s in ipairs(th:get("samples")) do all_samples[#all_samples + 1] = s end
  end
  local kinds = {}
  for _, k in ipairs(ORDER) do kinds[#kinds + 1] = k end
  if tot.bad["??"] then kinds[#kinds + 1] = "??" end
  for _, k in ipairs(kinds) do
    io.write(string.format("kind %s deliberate=%d sent=%d ok=%d bad=%d\n", k,
      DELIBERATE[k] and 1 or 0, tot.sent[k] or 0, tot.ok[k] or 0, tot.bad[k] or 0))
  end
  local e = summary.errors
  io.write(string.format("wrk requests=%d duration_us=%d connect=%d read=%d write=%d timeout=%d status=%d\n",
    summary.requests, summary.duration, e.connect, e.read, e.write, e.timeout, e.status))
  io.write(string.format("latency p50_ms=%.2f p99_ms=%.2f max_ms=%.2f\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
  for _, s in ipairs(all_samples) do io.write("sample " .. s .. "\n") end
end
