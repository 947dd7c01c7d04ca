#ifndef TTADS_SERVICES_GATEWAY_EXCHANGE_H_
#define TTADS_SERVICES_GATEWAY_EXCHANGE_H_

// One HTTP request on its way through the gateway's steps, and what each
// step found out. Shared (std::shared_ptr) by whichever thread runs the next
// step: an HTTP I/O thread, a blocking-pool thread, or a gRPC thread.

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "libs/auth/team_store.h"
#include "libs/http/server.h"
#include "libs/trace/trace_context.h"
#include "services/gateway/dialect.h"
#include "services/gateway/forwarding.h"
#include "services/gateway/path_template.h"
#include "services/gateway/quota.h"
#include "services/gateway/route_table.h"
#include "services/gateway/upload_source.h"

namespace ttads::gateway {

struct Exchange {
  Exchange(http::HttpRequest r, http::HttpResponder p)
      : request(std::move(r)), responder(std::move(p)) {}

  http::HttpRequest request;
  http::HttpResponder responder;
  absl::Time start;
  std::string request_id;
  std::optional<std::string> idempotency_key;
  // The request's span: its `traceparent` continued, or a new trace. The
  // backend call carries it as its parent.
  trace::TraceContext trace;
  // The request's product surface; decides every answer's shape.
  const Dialect* dialect = nullptr;
  // Adspirer: the tool named by the path (a view of request.target).
  absl::string_view tool;
  // The metric label: the gRPC method, a built-in's path, or "unmatched".
  std::string metric_method = "unmatched";

  // Routing.
  const Route* route = nullptr;
  PathTemplate::Bindings bindings;
  // Admission.
  std::string api_key;
  std::optional<auth::Principal> principal;
  std::optional<QuotaUsage> quota;
  // Transcoding (done once, on whichever thread got that far).
  bool transcoded = false;
  std::unique_ptr<google::protobuf::Message> message;
  // Client streams: how the body becomes messages (instead of `message`).
  std::optional<UploadSource::Options> upload;
  // Forwarding.
  BackendCall call;

  AnswerContext context() const {
    return {&request, tool, quota.has_value() ? &*quota : nullptr};
  }

  // X-Request-Id, traceresponse, and the quota headers once the call was
  // counted.
  void AddCommonHeaders(http::Headers& h) const {
    h.Add("X-Request-Id", request_id);
    if (!trace.empty()) h.Add("traceresponse", trace.Traceparent());
    if (quota.has_value()) {
      h.Add("X-Quota-Used", absl::StrCat(quota->used));
      h.Add("X-Quota-Limit", quota->limit == 0 ? std::string("unlimited")
                                               : absl::StrCat(quota->limit));
      h.Add("X-Quota-Tier", quota->tier);
      h.Add("X-Quota-Period-End", quota->period_end);
    }
  }
};

}  // namespace ttads::gateway

#endif  // TTADS_SERVICES_GATEWAY_EXCHANGE_H_
