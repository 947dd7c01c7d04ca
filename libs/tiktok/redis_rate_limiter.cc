#include "libs/tiktok/redis_rate_limiter.h"

#include <algorithm>
#include <cstdint>

#include "absl/strings/str_cat.h"
#include "libs/status/status_macros.h"

namespace ttads::tiktok {
namespace {

// KEYS[1..n]: bucket keys (the app's first); background/bulk also
// KEYS[n+1..n+4]: the lane's finish tags (ZSET team -> F), pending teams
// (ZSET team -> start tag), last-seen times (ZSET team -> µs) and clock V
// (string). ARGV[1]: max wait (µs); ARGV[2]:
// class (0 interactive, 1 background, 2 bulk); ARGV[3]: team; ARGV[4]:
// weight; ARGV[5]: fair-share window (µs); ARGV[6]: n; ARGV[6 + i]: interval
// of KEYS[i] (µs). Returns {granted (0/1), wait (µs), deferral (0 none,
// 1 lane busy, 2 over share)}. The algorithm is RateLimiter's (header).
constexpr char kScript[] = R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local n = tonumber(ARGV[6])
local latest = 0
for i = 1, n do
  local tat = tonumber(redis.call('GET', KEYS[i]) or '0') or 0
  if tat > latest then latest = tat end
end
local send_at = now
if latest > send_at then send_at = latest end
local function book()
  for i = 1, n do
    local tat = send_at + tonumber(ARGV[6 + i])
    local ttl_ms = math.floor((tat - now) / 1000) + 1000
    redis.call('SET', KEYS[i], string.format('%.0f', tat), 'PX', ttl_ms)
  end
end
local class = tonumber(ARGV[2])
if class == 0 then
  local wait = send_at - now
  if wait > tonumber(ARGV[1]) then return {0, wait, 0} end
  book()
  return {1, wait, 0}
end
local vt_key, pending_key = KEYS[n + 1], KEYS[n + 2]
local seen_key, clock_key = KEYS[n + 3], KEYS[n + 4]
local team = ARGV[3]
local weight = tonumber(ARGV[4])
if weight == nil or weight <= 0 then weight = 1 end
local window = tonumber(ARGV[5])
local first = tonumber(ARGV[7])
local keep_ms = math.floor(window / 1000) * 4 + 60000
local stale = redis.call('ZRANGEBYSCORE', seen_key, '-inf', now - window,
                         'LIMIT', 0, 64)
if #stale > 0 then
  redis.call('ZREM', seen_key, unpack(stale))
  redis.call('ZREM', vt_key, unpack(stale))
  redis.call('ZREM', pending_key, unpack(stale))
end
redis.call('ZADD', seen_key, now, team)
redis.call('PEXPIRE', seen_key, keep_ms)
local clock = tonumber(redis.call('GET', clock_key) or '0') or 0
local start = clock
local waiting = redis.call('ZSCORE', pending_key, team)
if waiting then
  start = tonumber(waiting)
else
  local finish = redis.call('ZSCORE', vt_key, team)
  if finish and tonumber(finish) > start then start = tonumber(finish) end
end
local floor = nil
local lowest = redis.call('ZRANGE', pending_key, 0, 1, 'WITHSCORES')
for i = 1, #lowest, 2 do
  if lowest[i] ~= team then
    floor = tonumber(lowest[i + 1])
    break
  end
end
local function park()
  redis.call('ZADD', pending_key, string.format('%.17g', start), team)
  redis.call('PEXPIRE', pending_key, keep_ms)
end
local cost = 1 / weight
if floor and start > floor + cost + 1e-9 then
  park()
  local hint = first * (start - floor - cost) * weight
  local cap = math.max(first, window / 2)
  if hint < first then hint = first end
  if hint > cap then hint = cap end
  return {0, math.floor(hint), 2}
end
local free_at = latest
if class == 2 then free_at = latest + first end
if free_at > now then
  park()
  return {0, free_at - now, 1}
end
book()
redis.call('ZADD', vt_key, string.format('%.17g', start + cost), team)
redis.call('PEXPIRE', vt_key, keep_ms)
redis.call('ZREM', pending_key, team)
local advance = start
if floor and floor < advance then advance = floor end
if advance > clock then clock = advance end
redis.call('SET', clock_key, string.format('%.17g', clock), 'PX', keep_ms)
return {1, 0, 0}
)lua";

}  // namespace

const store::Script& RedisRateLimiter::Script() {
  static const store::Script* script = new store::Script(kScript);
  return *script;
}

RedisRateLimiter::RedisRateLimiter(store::RedisPool* pool,
                                   RateLimitPolicy policy)
    : pool_(pool), policy_(policy) {}

absl::StatusOr<Reservation> RedisRateLimiter::Reserve(
    const RateLimitRequest& request, absl::Duration max_wait) {
  std::vector<Bucket> buckets = BucketsFor(policy_, request);
  std::vector<std::string> keys;
  std::vector<std::string> args = {
      absl::StrCat(std::max<int64_t>(0, absl::ToInt64Microseconds(max_wait))),
      absl::StrCat(static_cast<int>(request.work_class)),
      request.team_id.empty() ? "-" : request.team_id,
      absl::StrCat(request.weight > 0 ? request.weight : 1.0),
      absl::StrCat(absl::ToInt64Microseconds(policy_.fair_share_window)),
      absl::StrCat(buckets.size())};
  for (const Bucket& bucket : buckets) {
    keys.push_back(BucketKey(request.app_id, bucket.name));
    args.push_back(absl::StrCat(absl::ToInt64Microseconds(bucket.interval)));
  }
  if (request.work_class != WorkClass::kInteractive) {
    for (const char* part : {"vt", "pending", "seen", "clock"}) {
      keys.push_back(LaneKey(request.app_id, request.work_class, part));
    }
  }
  TTADS_ASSIGN_OR_RETURN(store::RedisReply reply,
                         Script().Run(*pool_, keys, args));
  if (reply.type != store::RedisReply::Type::kArray ||
      reply.elements.size() != 3 ||
      reply.elements[0].type != store::RedisReply::Type::kInteger ||
      reply.elements[1].type != store::RedisReply::Type::kInteger ||
      reply.elements[2].type != store::RedisReply::Type::kInteger ||
      reply.elements[2].integer < 0 || reply.elements[2].integer > 2) {
    return absl::InternalError(absl::StrCat(
        "unexpected rate-limit script reply",
        reply.type == store::RedisReply::Type::kError ? ": " : "", reply.str));
  }
  Reservation reservation;
  reservation.granted = reply.elements[0].integer == 1;
  reservation.wait = absl::Microseconds(reply.elements[1].integer);
  reservation.deferral = static_cast<Deferral>(reply.elements[2].integer);
  return reservation;
}

}  // namespace ttads::tiktok
