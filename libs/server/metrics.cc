#include "libs/server/metrics.h"

#include <exception>

#include "absl/strings/str_cat.h"
#include "libs/server/metrics_interceptors.h"
#include "prometheus/exposer.h"

namespace ttads::server {

Metrics::Metrics(std::string service)
    : service_(std::move(service)),
      registry_(std::make_shared<prometheus::Registry>()),
      server_calls_(*registry_, "server"),
      client_calls_(*registry_, "client"),
      process_(std::make_shared<ProcessCollector>()) {}

Metrics::~Metrics() = default;

absl::Status Metrics::Serve(const std::string& admin_address) {
  try {
    exposer_ = std::make_unique<prometheus::Exposer>(admin_address, 2);
    exposer_->RegisterCollectable(registry_);
    exposer_->RegisterCollectable(process_);
  } catch (const std::exception& e) {
    return absl::UnavailableError(absl::StrCat("cannot serve metrics on ",
                                               admin_address, ": ", e.what()));
  }
  return absl::OkStatus();
}

int Metrics::port() const {
  if (!exposer_) return 0;
  auto ports = exposer_->GetListeningPorts();
  return ports.empty() ? 0 : ports.front();
}

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
Metrics::ServerInterceptor() {
  return std::make_unique<ServerMetricsInterceptorFactory>(&server_calls_);
}

std::shared_ptr<grpc::Channel> Metrics::InternalChannel(
    const std::string& address) {
  return server::InternalChannel(address, &client_calls_);
}

}  // namespace ttads::server
