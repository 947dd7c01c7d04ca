#include "services/gateway/request_metrics.h"

#include "absl/strings/str_cat.h"

namespace ttads::gateway {

RequestMetrics::RequestMetrics(prometheus::Registry& registry)
    : requests_(&prometheus::BuildCounter()
                     .Name("ttads_gateway_requests_total")
                     .Help("HTTP requests by gRPC method (or built-in) and "
                           "status")
                     .Register(registry)),
      latency_(&prometheus::BuildHistogram()
                    .Name("ttads_gateway_request_seconds")
                    .Help("Time to the response head, by method")
                    .Register(registry)) {}

std::pair<prometheus::Counter*, prometheus::Histogram*> RequestMetrics::Series(
    absl::string_view method, int status) {
  {
    absl::ReaderMutexLock lock(&mu_);
    auto it = series_.find(method);
    if (it != series_.end()) {
      auto counter = it->second->by_status.find(status);
      if (counter != it->second->by_status.end()) {
        return {counter->second, it->second->latency};
      }
    }
  }
  absl::MutexLock lock(&mu_);
  std::unique_ptr<MethodSeries>& entry = series_[method];
  if (entry == nullptr) {
    entry = std::make_unique<MethodSeries>();
    entry->latency = &latency_->Add({{"method", std::string(method)}},
                                    prometheus::Histogram::BucketBoundaries{
                                        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                        0.1, 0.25, 0.5, 1, 2.5, 5, 10});
  }
  prometheus::Counter*& counter = entry->by_status[status];
  if (counter == nullptr) {
    counter = &requests_->Add(
        {{"method", std::string(method)}, {"code", absl::StrCat(status)}});
  }
  return {counter, entry->latency};
}

void RequestMetrics::Record(absl::string_view method, int status,
                            absl::Duration latency) {
  auto [counter, histogram] = Series(method, status);
  counter->Increment();
  histogram->Observe(absl::ToDoubleSeconds(latency));
}

}  // namespace ttads::gateway
