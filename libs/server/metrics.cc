#include "libs/server/metrics.h"

#include <exception>

#include "absl/strings/str_cat.h"
#include "prometheus/exposer.h"

namespace ttads::server {

Metrics::Metrics(std::string service)
    : service_(std::move(service)),
      registry_(std::make_shared<prometheus::Registry>()) {
  calls_ = &prometheus::BuildCounter()
                .Name("ttads_grpc_calls_total")
                .Help("gRPC calls served, by method and status code")
                .Register(*registry_);
  latency_ = &prometheus::BuildHistogram()
                  .Name("ttads_grpc_call_seconds")
                  .Help("gRPC call latency in seconds")
                  .Register(*registry_);
}

Metrics::~Metrics() = default;

absl::Status Metrics::Serve(const std::string& admin_address) {
  try {
    exposer_ = std::make_unique<prometheus::Exposer>(admin_address, 2);
    exposer_->RegisterCollectable(registry_);
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

void Metrics::RecordCall(std::string_view method, absl::StatusCode code,
                         absl::Duration elapsed) {
  // Never destroyed: a call that finishes while the process exits (a server
  // thread outliving static destruction) must not read a destroyed vector.
  static const auto* const kBuckets =
      new prometheus::Histogram::BucketBoundaries{
          0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
          0.1,    0.25,  0.5,    1,     2.5,  5,     10};
  calls_
      ->Add({{"service", service_},
             {"method", std::string(method)},
             {"code", absl::StatusCodeToString(code)}})
      .Increment();
  latency_
      ->Add({{"service", service_}, {"method", std::string(method)}}, *kBuckets)
      .Observe(absl::ToDoubleSeconds(elapsed));
}

}  // namespace ttads::server
