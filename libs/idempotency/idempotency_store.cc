#include "libs/idempotency/idempotency_store.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/support/status.h"
#include "libs/crypto/hashing.h"
#include "libs/crypto/random.h"
#include "libs/status/grpc_status.h"
#include "libs/status/status.h"
#include "libs/status/status_macros.h"
#include "libs/store/key_schema.h"
#include "libs/store/script.h"

namespace ttads::idempotency {
namespace {

// KEYS[1] record; ARGV digest, owner, lease_ms, ttl_ms.
// Returns {verdict, value}: "claimed"; "reclaimed" with the intent (the
// record was unresolved, or pending past its lease); "done" with the
// result; "failed" with the error; "pending"; "conflict".
const store::Script& BeginScript() {
  static const store::Script* script = new store::Script(R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local lease = tostring(now + tonumber(ARGV[3]))
local rec = redis.call('HMGET', KEYS[1], 'hash', 'state', 'lease', 'result', 'error', 'intent')
if not rec[1] then
  redis.call('HSET', KEYS[1], 'hash', ARGV[1], 'state', 'pending', 'owner', ARGV[2], 'lease', lease)
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
  return {'claimed', ''}
end
if rec[1] ~= ARGV[1] then return {'conflict', ''} end
if rec[2] == 'done' then return {'done', rec[4] or ''} end
if rec[2] == 'failed' then return {'failed', rec[5] or ''} end
if rec[2] == 'unresolved' or (rec[3] and tonumber(rec[3]) <= now) then
  redis.call('HSET', KEYS[1], 'state', 'pending', 'owner', ARGV[2], 'lease', lease, 'was_unresolved', '1')
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
  return {'reclaimed', rec[6] or ''}
end
return {'pending', ''}
)lua");
  return *script;
}

// KEYS[1]; ARGV owner, op (intent|done|failed|unresolved|release), value,
// ttl_ms. 0 when `owner` does not hold the record.
const store::Script& TransitionScript() {
  static const store::Script* script = new store::Script(R"lua(
if redis.call('HGET', KEYS[1], 'owner') ~= ARGV[1] then return 0 end
local state = redis.call('HGET', KEYS[1], 'state')
if state ~= 'pending' then return 0 end
local op = ARGV[2]
if op == 'release' then redis.call('DEL', KEYS[1]) return 1 end
if op == 'intent' then redis.call('HSET', KEYS[1], 'intent', ARGV[3]) return 1 end
if op == 'done' then
  redis.call('HSET', KEYS[1], 'state', 'done', 'result', ARGV[3])
elseif op == 'failed' then
  redis.call('HSET', KEYS[1], 'state', 'failed', 'error', ARGV[3])
else
  redis.call('HSET', KEYS[1], 'state', 'unresolved')
end
redis.call('HDEL', KEYS[1], 'owner', 'lease')
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1
)lua");
  return *script;
}

std::string Ms(absl::Duration d) {
  return absl::StrCat(std::max<int64_t>(1, absl::ToInt64Milliseconds(d)));
}

std::string EncodeError(const absl::Status& error) {
  return status::ToRpcStatus(error).SerializeAsString();
}

absl::Status DecodeError(const std::string& bytes) {
  google::rpc::Status rpc;
  if (!rpc.ParseFromString(bytes) || rpc.code() == 0) {
    return absl::InternalError(
        "the stored error of this request is unreadable");
  }
  return status::FromGrpcStatus(grpc::Status(
      static_cast<grpc::StatusCode>(rpc.code()), rpc.message(), bytes));
}

}  // namespace

std::string IdempotencyStore::RedisKey(const Key& key) {
  const std::string id = store::IsValidKeyId(key.request_id)
                             ? key.request_id
                             : "h-" + crypto::Sha256Hex(key.request_id);
  return store::TeamKey(key.team_id,
                        absl::StrCat("idem:", key.method, ":", id));
}

absl::StatusOr<IdempotencyStore::Claim> IdempotencyStore::Begin(
    const Key& key, std::string_view digest, absl::Time deadline) {
  const std::string redis_key = RedisKey(key);
  Claim claim;
  claim.owner = crypto::RandomToken(16);
  const absl::Time start = absl::Now();
  // A live owner keeps its claim for as long as its call can run.
  const absl::Duration remaining = deadline == absl::InfiniteFuture()
                                       ? options_.max_lease
                                       : deadline - start;
  const absl::Duration lease =
      std::clamp(remaining, std::min(absl::Seconds(1), options_.max_lease),
                 options_.max_lease) +
      options_.lease_grace;
  // Leave the caller a moment to answer before its deadline; a call
  // without one waits long enough for any lease to run out.
  const absl::Time wait_until =
      std::min(deadline - absl::Milliseconds(100),
               start + 2 * (options_.max_lease + options_.lease_grace));
  absl::Duration poll = options_.poll_min;
  while (true) {
    TTADS_ASSIGN_OR_RETURN(store::RedisReply reply,
                           BeginScript().Run(*redis_, {redis_key},
                                             {std::string(digest), claim.owner,
                                              Ms(lease), Ms(options_.ttl)}));
    if (reply.elements.size() != 2) {
      return absl::InternalError("unexpected idempotency script reply");
    }
    const std::string& verdict = reply.elements[0].str;
    std::string& value = reply.elements[1].str;
    if (verdict == "claimed") {
      claim.verdict = Verdict::kOwned;
      return claim;
    }
    if (verdict == "reclaimed") {
      claim.verdict = Verdict::kTakenOver;
      claim.intent = std::move(value);
      return claim;
    }
    if (verdict == "done") {
      claim.verdict = Verdict::kDone;
      claim.owner.clear();
      claim.response = std::move(value);
      return claim;
    }
    if (verdict == "failed") {
      claim.verdict = Verdict::kFailed;
      claim.owner.clear();
      claim.error = DecodeError(value);
      return claim;
    }
    if (verdict == "conflict") {
      return status::WithErrorInfo(
          status::WithFieldViolations(
              absl::AlreadyExistsError(absl::StrCat(
                  "request_id \"", key.request_id, "\" was already used for ",
                  key.method,
                  " with a different request; send a new request_id for a "
                  "different request")),
              {{"request_id", "already used with a different request"}}),
          "IDEMPOTENCY_KEY_REUSED",
          {{"request_id", key.request_id}, {"method", key.method}});
    }
    // Pending: another call is applying this request right now.
    if (absl::Now() + poll > wait_until) {
      return status::WithRetryInfo(
          status::WithErrorInfo(
              absl::AbortedError(absl::StrCat(
                  "request_id \"", key.request_id,
                  "\" is still being applied by an earlier call; retry with "
                  "the same request_id to get its answer")),
              "IDEMPOTENCY_IN_PROGRESS",
              {{"request_id", key.request_id}, {"method", key.method}}),
          absl::Seconds(1));
    }
    absl::SleepFor(poll);
    poll = std::min(poll * 2, options_.poll_max);
  }
}

absl::Status IdempotencyStore::Transition(const Key& key,
                                          std::string_view owner,
                                          std::string_view op,
                                          std::string_view value) {
  TTADS_ASSIGN_OR_RETURN(
      const store::RedisReply reply,
      TransitionScript().Run(*redis_, {RedisKey(key)},
                             {std::string(owner), std::string(op),
                              std::string(value), Ms(options_.ttl)}));
  if (reply.integer != 1) {
    return status::WithErrorInfo(
        absl::AbortedError(absl::StrCat(
            "request_id \"", key.request_id,
            "\" was taken over by another call (this one outlived its lease)")),
        "CLAIM_LOST");
  }
  return absl::OkStatus();
}

absl::Status IdempotencyStore::SaveIntent(const Key& key,
                                          std::string_view owner,
                                          std::string_view intent) {
  return Transition(key, owner, "intent", intent);
}

absl::Status IdempotencyStore::Complete(const Key& key, std::string_view owner,
                                        std::string_view response) {
  return Transition(key, owner, "done", response);
}

absl::Status IdempotencyStore::Fail(const Key& key, std::string_view owner,
                                    const absl::Status& error) {
  return Transition(key, owner, "failed", EncodeError(error));
}

absl::Status IdempotencyStore::MarkUnresolved(const Key& key,
                                              std::string_view owner) {
  return Transition(key, owner, "unresolved", "");
}

absl::Status IdempotencyStore::Release(const Key& key, std::string_view owner) {
  return Transition(key, owner, "release", "");
}

}  // namespace ttads::idempotency
