#ifndef TTADS_LIBS_IDEMPOTENCY_RUN_ONCE_H_
#define TTADS_LIBS_IDEMPOTENCY_RUN_ONCE_H_

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "libs/idempotency/idempotency_store.h"

// The one way a mutation honours its AIP-155 `request_id`:
//
//   Key key{team, "audience.CreateAudience", req.request_id()};
//   return RunOnce(store, key, RequestDigest(req), call.deadline, out,
//                  {.apply = ..., .reconcile = ...});
//
// The first call with a key applies the request and its answer (the
// serialized response) or final error is replayed to every later call with
// that key for 24 h; a call while the first still runs waits for it
// (bounded by its deadline); the key with a different request is
// ALREADY_EXISTS naming it. A call whose owner died is taken over: when the
// write the operation makes upstream is not idempotent, `apply` records an
// intent (the id or marker it is about to create) first, and `reconcile`
// later finds what that earlier attempt created before anything is sent
// again.
namespace ttads::idempotency {

// One call's view of its claim, handed to `apply`.
class Attempt {
 public:
  Attempt(IdempotencyStore* store, Key key, std::string owner,
          std::string earlier_intent, bool taken_over)
      : store_(store),
        key_(std::move(key)),
        owner_(std::move(owner)),
        earlier_intent_(std::move(earlier_intent)),
        taken_over_(taken_over) {}

  // The intent an earlier owner of this key recorded (this call took its
  // claim over and `reconcile` found nothing), else empty. An operation
  // that creates an object with an id it chooses reuses this id.
  const std::string& earlier_intent() const { return earlier_intent_; }

  // Records what this call is about to write; call it before a write that
  // is not idempotent. From then on a retryable failure leaves the key
  // unresolved (the next call reconciles) instead of giving it back;
  // INVALID_ARGUMENT still gives it back (a refusal writes nothing).
  // ABORTED CLAIM_LOST when the claim was taken over meanwhile (do not
  // write). Without a request id it only remembers the intent.
  absl::Status SaveIntent(std::string_view intent);
  bool intent_saved() const { return intent_saved_; }

  // Says that the write announced by SaveIntent definitely did not happen
  // (the upstream refused it before applying anything) and that no earlier
  // owner's write is outstanding (its intent was empty, or was reconciled
  // as absent): a retryable failure then gives the key back instead of
  // leaving it unresolved, so the retry applies without a lookup.
  void WroteNothing() {
    intent_saved_ = false;
    taken_over_ = false;
  }

  // Records the outcome of `apply` (the answer, a final error, unresolved
  // or given back) and returns the status for the caller. RunOnce calls
  // it; RunOnceAsync calls it when `apply` reports.
  absl::Status Record(absl::Status applied,
                      google::protobuf::Message* response);

 private:
  IdempotencyStore* store_;
  Key key_;
  std::string owner_;
  std::string earlier_intent_;
  bool taken_over_ = false;
  bool intent_saved_ = false;
};

struct Operation {
  // Applies the request, filling `response`. Required.
  std::function<absl::Status(Attempt& attempt,
                             google::protobuf::Message* response)>
      apply;
  // Called when this call took over a key whose earlier owner died or left
  // it unresolved, with that owner's intent (empty when it recorded none):
  // true when the earlier attempt's effect was found (and `response`
  // filled from it), false to apply again. An error means the outcome is
  // still unknown: the key stays unresolved and the caller gets
  // UNAVAILABLE with RetryInfo. Omit it when applying twice is harmless.
  std::function<absl::StatusOr<bool>(std::string_view intent,
                                     google::protobuf::Message* response)>
      reconcile;
};

// What RunOnce did (for notes, metrics and tests).
struct RunResult {
  bool replayed = false;    // the stored answer or error was returned
  bool reconciled = false;  // an earlier attempt's effect was adopted
  bool applied = false;     // `apply` ran
};

// INVALID_ARGUMENT with a field violation on `request_id` when it is longer
// than 128 characters.
absl::Status ValidateRequestId(std::string_view request_id);

// Errors that end a request for good — stored and replayed: it was refused
// after it started executing, and the same request would be refused the
// same way (FAILED_PRECONDITION, NOT_FOUND, ALREADY_EXISTS,
// PERMISSION_DENIED, OUT_OF_RANGE, UNIMPLEMENTED). INVALID_ARGUMENT is not
// stored (as with Stripe's keys, a request corrected after a validation
// error may reuse its key); nor is any retryable or ambiguous error
// (UNAVAILABLE, ABORTED, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, CANCELLED,
// INTERNAL, UNKNOWN, DATA_LOSS, UNAUTHENTICATED).
bool IsFinalError(absl::StatusCode code);

// For an operation whose write finishes later (an upstream call answered
// on a callback, e.g. CreateAd's /ad/create/): `apply` starts the write and
// calls `applied` once, from any thread, with its status (the response
// filled). `reconcile` is as in Operation and runs synchronously.
struct AsyncOperation {
  std::function<void(std::shared_ptr<Attempt> attempt,
                     google::protobuf::Message* response,
                     std::function<void(absl::Status)> applied)>
      apply;
  std::function<absl::StatusOr<bool>(std::string_view intent,
                                     google::protobuf::Message* response)>
      reconcile;
};

// Runs `operation` at most once per `key` (see the file comment). With an
// empty request id (or a null store) it just applies. `digest` is the
// request's RequestDigest (or StreamDigest). Errors: Begin's
// (ALREADY_EXISTS, ABORTED, UNAVAILABLE), `apply`'s, a replayed error, and
// UNAVAILABLE when `reconcile` could not tell.
absl::Status RunOnce(IdempotencyStore* store, const Key& key,
                     std::string_view digest, absl::Time deadline,
                     google::protobuf::Message* response,
                     const Operation& operation, RunResult* result = nullptr);

// RunOnce for an AsyncOperation: claiming, replay and reconcile run on the
// calling thread (they may wait, within `deadline`); `finish` is called
// exactly once with the caller's status — on the calling thread when no
// write was needed, else from `applied`. `response` must stay valid until
// then.
void RunOnceAsync(IdempotencyStore* store, const Key& key,
                  std::string_view digest, absl::Time deadline,
                  google::protobuf::Message* response,
                  const AsyncOperation& operation,
                  std::function<void(absl::Status, RunResult)> finish);

}  // namespace ttads::idempotency

#endif  // TTADS_LIBS_IDEMPOTENCY_RUN_ONCE_H_
