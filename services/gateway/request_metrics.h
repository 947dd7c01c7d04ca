#ifndef TTADS_SERVICES_GATEWAY_REQUEST_METRICS_H_
#define TTADS_SERVICES_GATEWAY_REQUEST_METRICS_H_

// The gateway's per-request metrics, with the HTTP labels Prometheus' own
// HTTP instrumentation and the common dashboards use (docs/observability.md):
//   http_requests_total{method, route, code}          counter
//   http_request_duration_seconds{method, route}      histogram (time to the
//                                                     response head)
// `method` is the HTTP method (GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS;
// anything else "OTHER"), `route` the matched route's path template as the
// proto's google.api.http binding writes it ("/v1/advertisers/{advertiser_id}
// /ads"), a built-in's path ("/healthz"), or "unmatched"; `code` the HTTP
// status. Labels never carry a raw path, so the series stay bounded.
//
// Each series is looked up in prometheus-cpp once (which builds a label map
// and takes the family's lock) and kept: later requests of the same route
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
  void Record(absl::string_view http_method, absl::string_view route,
              int status, absl::Duration latency);

  // The `method` label of HTTP method `http_method`.
  static absl::string_view MethodLabel(absl::string_view http_method);

 private:
  struct RouteSeries {
    prometheus::Histogram* latency = nullptr;
    absl::flat_hash_map<int, prometheus::Counter*> by_status;
  };
  // The series of (method, route, status), created on first use.
  std::pair<prometheus::Counter*, prometheus::Histogram*> Series(
      absl::string_view method, absl::string_view route, int status);

  prometheus::Family<prometheus::Counter>* requests_;
  prometheus::Family<prometheus::Histogram>* latency_;
  absl::Mutex mu_;
  // Keyed by "METHOD route". Node map: RouteSeries addresses stay put while
  // others are added.
  absl::flat_hash_map<std::string, std::unique_ptr<RouteSeries>> series_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace ttads::gateway

#endif  // TTADS_SERVICES_GATEWAY_REQUEST_METRICS_H_
