#ifndef TTADS_SERVICES_ADS_IDEMPOTENCY_H_
#define TTADS_SERVICES_ADS_IDEMPOTENCY_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/store/redis.h"

namespace ttads::ads {

// The idempotency record of one mutation, keyed by the caller's request id
// (the gateway maps `Idempotency-Key`):
//   ttads:{team:T}:idem:ads:<request_id>   HASH
//     hash     SHA-256 of the canonical request (the body that was sent)
//     state    pending | unresolved | done
//     owner    random token of the call that holds `pending`
//     lease    Redis time (ms) until which `pending` belongs to its owner
//     result   serialized response (state done)
// Every record lives `ttl` (24 h). A `pending` record whose lease ran out
// (the constructor's `lease`, longer than any live call holds it) belongs
// to an owner that died mid-call — possibly after TikTok created the ad —
// so the next call with that request id reclaims it as if it were
// `unresolved` and must look the ad up before it sends anything. (Letting
// the key expire instead would hand the next call a fresh claim and a
// second ad.)
class IdempotencyStore {
 public:
  enum class State { kNew, kPending, kUnresolved, kDone };
  struct Record {
    State state = State::kNew;
    std::string hash;
    std::string owner;
    std::string result;
  };
  // What Begin decided.
  struct Claim {
    // kNew: this call owns the key (fresh); kUnresolved: this call owns it
    // but an earlier attempt (unresolved, or whose owner died holding the
    // lease) may already have created the object, so it must reconcile
    // before sending again; kDone: `record.result` is the answer to replay.
    State state = State::kNew;
    Record record;
    std::string owner;
  };

  IdempotencyStore(store::RedisPool* redis,
                   absl::Duration ttl = absl::Hours(24),
                   absl::Duration lease = absl::Minutes(2))
      : redis_(redis), ttl_(ttl), lease_(lease) {}

  static std::string Key(const std::string& team_id,
                         const std::string& request_id);

  // Claims `request_id` for a request whose canonical hash is `hash`.
  // Atomic (one Lua script): concurrent duplicates see exactly one owner.
  // While another call holds the key `pending` (its lease not run out),
  // waits (polling) until it finishes, its lease runs out (then kUnresolved)
  // or `wait_until`, then ABORTED "IDEMPOTENCY_IN_PROGRESS" (retryable).
  // ALREADY_EXISTS "IDEMPOTENCY_KEY_REUSED" when the key was used with a
  // different request.
  absl::StatusOr<Claim> Begin(const std::string& team_id,
                              const std::string& request_id,
                              const std::string& hash, absl::Time wait_until);

  // The owner stores the answer (state done, 24 h).
  absl::Status Complete(const std::string& team_id,
                        const std::string& request_id, const std::string& owner,
                        const std::string& result);
  // The owner marks the outcome unknown (an ambiguous failure that could not
  // be reconciled): the next attempt must look the object up first.
  absl::Status MarkUnresolved(const std::string& team_id,
                              const std::string& request_id,
                              const std::string& owner);
  // The owner gives the key back: nothing was created (a definite failure).
  absl::Status Release(const std::string& team_id,
                       const std::string& request_id, const std::string& owner);

 private:
  store::RedisPool* redis_;
  absl::Duration ttl_;
  absl::Duration lease_;
};

}  // namespace ttads::ads

#endif  // TTADS_SERVICES_ADS_IDEMPOTENCY_H_
