#ifndef TTADS_SERVICES_GATEWAY_ERROR_MAPPING_H_
#define TTADS_SERVICES_GATEWAY_ERROR_MAPPING_H_

// gRPC status → HTTP error response, per the table in google/rpc/code.proto:
//
//   OK 200, INVALID_ARGUMENT/FAILED_PRECONDITION/OUT_OF_RANGE 400,
//   UNAUTHENTICATED 401, PERMISSION_DENIED 403, NOT_FOUND 404,
//   ALREADY_EXISTS/ABORTED 409, RESOURCE_EXHAUSTED 429, CANCELLED 499,
//   UNIMPLEMENTED 501, UNAVAILABLE 503, DEADLINE_EXCEEDED 504,
//   UNKNOWN/INTERNAL/DATA_LOSS 500.
//
// Except: RESOURCE_EXHAUSTED about size is 413, not 429 ("retry later"):
// when it carries a google.rpc.BadRequest (a field or the body is too
// large) or is gRPC's own "message larger than max" (the request was over a
// backend's receive limit; the gateway's channels take responses of any
// size). Quota (QuotaFailure) and throttling (RetryInfo) stay 429.
//
// Body: {"error": <message>, "code": "<CODE_NAME>", "details": [...]}.
// `code` is the canonical gRPC code name (a string: stable, readable, and
// what grpcurl prints). `details` are the google.rpc details of the
// `grpc-status-details-bin` trailer rendered as proto3 JSON with "@type"
// (e.g. a BadRequest's `fieldViolations: [{field, description}]`); empty
// when there are none. A RetryInfo adds a `Retry-After` header (whole
// seconds, rounded up).

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "grpcpp/support/status.h"
#include "nlohmann/json.hpp"

namespace ttads::gateway {

int HttpStatusFromGrpc(grpc::StatusCode code);
// "INVALID_ARGUMENT", ...
std::string GrpcCodeName(grpc::StatusCode code);

struct HttpError {
  int status = 500;
  nlohmann::json body;  // {"error", "code", "details"}
  // Extra headers (Retry-After).
  std::vector<std::pair<std::string, std::string>> headers;
};

HttpError ErrorFromGrpc(const grpc::Status& status);
// For errors raised by the gateway itself (absl statuses with details).
HttpError ErrorFromAbsl(const absl::Status& status);

}  // namespace ttads::gateway

#endif  // TTADS_SERVICES_GATEWAY_ERROR_MAPPING_H_
