#ifndef TTADS_LIBS_SERVER_METRICS_H_
#define TTADS_LIBS_SERVER_METRICS_H_

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "grpcpp/channel.h"
#include "grpcpp/support/server_interceptor.h"
#include "libs/server/metrics_process.h"
#include "libs/server/rpc_metrics.h"
#include "prometheus/registry.h"

namespace prometheus {
class Exposer;
}

namespace ttads::server {

// Prometheus metrics of one process (docs/observability.md). Every call a
// server built with ServerInterceptor() serves is recorded as
// grpc_server_{started,handled}_total / grpc_server_handling_seconds, and
// every call made on an InternalChannel() as grpc_client_* (rpc_metrics.h:
// go-grpc-prometheus' names and labels). Other components register their
// own families on registry(). Serve() exposes `/metrics` on the admin
// address: the registry and the standard process metrics
// (metrics_process.h).
class Metrics {
 public:
  // `service` is the process's short name ("ads"); Prometheus' scrape adds
  // job and instance labels, so no series carries it.
  explicit Metrics(std::string service);
  ~Metrics();

  // Starts the HTTP exposer ("host:port"; port 0 picks one). Errors:
  // UNAVAILABLE when the address cannot be bound.
  absl::Status Serve(const std::string& admin_address);
  // Port the exposer listens on (after Serve), or 0.
  int port() const;

  // The interceptor that records this process's served calls; install it
  // on the server (ServerRunner does).
  std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
  ServerInterceptor();

  // An insecure channel to another ttads service at `address` (a gRPC
  // target) whose calls are recorded as grpc_client_*; balanced and
  // health-checked as CreatePeerChannel's (libs/server/peer_channel.h).
  std::shared_ptr<grpc::Channel> InternalChannel(const std::string& address);

  const std::string& service() const { return service_; }
  prometheus::Registry& registry() { return *registry_; }
  // The same registry, for families that must outlive this object.
  std::shared_ptr<prometheus::Registry> shared_registry() { return registry_; }

 private:
  std::string service_;
  std::shared_ptr<prometheus::Registry> registry_;
  RpcMetrics server_calls_;
  RpcMetrics client_calls_;
  std::shared_ptr<ProcessCollector> process_;
  std::unique_ptr<prometheus::Exposer> exposer_;
};

}  // namespace ttads::server

#endif  // TTADS_LIBS_SERVER_METRICS_H_
