#include "services/ads/idempotency.h"

#include <thread>

#include "absl/random/random.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "libs/status/status.h"
#include "libs/store/key_schema.h"

namespace ttads::ads {
namespace {

// KEYS[1] record; ARGV hash, owner, lease_ms, ttl_ms.
// Returns {verdict, hash, state, result}: verdict "claimed" (new key),
// "reclaimed" (was unresolved, or pending with an expired lease: its owner
// died; now pending for this owner), "done", "pending", "conflict".
// Leases use Redis' clock (TIME), so replicas' clocks do not matter.
constexpr char kBeginScript[] = R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local lease = tostring(now + tonumber(ARGV[3]))
local rec = redis.call('HMGET', KEYS[1], 'hash', 'state', 'result', 'lease')
if not rec[1] then
  redis.call('HSET', KEYS[1], 'hash', ARGV[1], 'state', 'pending', 'owner', ARGV[2], 'lease', lease)
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
  return {'claimed', ARGV[1], 'pending', ''}
end
if rec[1] ~= ARGV[1] then return {'conflict', rec[1], rec[2], ''} end
if rec[2] == 'done' then return {'done', rec[1], rec[2], rec[3] or ''} end
if rec[2] == 'unresolved' or (rec[4] and tonumber(rec[4]) <= now) then
  redis.call('HSET', KEYS[1], 'state', 'pending', 'owner', ARGV[2], 'lease', lease, 'was_unresolved', '1')
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
  return {'reclaimed', rec[1], 'pending', ''}
end
return {'pending', rec[1], rec[2], ''}
)lua";

// KEYS[1]; ARGV owner, new state, result, ttl_ms ('' state = delete).
constexpr char kSetScript[] = R"lua(
if redis.call('HGET', KEYS[1], 'owner') ~= ARGV[1] then return 0 end
if ARGV[2] == '' then redis.call('DEL', KEYS[1]) return 1 end
redis.call('HSET', KEYS[1], 'state', ARGV[2], 'result', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1
)lua";

std::string NewOwner() {
  absl::BitGen gen;
  return absl::StrCat(absl::Hex(absl::Uniform<uint64_t>(gen)),
                      absl::Hex(absl::Uniform<uint64_t>(gen)));
}

}  // namespace

std::string IdempotencyStore::Key(const std::string& team_id,
                                  const std::string& request_id) {
  return store::TeamKey(team_id, absl::StrCat("idem:ads:", request_id));
}

absl::StatusOr<IdempotencyStore::Claim> IdempotencyStore::Begin(
    const std::string& team_id, const std::string& request_id,
    const std::string& hash, absl::Time wait_until) {
  const std::string key = Key(team_id, request_id);
  const std::string owner = NewOwner();
  absl::Duration poll = absl::Milliseconds(20);
  while (true) {
    auto reply = redis_->Command(
        {"EVAL", kBeginScript, "1", key, std::string(hash), owner,
         std::to_string(absl::ToInt64Milliseconds(lease_)),
         std::to_string(absl::ToInt64Milliseconds(ttl_))});
    if (!reply.ok()) return reply.status();
    if (reply->elements.size() != 4) {
      return absl::InternalError("unexpected idempotency script reply");
    }
    const std::string& verdict = reply->elements[0].str;
    Claim claim;
    claim.owner = owner;
    claim.record.hash = reply->elements[1].str;
    if (verdict == "claimed" || verdict == "reclaimed") {
      claim.state = verdict == "claimed" ? State::kNew : State::kUnresolved;
      claim.record.state = State::kPending;
      return claim;
    }
    if (verdict == "conflict") {
      return status::WithErrorInfo(
          absl::AlreadyExistsError(absl::StrCat(
              "request_id \"", request_id,
              "\" was already used with a different request; use a new "
              "request_id for a different ad")),
          "IDEMPOTENCY_KEY_REUSED");
    }
    if (verdict == "done") {
      claim.state = State::kDone;
      claim.record.state = State::kDone;
      claim.record.result = reply->elements[3].str;
      return claim;
    }
    // Pending: another call is creating this ad right now.
    if (absl::Now() + poll > wait_until) {
      return status::WithRetryInfo(
          status::WithErrorInfo(
              absl::AbortedError(absl::StrCat(
                  "request_id \"", request_id,
                  "\" is still being processed by an earlier call; retry "
                  "with the same request_id to get its result")),
              "IDEMPOTENCY_IN_PROGRESS"),
          absl::Seconds(1));
    }
    absl::SleepFor(poll);
    poll = std::min(poll * 2, absl::Milliseconds(200));
  }
}

absl::Status IdempotencyStore::Complete(const std::string& team_id,
                                        const std::string& request_id,
                                        const std::string& owner,
                                        const std::string& result) {
  auto r = redis_->Command({"EVAL", kSetScript, "1", Key(team_id, request_id),
                            std::string(owner), "done", std::string(result),
                            std::to_string(absl::ToInt64Milliseconds(ttl_))});
  return r.status();
}

absl::Status IdempotencyStore::MarkUnresolved(const std::string& team_id,
                                              const std::string& request_id,
                                              const std::string& owner) {
  auto r = redis_->Command({"EVAL", kSetScript, "1", Key(team_id, request_id),
                            std::string(owner), "unresolved", "",
                            std::to_string(absl::ToInt64Milliseconds(ttl_))});
  return r.status();
}

absl::Status IdempotencyStore::Release(const std::string& team_id,
                                       const std::string& request_id,
                                       const std::string& owner) {
  auto r = redis_->Command({"EVAL", kSetScript, "1", Key(team_id, request_id),
                            std::string(owner), "", "", "0"});
  return r.status();
}

}  // namespace ttads::ads
