#ifndef TTADS_TESTS_SUPPORT_RAW_CALL_H_
#define TTADS_TESTS_SUPPORT_RAW_CALL_H_

#include <memory>
#include <string>
#include <vector>

#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/status.h"

namespace ttads::testing {

// Calls `method` ("/pkg.Service/Method") of any kind with raw bytes: writes
// each of `messages` as one message (stopping at the first refused write),
// half-closes, reads and drops every answer, and returns the call's status.
// `context` carries what the caller wants sent (metadata, deadline).
grpc::Status CallRaw(const std::shared_ptr<grpc::Channel>& channel,
                     const std::string& method,
                     const std::vector<std::string>& messages,
                     grpc::ClientContext* context);

}  // namespace ttads::testing

#endif  // TTADS_TESTS_SUPPORT_RAW_CALL_H_
