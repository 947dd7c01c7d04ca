#include "libs/idempotency/run_once.h"

#include "absl/strings/str_cat.h"
#include "libs/status/status.h"
#include "libs/status/status_macros.h"

namespace ttads::idempotency {

absl::Status Attempt::SaveIntent(std::string_view intent) {
  if (store_ != nullptr) {
    TTADS_RETURN_IF_ERROR(store_->SaveIntent(*key_, owner_, intent));
  }
  intent_saved_ = true;
  return absl::OkStatus();
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

absl::Status RunOnce(IdempotencyStore* store, const Key& key,
                     std::string_view digest, absl::Time deadline,
                     google::protobuf::Message* response,
                     const Operation& operation, RunResult* result) {
  RunResult local;
  RunResult& out = result != nullptr ? *result : local;
  TTADS_RETURN_IF_ERROR(ValidateRequestId(key.request_id));
  if (store == nullptr || key.request_id.empty()) {
    Attempt attempt(nullptr, &key, "", "");
    out.applied = true;
    return operation.apply(attempt, response);
  }
  TTADS_ASSIGN_OR_RETURN(IdempotencyStore::Claim claim,
                         store->Begin(key, digest, deadline));
  switch (claim.verdict) {
    case IdempotencyStore::Verdict::kDone:
      out.replayed = true;
      response->Clear();
      if (!response->ParseFromString(claim.response)) {
        return absl::InternalError(
            "the stored answer of this request is unreadable");
      }
      return absl::OkStatus();
    case IdempotencyStore::Verdict::kFailed:
      out.replayed = true;
      return claim.error;
    case IdempotencyStore::Verdict::kTakenOver:
      if (operation.reconcile) {
        absl::StatusOr<bool> found =
            operation.reconcile(claim.intent, response);
        if (!found.ok()) {
          (void)store->MarkUnresolved(key, claim.owner);
          return status::WithRetryInfo(
              status::WithErrorInfo(
                  absl::UnavailableError(absl::StrCat(
                      "an earlier call with request_id \"", key.request_id,
                      "\" may have applied and it could not be checked (",
                      found.status().message(),
                      "); retry with the same request_id")),
                  "IDEMPOTENCY_OUTCOME_UNKNOWN"),
              absl::Seconds(2));
        }
        if (*found) {
          out.reconciled = true;
          (void)store->Complete(key, claim.owner,
                                response->SerializeAsString());
          return absl::OkStatus();
        }
        response->Clear();
      }
      break;
    case IdempotencyStore::Verdict::kOwned:
      break;
  }
  Attempt attempt(store, &key, claim.owner, claim.intent);
  out.applied = true;
  absl::Status applied = operation.apply(attempt, response);
  if (applied.ok()) {
    // The answer stands even when it cannot be recorded: a retry then takes
    // the key over and reconciles.
    (void)store->Complete(key, claim.owner, response->SerializeAsString());
    return absl::OkStatus();
  }
  response->Clear();
  if (IsFinalError(applied.code())) {
    (void)store->Fail(key, claim.owner, applied);
  } else if (claim.verdict == IdempotencyStore::Verdict::kTakenOver ||
             (attempt.intent_saved() &&
              applied.code() != absl::StatusCode::kInvalidArgument)) {
    // Maybe applied: the next call reconciles. (INVALID_ARGUMENT is a
    // refusal: nothing was written.)
    (void)store->MarkUnresolved(key, claim.owner);
  } else {
    (void)store->Release(key, claim.owner);
  }
  return applied;
}

}  // namespace ttads::idempotency
