#include "libs/store/redis_metrics.h"

#include <string>

#include "absl/strings/ascii.h"

namespace ttads::store {

RedisMetrics::RedisMetrics(std::shared_ptr<prometheus::Registry> registry)
    : registry_(std::move(registry)),
      duration_(&prometheus::BuildHistogram()
                     .Name("redis_command_duration_seconds")
                     .Help("Redis Command/Pipeline call time in seconds, "
                           "pool wait, redirects and retries included")
                     .Register(*registry_)
                     .Add({},
                          prometheus::Histogram::BucketBoundaries{
                              0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                              0.1, 0.25, 0.5, 1, 2.5, 5})),
      errors_(&prometheus::BuildCounter()
                   .Name("redis_errors_total")
                   .Help("Redis failures and Cluster redirects, by kind")
                   .Register(*registry_)) {}

void RedisMetrics::ObserveCall(std::chrono::steady_clock::duration took,
                               const absl::Status& status) {
  duration_->Observe(std::chrono::duration<double>(took).count());
  if (!status.ok()) {
    CountError(absl::AsciiStrToLower(absl::StatusCodeToString(status.code())));
  }
}

void RedisMetrics::CountError(std::string_view kind) {
  errors_->Add({{"kind", std::string(kind)}}).Increment();
}

}  // namespace ttads::store
