#ifndef TTADS_LIBS_IDEMPOTENCY_IDEMPOTENCY_STORE_H_
#define TTADS_LIBS_IDEMPOTENCY_IDEMPOTENCY_STORE_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/store/redis.h"

// The Redis side of AIP-155 request ids: one record per (team, method,
// request_id) that says who is applying the request, and then what its
// answer was, for 24 hours.
//
//   ttads:{team:T}:idem:<method>:<request id>   HASH, TTL `ttl` (24 h)
//     hash      digest of the request (RequestDigest / StreamDigest)
//     state     pending | unresolved | done | failed
//     owner     random token of the call that holds it (pending)
//     lease     Redis time (ms) until which `pending` belongs to its owner
//     intent    what the owner recorded before a write that is not
//               idempotent (e.g. the id it is creating); handed to the
//               next owner when the claim is taken over
//     result    serialized response message (done)
//     error     serialized google.rpc.Status with details (failed)
//     was_unresolved  "1" once the record has been taken over
//
// `<request id>` is the caller's request_id when it is a key id
// ([A-Za-z0-9_-]{1,64}), else "h-" and its SHA-256 in hex (which no key id
// can equal: 66 characters). Every transition is one Lua script on the one
// key (the team's hash tag: one Cluster slot). Leases and waits use Redis'
// clock (TIME), so replicas' clocks do not matter; records persist with the
// AOF like every other key, so a Redis restart loses no claim or answer.
//
// A `pending` record whose lease ran out belongs to an owner that died
// (killed replica, lost connection) — possibly after it applied. The next
// call with that request id takes it over (kTakenOver, with the intent)
// and must reconcile before applying again; letting the key expire instead
// would hand it a fresh claim and duplicate the write. The owner's later
// writes are fenced by its token: once taken over they change nothing.
namespace ttads::idempotency {

// One idempotent operation: which team, which RPC (a short stable name such
// as "audience.CreateAudience", [A-Za-z0-9._-]), which request id.
struct Key {
  std::string team_id;
  std::string method;
  std::string request_id;
};

struct StoreOptions {
  // How long an answer (or final error) is replayed.
  absl::Duration ttl = absl::Hours(24);
  // A claim's lease is the call's remaining deadline, at most `max_lease`
  // (also the lease of a call without a deadline), plus `lease_grace`.
  absl::Duration max_lease = absl::Minutes(2);
  absl::Duration lease_grace = absl::Seconds(5);
  // Polling of a duplicate waiting for the first call (doubling).
  absl::Duration poll_min = absl::Milliseconds(20);
  absl::Duration poll_max = absl::Milliseconds(200);
};

class IdempotencyStore {
 public:
  enum class Verdict {
    kOwned,      // a fresh claim: apply
    kTakenOver,  // an earlier owner died or left it unresolved: reconcile
    kDone,       // `response` is the answer to replay
    kFailed,     // `error` is the final error to replay
  };
  struct Claim {
    Verdict verdict = Verdict::kOwned;
    std::string owner;     // kOwned, kTakenOver: the token for later calls
    std::string intent;    // kTakenOver: the earlier owner's, maybe empty
    std::string response;  // kDone
    absl::Status error;    // kFailed
  };

  explicit IdempotencyStore(store::RedisPool* redis, StoreOptions options = {})
      : redis_(redis), options_(options) {}

  // "ttads:{team:T}:idem:<method>:<request id>" as described above.
  static std::string RedisKey(const Key& key);

  // Claims `key` for a request with `digest`. Concurrent duplicates see
  // exactly one owner; the others wait (polling) until it answers (then
  // kDone/kFailed), gives the key back (then one of them owns it), or its
  // lease runs out (then kTakenOver). Errors:
  //   ALREADY_EXISTS, reason IDEMPOTENCY_KEY_REUSED, a field violation on
  //     `request_id`: the key was used with a different request;
  //   ABORTED, reason IDEMPOTENCY_IN_PROGRESS, RetryInfo: still held by a
  //     live call when `deadline` (less a margin) came;
  //   UNAVAILABLE: Redis is.
  absl::StatusOr<Claim> Begin(const Key& key, std::string_view digest,
                              absl::Time deadline);

  // The owner's transitions. Each is fenced: ABORTED, reason CLAIM_LOST,
  // when `owner` no longer holds the key (it was taken over).
  // Records what the owner is about to write (before the write).
  absl::Status SaveIntent(const Key& key, std::string_view owner,
                          std::string_view intent);
  // The answer: replayed for `ttl`.
  absl::Status Complete(const Key& key, std::string_view owner,
                        std::string_view response);
  // A final error (nothing was applied and the same request would fail the
  // same way): replayed for `ttl`, details included.
  absl::Status Fail(const Key& key, std::string_view owner,
                    const absl::Status& error);
  // The outcome is unknown (an ambiguous failure after the intent): the
  // next call takes the key over and reconciles.
  absl::Status MarkUnresolved(const Key& key, std::string_view owner);
  // Nothing was applied: the key is free again.
  absl::Status Release(const Key& key, std::string_view owner);

  const StoreOptions& options() const { return options_; }

 private:
  absl::Status Transition(const Key& key, std::string_view owner,
                          std::string_view op, std::string_view value);

  store::RedisPool* redis_;
  StoreOptions options_;
};

}  // namespace ttads::idempotency

#endif  // TTADS_LIBS_IDEMPOTENCY_IDEMPOTENCY_STORE_H_
