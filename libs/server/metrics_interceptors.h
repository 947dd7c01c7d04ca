#ifndef TTADS_LIBS_SERVER_METRICS_INTERCEPTORS_H_
#define TTADS_LIBS_SERVER_METRICS_INTERCEPTORS_H_

// gRPC interceptors that record every call in RpcMetrics (rpc_metrics.h):
// started when the call's initial metadata arrives (server) or is sent
// (client), handled with the status actually sent (server, after any other
// interceptor such as DecodeGuard replaced it) or received (client), and
// the time in between. ServerRunner installs the server one on every
// server; channels from one ttads service to another are made with
// InternalChannel so the caller's side is counted too.

#include <memory>
#include <string>

#include "grpcpp/channel.h"
#include "grpcpp/support/client_interceptor.h"
#include "grpcpp/support/server_interceptor.h"
#include "libs/server/rpc_metrics.h"

namespace ttads::server {

class ServerMetricsInterceptorFactory
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  // `metrics` (side "server") must outlive the server.
  explicit ServerMetricsInterceptorFactory(RpcMetrics* metrics)
      : metrics_(metrics) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  RpcMetrics* metrics_;
};

class ClientMetricsInterceptorFactory
    : public grpc::experimental::ClientInterceptorFactoryInterface {
 public:
  // `metrics` (side "client") must outlive every channel using this.
  explicit ClientMetricsInterceptorFactory(RpcMetrics* metrics)
      : metrics_(metrics) {}
  grpc::experimental::Interceptor* CreateClientInterceptor(
      grpc::experimental::ClientRpcInfo* info) override;

 private:
  RpcMetrics* metrics_;
};

// An insecure channel to `address` whose calls are recorded in `metrics`
// (side "client") and carry the current trace (trace_interceptor.h), for
// calls between the suite's own services.
std::shared_ptr<grpc::Channel> InternalChannel(const std::string& address,
                                               RpcMetrics* metrics);

}  // namespace ttads::server

#endif  // TTADS_LIBS_SERVER_METRICS_INTERCEPTORS_H_
