#ifndef TTADS_BENCH_LOAD_REQUEST_BUILDER_H_
#define TTADS_BENCH_LOAD_REQUEST_BUILDER_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace ttads::load {

// A unary call ready to send any number of times.
struct PreparedCall {
  // gRPC path, "/package.Service/Method".
  std::string path;
  // The request, serialized.
  std::string request_bytes;
  // Full name of the response message (for display).
  std::string response_type;
};

// Resolves `method` ("pkg.Service/Method", "pkg.Service.Method" or
// "/pkg.Service/Method") among the protos linked into this binary (every
// ttads service and grpc.health.v1) and turns `json_request` (proto3 JSON,
// "" meaning {}) into the request's wire bytes.
// Errors: NOT_FOUND for an unknown service or method (the message lists the
// services that are known); INVALID_ARGUMENT for JSON that does not match
// the request type; FAILED_PRECONDITION for a streaming method.
absl::StatusOr<PreparedCall> PrepareCall(std::string_view method,
                                         std::string_view json_request);

}  // namespace ttads::load

#endif  // TTADS_BENCH_LOAD_REQUEST_BUILDER_H_
