#ifndef TTADS_LIBS_SERVER_SERVER_RUNNER_H_
#define TTADS_LIBS_SERVER_SERVER_RUNNER_H_

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "grpcpp/server.h"
#include "grpcpp/support/server_interceptor.h"
#include "libs/server/metrics.h"
#include "libs/server/reflection_service.h"

namespace ttads::server {

struct ServerOptions {
  // Short name used in logs and metrics, e.g. "identity".
  std::string name;
  // gRPC listen address, "host:port" (port 0 picks a free one).
  std::string listen_address = "127.0.0.1:0";
  // Prometheus exposer address; empty disables it.
  std::string admin_address;
  // After SIGTERM/Shutdown(): health reports NOT_SERVING for this long while
  // in-flight and late calls are still served, then the server stops.
  absl::Duration drain = absl::Seconds(5);
  // Grace for in-flight calls once the drain is over.
  absl::Duration shutdown_grace = absl::Seconds(5);
  // A client connection is closed (GOAWAY) after about this long (gRPC adds
  // ±10 % jitter), so long-lived channels re-resolve their target and reach
  // replicas started since they connected; calls still running get
  // `max_connection_age_grace` to finish. Zero: connections live forever.
  absl::Duration max_connection_age = absl::Minutes(5);
  absl::Duration max_connection_age_grace = absl::Seconds(30);
};

// The bootstrap every ttads server uses: the gRPC health service (one status
// per registered service plus the overall "" entry), server reflection v1
// and v1alpha with the protos' comments (reflection_service.h: grpcurl and
// `buf curl` work, and `describe` documents, without .proto files),
// INVALID_ARGUMENT for requests that do
// not decode (DecodeGuardFactory), the metrics exposer, and a graceful
// drain on SIGTERM/SIGINT that flips health to NOT_SERVING before stopping.
class ServerRunner {
 public:
  explicit ServerRunner(ServerOptions options);
  ~ServerRunner();

  // Registers a service under its full name (e.g.
  // IdentityService::service_full_name()); call before Start().
  void AddService(grpc::Service* service, std::string full_name);

  // Builds and starts the server; every registered service reports SERVING.
  absl::Status Start();

  // The bound gRPC port (after Start()).
  int port() const { return port_; }
  Metrics& metrics() { return metrics_; }

  // Drains then stops; idempotent, callable from any thread.
  void Shutdown();

  // Blocks until Shutdown() has completed.
  void Wait();

  // Blocks SIGTERM/SIGINT in the calling thread (call first thing in main,
  // before any thread starts), then — from RunUntilSignal — waits for one of
  // them and shuts down.
  static void BlockTerminationSignals();
  void RunUntilSignal();

 private:
  ServerOptions options_;
  std::vector<std::pair<grpc::Service*, std::string>> services_;
  std::unique_ptr<ReflectionV1> reflection_v1_;
  std::unique_ptr<ReflectionV1Alpha> reflection_v1alpha_;
  std::unique_ptr<grpc::Server> server_;
  Metrics metrics_;
  int port_ = 0;
  std::once_flag shutdown_once_;
  std::mutex done_mu_;
  bool done_ = false;
  std::condition_variable done_cv_;
};

}  // namespace ttads::server

#endif  // TTADS_LIBS_SERVER_SERVER_RUNNER_H_
