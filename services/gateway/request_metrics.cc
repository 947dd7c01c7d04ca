#include "services/gateway/request_metrics.h"

#include "absl/strings/str_cat.h"

namespace ttads::gateway {

RequestMetrics::RequestMetrics(prometheus::Registry& registry)
    : requests_(&prometheus::BuildCounter()
                     .Name("http_requests_total")
                     .Help("HTTP requests answered, by method, route "
                           "template and status code")
                     .Register(registry)),
      latency_(&prometheus::BuildHistogram()
                    .Name("http_request_duration_seconds")
                    .Help("Time to the response head in seconds, by method "
                          "and route template")
                    .Register(registry)) {}

absl::string_view RequestMetrics::MethodLabel(absl::string_view http_method) {
  for (absl::string_view known :
       {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}) {
    if (http_method == known) return known;
  }
  return "OTHER";
}

std::pair<prometheus::Counter*, prometheus::Histogram*> RequestMetrics::Series(
    absl::string_view method, absl::string_view route, int status) {
  const std::string key = absl::StrCat(method, " ", route);
  {
    absl::ReaderMutexLock lock(&mu_);
    auto it = series_.find(key);
    if (it != series_.end()) {
      auto counter = it->second->by_status.find(status);
      if (counter != it->second->by_status.end()) {
        return {counter->second, it->second->latency};
      }
    }
  }
  absl::MutexLock lock(&mu_);
  std::unique_ptr<RouteSeries>& entry = series_[key];
  if (entry == nullptr) {
    entry = std::make_unique<RouteSeries>();
    entry->latency = &latency_->Add(
        {{"method", std::string(method)}, {"route", std::string(route)}},
        prometheus::Histogram::BucketBoundaries{0.001, 0.0025, 0.005, 0.01,
                                                0.025, 0.05, 0.1, 0.25, 0.5, 1,
                                                2.5, 5, 10});
  }
  prometheus::Counter*& counter = entry->by_status[status];
  if (counter == nullptr) {
    counter = &requests_->Add({{"method", std::string(method)},
                               {"route", std::string(route)},
                               {"code", absl::StrCat(status)}});
  }
  return {counter, entry->latency};
}

void RequestMetrics::Record(absl::string_view http_method,
                            absl::string_view route, int status,
                            absl::Duration latency) {
  auto [counter, histogram] = Series(MethodLabel(http_method), route, status);
  counter->Increment();
  histogram->Observe(absl::ToDoubleSeconds(latency));
}

}  // namespace ttads::gateway
