#ifndef TTADS_SERVICES_GATEWAY_UNARY_RETRY_H_
#define TTADS_SERVICES_GATEWAY_UNARY_RETRY_H_

// The gateway's one retry of a unary backend call.
//
// gRPC's own client retries are off on the backend channels (BackendPool):
// its retry filter copies every call's send ops, measured at ~7 % of the
// gateway's CPU per request. What it gave us, transparent retries of calls a
// restarting backend refused (GOAWAY / REFUSED_STREAM, seen as UNAVAILABLE),
// is replaced by this explicit rule:
//
// - A unary call that ends with UNAVAILABLE is made once more, never twice,
//   on the pool's next channel in turn (a turn shared with concurrent calls),
//   with a fresh ClientContext from the same factory (so the same metadata,
//   request id included) and the same absolute deadline: the retry gets what
//   remains of the original one.
// - Only when repeating the call is safe (`may_retry`, from RetrySafe): the
//   first attempt may have been applied before the backend answered.
// - Not when the deadline has already passed: the caller gets the first
//   attempt's UNAVAILABLE.
//
// Streaming calls are never retried (they are not made through here).

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "absl/strings/string_view.h"
#include "grpcpp/client_context.h"
#include "services/gateway/backend_pool.h"

namespace ttads::gateway {

// Whether an HTTP request may reach a backend twice: GET and HEAD only read;
// `key_is_honoured`: the request carries an Idempotency-Key (sent as its
// request id) to a method that deduplicates on it
// (idempotency::HonoursRequestId), so a replay cannot apply twice. Anything
// else is never repeated.
bool RetrySafe(absl::string_view http_method, bool key_is_honoured);

struct UnaryRetryCall {
  std::string service;
  std::string grpc_path;
  std::string request;  // Serialized request message.
  std::chrono::system_clock::time_point deadline;
  // A new context with the call's metadata and the given deadline; called
  // once per attempt.
  std::function<std::unique_ptr<grpc::ClientContext>(
      std::chrono::system_clock::time_point deadline)>
      make_context;
  bool may_retry = false;
  // Called when the retry starts (e.g. to count it). May be empty.
  std::function<void()> on_retry;
};

// Makes `call` through `pool` and gives `done` the last attempt's result.
void UnaryWithRetry(BackendPool& pool, UnaryRetryCall call,
                    BackendPool::UnaryDone done);

}  // namespace ttads::gateway

#endif  // TTADS_SERVICES_GATEWAY_UNARY_RETRY_H_
