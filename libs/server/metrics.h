#ifndef TTADS_LIBS_SERVER_METRICS_H_
#define TTADS_LIBS_SERVER_METRICS_H_

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "prometheus/counter.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"

namespace prometheus {
class Exposer;
}

namespace ttads::server {

// Prometheus metrics of one process. `ttads_grpc_calls_total{service,method,
// code}` and `ttads_grpc_call_seconds{service,method}` are recorded for every
// call by the unary/stream helpers; other components register their own
// families on registry(). Serve() exposes `/metrics` on the admin address.
class Metrics {
 public:
  explicit Metrics(std::string service);
  ~Metrics();

  // Starts the HTTP exposer ("host:port"; port 0 picks one). Errors:
  // UNAVAILABLE when the address cannot be bound.
  absl::Status Serve(const std::string& admin_address);
  // Port the exposer listens on (after Serve), or 0.
  int port() const;

  void RecordCall(std::string_view method, absl::StatusCode code,
                  absl::Duration elapsed);

  prometheus::Registry& registry() { return *registry_; }

 private:
  std::string service_;
  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>* calls_;
  prometheus::Family<prometheus::Histogram>* latency_;
  std::unique_ptr<prometheus::Exposer> exposer_;
};

}  // namespace ttads::server

#endif  // TTADS_LIBS_SERVER_METRICS_H_
