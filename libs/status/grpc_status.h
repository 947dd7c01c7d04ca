#ifndef TTADS_LIBS_STATUS_GRPC_STATUS_H_
#define TTADS_LIBS_STATUS_GRPC_STATUS_H_

#include "absl/status/status.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/support/status.h"

// The one mapping between domain statuses and gRPC statuses.
namespace ttads::status {

// Builds the google.rpc.Status for `status`: same code and message; every
// google.rpc detail attached to it as an Any; an ErrorInfo (domain "ttads",
// reason = the code's name, e.g. "NOT_FOUND") is added when none is present.
google::rpc::Status ToRpcStatus(const absl::Status& status);

// Maps to grpc::Status with the serialized google.rpc.Status as binary error
// details (the `grpc-status-details-bin` trailer), which grpcurl and every
// gRPC library decode.
grpc::Status ToGrpcStatus(const absl::Status& status);

// The inverse, for a service calling another one: code, message and details
// (as payloads) come back, so errors pass through unchanged.
absl::Status FromGrpcStatus(const grpc::Status& status);

// Reason of the ErrorInfo attached to `status`, or the code's name.
std::string ReasonOf(const absl::Status& status);

}  // namespace ttads::status

#endif  // TTADS_LIBS_STATUS_GRPC_STATUS_H_
