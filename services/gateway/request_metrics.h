#ifndef TTADS_SERVICES_GATEWAY_REQUEST_METRICS_H_
#define TTADS_SERVICES_GATEWAY_REQUEST_METRICS_H_

// The gateway's per-request metrics:
//   ttads_gateway_requests_total{method, code}   counter
//   ttads_gateway_request_seconds{method}        histogram (time to the head)
// `method` is the gRPC method (or the built-in path), `code` the HTTP status.
//
// Each series is looked up in prometheus-cpp once (which builds a label map
// and takes the family's lock) and kept: later requests of the same method
// and status find it under a shared lock. Thread-safe.

#include <memory>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"

namespace ttads::gateway {

class RequestMetrics {
 public:
  explicit RequestMetrics(prometheus::Registry& registry);

  // Counts one answered request and observes its latency.
  void Record(absl::string_view method, int status, absl::Duration latency);

 private:
  struct MethodSeries {
    prometheus::Histogram* latency = nullptr;
    absl::flat_hash_map<int, prometheus::Counter*> by_status;
  };
  // The series of (method, status), created on first use.
  std::pair<prometheus::Counter*, prometheus::Histogram*> Series(
      absl::string_view method, int status);

  prometheus::Family<prometheus::Counter>* requests_;
  prometheus::Family<prometheus::Histogram>* latency_;
  absl::Mutex mu_;
  // Node map: MethodSeries addresses stay put while others are added.
  absl::flat_hash_map<std::string, std::unique_ptr<MethodSeries>> series_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace ttads::gateway

#endif  // TTADS_SERVICES_GATEWAY_REQUEST_METRICS_H_
