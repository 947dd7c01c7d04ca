#include "libs/tiktok/client_metrics.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "libs/tiktok/error_class.h"

namespace ttads::tiktok {

std::string OutcomeCode(const absl::Status& status) {
  if (status.ok()) return "0";
  std::optional<TikTokErrorInfo> info = GetTikTokErrorInfo(status);
  if (info.has_value() && info->code != 0) return absl::StrCat(info->code);
  if (info.has_value() && info->http_status != 0) {
    return absl::StrCat("http_", info->http_status);
  }
  return absl::StatusCodeToString(status.code());
}

namespace {

prometheus::Counter& PlainCounter(prometheus::Registry& registry,
                                  const std::string& name,
                                  const std::string& help) {
  return prometheus::BuildCounter()
      .Name(name)
      .Help(help)
      .Register(registry)
      .Add({});
}

}  // namespace

ClientMetrics::ClientMetrics(std::shared_ptr<prometheus::Registry> shared)
    : registry_(std::move(shared)),
      calls_(&prometheus::BuildCounter()
                  .Name("tiktok_api_calls_total")
                  .Help("TikTok API calls finished, by endpoint and code")
                  .Register(*registry_)),
      seconds_(&prometheus::BuildHistogram()
                    .Name("tiktok_api_call_seconds")
                    .Help("TikTok API call time in seconds, waits and "
                          "retries included")
                    .Register(*registry_)),
      attempts_(PlainCounter(*registry_, "tiktok_api_attempts_total",
                             "HTTP attempts made to TikTok")),
      retries_(PlainCounter(*registry_, "tiktok_api_retries_total",
                            "Attempts that repeated a failed one")),
      limiter_waits_(PlainCounter(*registry_, "tiktok_api_limiter_waits_total",
                                  "Attempts delayed for a rate-limit slot")),
      limiter_rejects_(
          PlainCounter(*registry_, "tiktok_api_limiter_rejects_total",
                       "Calls failed: no rate-limit slot within the deadline")),
      limiter_errors_(PlainCounter(
          *registry_, "tiktok_api_limiter_errors_total",
          "Calls sent unlimited because the limiter was unreachable")),
      in_flight_(prometheus::BuildGauge()
                     .Name("tiktok_api_in_flight")
                     .Help("Transfers in progress")
                     .Register(*registry_)
                     .Add({})) {}

ClientMetrics::~ClientMetrics() = default;

std::function<void(const CallOutcome&)> ClientMetrics::Observer() {
  return [this](const CallOutcome& outcome) { Record(outcome); };
}

void ClientMetrics::Record(const CallOutcome& outcome) {
  // Never destroyed: a call may finish while the process exits.
  static const auto* const kBuckets =
      new prometheus::Histogram::BucketBoundaries{
          0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
  const std::string endpoint(outcome.endpoint);
  calls_
      ->Add(
          {{"endpoint", endpoint},
           {"code", OutcomeCode(outcome.status != nullptr ? *outcome.status
                                                          : absl::OkStatus())}})
      .Increment();
  seconds_->Add({{"endpoint", endpoint}}, *kBuckets)
      .Observe(absl::ToDoubleSeconds(outcome.elapsed));
  CatchUp();
}

void ClientMetrics::Watch(const Client* client) { client_.store(client); }

void ClientMetrics::CatchUp() {
  const Client* client = client_.load();
  if (client == nullptr) return;
  const Client::Stats now = client->stats();
  absl::MutexLock lock(&mu_);
  auto advance = [](prometheus::Counter& counter, int64_t now, int64_t& seen) {
    if (now > seen) counter.Increment(static_cast<double>(now - seen));
    seen = std::max(seen, now);
  };
  advance(attempts_, now.attempts, seen_.attempts);
  advance(retries_, now.retries, seen_.retries);
  advance(limiter_waits_, now.limiter_waits, seen_.limiter_waits);
  advance(limiter_rejects_, now.limiter_rejects, seen_.limiter_rejects);
  advance(limiter_errors_, now.limiter_errors, seen_.limiter_errors);
  in_flight_.Set(static_cast<double>(now.in_flight));
}

}  // namespace ttads::tiktok
