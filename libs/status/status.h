#ifndef TTADS_LIBS_STATUS_STATUS_H_
#define TTADS_LIBS_STATUS_STATUS_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "google/protobuf/message.h"

// Building domain errors that carry google.rpc details.
//
// Domain code returns absl::Status. Details travel as absl::Status payloads
// keyed by the detail's type URL ("type.googleapis.com/google.rpc.BadRequest"
// and so on), serialized as the proto's wire bytes. ToGrpcStatus() (in
// grpc_status.h) turns them into a google.rpc.Status with Any details, and
// FromGrpcStatus() turns them back for internal calls, so a field violation
// raised in the identity service reaches the gateway's caller unchanged.
namespace ttads::status {

inline constexpr std::string_view kDomain = "ttads";
inline constexpr std::string_view kTypeUrlPrefix = "type.googleapis.com/";

// One invalid field: `field` is the request field path as the caller wrote it
// (snake_case, e.g. "display_name" or "creatives[0].ad_text").
struct FieldViolation {
  std::string field;
  std::string description;
};

// Attaches `detail` to `status` (replacing a detail of the same type).
void AttachDetail(absl::Status& status, const google::protobuf::Message& detail);

// Reads a detail of type T from `status`; false when absent or unparsable.
template <typename T>
bool GetDetail(const absl::Status& status, T* out) {
  auto payload = status.GetPayload(std::string(kTypeUrlPrefix) +
                                   T::descriptor()->full_name());
  if (!payload.has_value()) return false;
  return out->ParseFromString(std::string(*payload));
}

// INVALID_ARGUMENT with a google.rpc.BadRequest listing every violation and an
// ErrorInfo with `reason` (default "INVALID_ARGUMENT").
absl::Status InvalidArgument(std::string_view message,
                             std::vector<FieldViolation> violations,
                             std::string_view reason = "INVALID_ARGUMENT");

// Adds a google.rpc.BadRequest with `violations` to any status (e.g. a
// FAILED_PRECONDITION that still points at the field to change).
absl::Status WithFieldViolations(absl::Status status,
                                 std::vector<FieldViolation> violations);

// Adds a google.rpc.ErrorInfo (domain "ttads", UPPER_SNAKE `reason`) with
// optional metadata.
absl::Status WithErrorInfo(
    absl::Status status, std::string_view reason,
    std::vector<std::pair<std::string, std::string>> metadata = {});

// Adds a google.rpc.RetryInfo telling the caller when to retry.
absl::Status WithRetryInfo(absl::Status status, absl::Duration retry_delay);

// RESOURCE_EXHAUSTED with a google.rpc.QuotaFailure for `subject`.
absl::Status QuotaExceeded(std::string_view message, std::string_view subject,
                           std::string_view description);

// FAILED_PRECONDITION with a google.rpc.PreconditionFailure entry.
absl::Status PreconditionFailed(std::string_view message, std::string_view type,
                                std::string_view subject,
                                std::string_view description);

}  // namespace ttads::status

#endif  // TTADS_LIBS_STATUS_STATUS_H_
