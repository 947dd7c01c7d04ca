#ifndef TTADS_SERVICES_GATEWAY_FORWARDING_H_
#define TTADS_SERVICES_GATEWAY_FORWARDING_H_

// Forwarding, the gateway's step after admission and transcoding: the
// backend call, in the route's kind (unary, server stream, client stream),
// asynchronous (BackendPool: no thread waits on a backend).
//
// Every call carries `authorization: Bearer <key>`, `x-request-id` and
// `traceparent` (the exchange's span as the parent; `tracestate` when the
// client sent one) metadata and the exchange's deadline. A unary call refused
// with UNAVAILABLE is made once more when repeating it is safe (unary_retry.h),
// counted in ttads_gateway_backend_retries_total{method}. A server stream
// whose receiver is gone (on_message returns false) is cancelled. A client
// stream pulls its messages from an UploadSource; what a piece of the body
// completes is converted on the blocking pool, never on an HTTP I/O thread.
//
// Forwarding answers nothing: each call reports to its callbacks, and the
// answering step (answering.h) writes the HTTP answer.

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "libs/http/server.h"
#include "libs/server/work_queue.h"
#include "libs/trace/trace_context.h"
#include "prometheus/counter.h"
#include "prometheus/registry.h"
#include "services/gateway/backend_pool.h"
#include "services/gateway/route_table.h"
#include "services/gateway/upload_source.h"

namespace ttads::gateway {

// What a backend call of one exchange is made with. The call and what it
// points to must stay valid until the call's done callback has run (the
// gateway keeps them in the exchange that callback holds); pointers, not
// copies, because gRPC's metadata API takes std::string references.
struct BackendCall {
  const Route* route = nullptr;
  const std::string* api_key = nullptr;
  const std::string* request_id = nullptr;
  // The exchange's span (W3C trace context); optional.
  const trace::TraceContext* trace = nullptr;
  std::chrono::milliseconds timeout{0};
  // Unary calls: whether an UNAVAILABLE may be retried (RetrySafe).
  bool may_retry = false;
  // The metric label of the call (the gRPC method's full name).
  const std::string* metric_method = nullptr;
};

class Forwarder {
 public:
  // `blocking` runs upload conversion; the retry counter is registered in
  // `registry`.
  Forwarder(BackendPool& backends, server::WorkQueue& blocking,
            prometheus::Registry& registry);

  void Unary(const BackendCall& call, const google::protobuf::Message& request,
             BackendPool::UnaryDone done);

  // `on_message` gets each response message's bytes; returning false
  // cancels the call (the client went away).
  using OnStreamMessage = std::function<bool(std::string bytes)>;
  void ServerStream(const BackendCall& call,
                    const google::protobuf::Message& request,
                    OnStreamMessage on_message, BackendPool::StreamDone done);

  // `done` gets the gRPC status, the upload's own error (a bad line, a body
  // over the limit), whether that error came from reading the body (not
  // from converting it), and the response bytes.
  using UploadDone =
      std::function<void(grpc::Status status, absl::Status source_error,
                         bool body_failed, std::string response)>;
  void ClientStream(const BackendCall& call, UploadSource::Options source,
                    std::string initial_body,
                    std::shared_ptr<http::BodyReader> body_reader,
                    UploadDone done);

 private:
  BackendPool& backends_;
  server::WorkQueue& blocking_;
  prometheus::Family<prometheus::Counter>* retries_;
};

}  // namespace ttads::gateway

#endif  // TTADS_SERVICES_GATEWAY_FORWARDING_H_
