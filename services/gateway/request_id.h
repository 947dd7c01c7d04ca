#ifndef TTADS_SERVICES_GATEWAY_REQUEST_ID_H_
#define TTADS_SERVICES_GATEWAY_REQUEST_ID_H_

// The request id of an exchange: the `Idempotency-Key` header, else
// `X-Request-Id`, else a fresh random one. It is sent to the backends as
// `x-request-id` metadata and returned in `X-Request-Id` on every answer.
// Either header, when present, must be 1-128 visible ASCII characters
// (0x21-0x7e): otherwise INVALID_ARGUMENT naming the header.

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "libs/http/server.h"

namespace ttads::gateway {

struct RequestIds {
  std::string request_id;
  // The Idempotency-Key, when given (it also fills `request_id` fields of
  // mutating requests and makes a retry safe).
  std::optional<std::string> idempotency_key;
};

absl::StatusOr<RequestIds> ReadRequestIds(const http::Headers& headers);

// 24 random hex digits (for correlation, not a secret).
std::string NewRequestId();

}  // namespace ttads::gateway

#endif  // TTADS_SERVICES_GATEWAY_REQUEST_ID_H_
