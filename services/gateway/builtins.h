#ifndef TTADS_SERVICES_GATEWAY_BUILTINS_H_
#define TTADS_SERVICES_GATEWAY_BUILTINS_H_

// The gateway's own endpoints, answered without authentication or quota:
//
// - GET /healthz: {"status":"ok"} while the process runs.
// - GET /readyz: grpc.health.v1 Check("") on every backend address in
//   parallel (each within `ready_timeout`); 200 when all are SERVING, else
//   503 listing each address, its services and why it is not ready.
// - GET /metrics: Prometheus text of `registry` and the process metrics
//   (libs/server/metrics_process.h).
// - GET /openapi.json: the OpenAPI 3.1 document of the route table.
// - GET /docs (and its assets): the interactive API page (docs_page.h).

#include <chrono>
#include <memory>
#include <string>

#include "absl/strings/string_view.h"
#include "libs/server/metrics_process.h"
#include "prometheus/registry.h"
#include "services/gateway/answering.h"
#include "services/gateway/backend_pool.h"
#include "services/gateway/exchange.h"
#include "services/gateway/route_table.h"

namespace ttads::gateway {

class Builtins {
 public:
  Builtins(const RouteTable& routes, BackendPool& backends,
           prometheus::Registry& registry, Answering& answering,
           std::chrono::milliseconds ready_timeout);

  // Whether `method` `path` is a built-in.
  static bool Serves(absl::string_view method, absl::string_view path);
  // Answers a built-in; `ex.metric_method` holds its path.
  void Serve(const std::shared_ptr<Exchange>& ex);

  const std::string& openapi_json() const { return openapi_json_; }

 private:
  BackendPool& backends_;
  prometheus::Registry& registry_;
  server::ProcessCollector process_;
  Answering& answering_;
  std::chrono::milliseconds ready_timeout_;
  std::string openapi_json_;
};

}  // namespace ttads::gateway

#endif  // TTADS_SERVICES_GATEWAY_BUILTINS_H_
