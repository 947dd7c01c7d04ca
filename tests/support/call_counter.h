#ifndef TTADS_TESTS_SUPPORT_CALL_COUNTER_H_
#define TTADS_TESTS_SUPPORT_CALL_COUNTER_H_

#include <string>

#include "prometheus/registry.h"

namespace ttads::testing {

// The value of ttads_grpc_calls_total{method=`method`,code=`code`} in
// `registry` (0 when the series does not exist yet).
inline double GrpcCallsTotal(prometheus::Registry& registry,
                             const std::string& method,
                             const std::string& code) {
  for (const auto& family : registry.Collect()) {
    if (family.name != "ttads_grpc_calls_total") continue;
    for (const auto& metric : family.metric) {
      bool method_matches = false, code_matches = false;
      for (const auto& label : metric.label) {
        method_matches |= label.name == "method" && label.value == method;
        code_matches |= label.name == "code" && label.value == code;
      }
      if (method_matches && code_matches) return metric.counter.value;
    }
  }
  return 0.0;
}

}  // namespace ttads::testing

#endif  // TTADS_TESTS_SUPPORT_CALL_COUNTER_H_
