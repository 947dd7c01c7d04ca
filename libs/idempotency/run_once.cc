#include "libs/idempotency/run_once.h"

#include "absl/strings/str_cat.h"
#include "libs/status/status.h"
#include "libs/status/status_macros.h"

namespace ttads::idempotency {

absl::Status Attempt::SaveIntent(std::string_view intent) {
  if (store_ != nullptr) {
    TTADS_RETURN_IF_ERROR(store_->SaveIntent(key_, owner_, intent));
  }
  intent_saved_ = true;
  return absl::OkStatus();
}

absl::Status Attempt::Record(absl::Status applied,
                             google::protobuf::Message* response) {
  if (applied.ok()) {
    // The answer stands even when it cannot be recorded: a retry then takes
    // the key over and reconciles.
    if (store_ != nullptr) {
      (void)store_->Complete(key_, owner_, response->SerializeAsString());
    }
    return applied;
  }
  response->Clear();
  if (store_ == nullptr) return applied;
  if (IsFinalError(applied.code())) {
    (void)store_->Fail(key_, owner_, applied);
  } else if (taken_over_ ||
             (intent_saved_ &&
              applied.code() != absl::StatusCode::kInvalidArgument)) {
    // Maybe applied: the next call reconciles. (INVALID_ARGUMENT is a
    // refusal: nothing was written.)
    (void)store_->MarkUnresolved(key_, owner_);
  } else {
    (void)store_->Release(key_, owner_);
  }
  return applied;
}

absl::Status ValidateRequestId(std::string_view request_id) {
  if (request_id.size() > 128) {
    return status::InvalidArgument(
        "request_id is too long",
        {{"request_id", "must be at most 128 characters"}});
  }
  return absl::OkStatus();
}

bool IsFinalError(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kPermissionDenied:
    case absl::StatusCode::kOutOfRange:
    case absl::StatusCode::kUnimplemented:
      return true;
    default:
      return false;
  }
}

namespace {

using Reconcile = std::function<absl::StatusOr<bool>(
    std::string_view, google::protobuf::Message*)>;

// Claims `key`. Returns the attempt that must apply, or nullptr with
// `*answer` set when the call is answered without applying (a replay, a
// reconciled earlier write, a refusal).
std::shared_ptr<Attempt> Prepare(IdempotencyStore* store, const Key& key,
                                 std::string_view digest, absl::Time deadline,
                                 google::protobuf::Message* response,
                                 const Reconcile& reconcile, RunResult& out,
                                 absl::Status* answer) {
  if (absl::Status s = ValidateRequestId(key.request_id); !s.ok()) {
    *answer = s;
    return nullptr;
  }
  if (store == nullptr || key.request_id.empty()) {
    out.applied = true;
    return std::make_shared<Attempt>(nullptr, key, "", "", false);
  }
  absl::StatusOr<IdempotencyStore::Claim> claim =
      store->Begin(key, digest, deadline);
  if (!claim.ok()) {
    *answer = claim.status();
    return nullptr;
  }
  switch (claim->verdict) {
    case IdempotencyStore::Verdict::kDone:
      out.replayed = true;
      response->Clear();
      *answer = response->ParseFromString(claim->response)
                    ? absl::OkStatus()
                    : absl::InternalError(
                          "the stored answer of this request is unreadable");
      return nullptr;
    case IdempotencyStore::Verdict::kFailed:
      out.replayed = true;
      *answer = claim->error;
      return nullptr;
    case IdempotencyStore::Verdict::kTakenOver:
      if (reconcile) {
        absl::StatusOr<bool> found = reconcile(claim->intent, response);
        if (!found.ok()) {
          (void)store->MarkUnresolved(key, claim->owner);
          *answer = status::WithRetryInfo(
              status::WithErrorInfo(
                  absl::UnavailableError(absl::StrCat(
                      "an earlier call with request_id \"", key.request_id,
                      "\" may have applied and it could not be checked (",
                      found.status().message(),
                      "); retry with the same request_id")),
                  "IDEMPOTENCY_OUTCOME_UNKNOWN"),
              absl::Seconds(2));
          return nullptr;
        }
        if (*found) {
          out.reconciled = true;
          (void)store->Complete(key, claim->owner,
                                response->SerializeAsString());
          *answer = absl::OkStatus();
          return nullptr;
        }
        response->Clear();
      }
      break;
    case IdempotencyStore::Verdict::kOwned:
      break;
  }
  out.applied = true;
  return std::make_shared<Attempt>(
      store, key, claim->owner, claim->intent,
      claim->verdict == IdempotencyStore::Verdict::kTakenOver);
}

}  // namespace

absl::Status RunOnce(IdempotencyStore* store, const Key& key,
                     std::string_view digest, absl::Time deadline,
                     google::protobuf::Message* response,
                     const Operation& operation, RunResult* result) {
  RunResult local;
  RunResult& out = result != nullptr ? *result : local;
  absl::Status answer;
  std::shared_ptr<Attempt> attempt =
      Prepare(store, key, digest, deadline, response, operation.reconcile, out,
              &answer);
  if (attempt == nullptr) return answer;
  return attempt->Record(operation.apply(*attempt, response), response);
}

void RunOnceAsync(IdempotencyStore* store, const Key& key,
                  std::string_view digest, absl::Time deadline,
                  google::protobuf::Message* response,
                  const AsyncOperation& operation,
                  std::function<void(absl::Status, RunResult)> finish) {
  RunResult out;
  absl::Status answer;
  std::shared_ptr<Attempt> attempt =
      Prepare(store, key, digest, deadline, response, operation.reconcile, out,
              &answer);
  if (attempt == nullptr) return finish(std::move(answer), out);
  operation.apply(attempt, response,
                  [attempt, response, out,
                   finish = std::move(finish)](absl::Status applied) {
                    finish(attempt->Record(std::move(applied), response), out);
                  });
}

}  // namespace ttads::idempotency
