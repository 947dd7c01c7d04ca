#ifndef TTADS_TESTS_SUPPORT_CALL_COUNTER_H_
#define TTADS_TESTS_SUPPORT_CALL_COUNTER_H_

#include <string>

#include "absl/status/status.h"
#include "libs/server/rpc_metrics.h"
#include "prometheus/registry.h"

namespace ttads::testing {

// The value of grpc_server_handled_total{grpc_method=`method`,
// grpc_code=...} in `registry` (0 when the series does not exist yet),
// summed over services and call types. `code` is the status code as absl
// and the gRPC spec spell it ("OK", "INVALID_ARGUMENT"); the series carry
// go-grpc-prometheus' spelling ("InvalidArgument", libs/server/rpc_metrics.h).
inline double GrpcCallsTotal(prometheus::Registry& registry,
                             const std::string& method,
                             const std::string& code) {
  std::string label = code;
  for (int c = 0; c <= 16; ++c) {
    if (absl::StatusCodeToString(static_cast<absl::StatusCode>(c)) == code) {
      label = server::GrpcCodeLabel(c);
    }
  }
  double total = 0.0;
  for (const auto& family : registry.Collect()) {
    if (family.name != "grpc_server_handled_total") continue;
    for (const auto& metric : family.metric) {
      bool method_matches = false, code_matches = false;
      for (const auto& l : metric.label) {
        method_matches |= l.name == "grpc_method" && l.value == method;
        code_matches |= l.name == "grpc_code" && l.value == label;
      }
      if (method_matches && code_matches) total += metric.counter.value;
    }
  }
  return total;
}

}  // namespace ttads::testing

#endif  // TTADS_TESTS_SUPPORT_CALL_COUNTER_H_
