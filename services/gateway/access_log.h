#ifndef TTADS_SERVICES_GATEWAY_ACCESS_LOG_H_
#define TTADS_SERVICES_GATEWAY_ACCESS_LOG_H_

// The gateway's access log: one JSON line (libs/log, msg "request") per
// answered HTTP request, written when the answer is complete (a server
// stream: when it ends):
//   {"msg":"request","http_method":"POST","route":"/v1/ads/create",
//    "status":200,"ms":12.5,"bytes":345,"request_id":"...",
//    "trace_id":"<32 hex>","span_id":"<16 hex>","parent_span_id":"<16 hex or
//    empty>","peer":"10.0.0.7:51234","team_id":"..."}
// `route` is the matched binding's path template (as in
// http_requests_total), a built-in's path, or "unmatched" — never a raw
// path; `bytes` the response body's size. 5xx answers are logged at error,
// 4xx at warn, both always; the others at info, sampled at
// TTADS_ACCESS_LOG_SAMPLE_PERCENT (log::SampleAccess).

#include <cstddef>
#include <string_view>

#include "absl/time/time.h"
#include "libs/trace/trace_context.h"

namespace ttads::gateway {

struct AccessRecord {
  std::string_view http_method;
  std::string_view route;
  int status = 0;
  absl::Duration duration;
  size_t bytes = 0;
  std::string_view request_id;
  const trace::TraceContext* trace = nullptr;
  std::string_view peer;
  std::string_view team_id;
};

void LogAccess(const AccessRecord& record);

}  // namespace ttads::gateway

#endif  // TTADS_SERVICES_GATEWAY_ACCESS_LOG_H_
