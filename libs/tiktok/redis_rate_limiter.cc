#include "libs/tiktok/redis_rate_limiter.h"

#include <algorithm>
#include <cstdint>

#include "absl/strings/str_cat.h"

namespace ttads::tiktok {
namespace {

// KEYS: bucket keys. ARGV[1]: max wait (µs); ARGV[1 + i]: interval of
// KEYS[i] (µs). Returns {granted (0/1), wait (µs)}.
constexpr char kScript[] = R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local send_at = now
for i = 1, #KEYS do
  local tat = tonumber(redis.call('GET', KEYS[i]) or '0') or 0
  if tat > send_at then send_at = tat end
end
local wait = send_at - now
if wait > tonumber(ARGV[1]) then return {0, wait} end
for i = 1, #KEYS do
  local tat = send_at + tonumber(ARGV[i + 1])
  local ttl_ms = math.floor((tat - now) / 1000) + 1000
  redis.call('SET', KEYS[i], string.format('%.0f', tat), 'PX', ttl_ms)
end
return {1, wait}
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
  std::vector<std::string> args;
  args.push_back(
      absl::StrCat(std::max<int64_t>(0, absl::ToInt64Microseconds(max_wait))));
  for (const Bucket& bucket : buckets) {
    keys.push_back(BucketKey(request.app_id, bucket.name));
    args.push_back(absl::StrCat(absl::ToInt64Microseconds(bucket.interval)));
  }
  absl::StatusOr<store::RedisReply> reply = Script().Run(*pool_, keys, args);
  if (!reply.ok()) return reply.status();
  if (reply->type != store::RedisReply::Type::kArray ||
      reply->elements.size() != 2 ||
      reply->elements[0].type != store::RedisReply::Type::kInteger ||
      reply->elements[1].type != store::RedisReply::Type::kInteger) {
    return absl::InternalError(
        absl::StrCat("unexpected rate-limit script reply",
                     reply->type == store::RedisReply::Type::kError ? ": " : "",
                     reply->str));
  }
  Reservation reservation;
  reservation.granted = reply->elements[0].integer == 1;
  reservation.wait = absl::Microseconds(reply->elements[1].integer);
  return reservation;
}

}  // namespace ttads::tiktok
