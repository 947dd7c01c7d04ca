// The TikTok client's metrics: calls by endpoint and code, their time, and
// the client's own counters, recorded through ClientOptions::on_finish from
// a real Client talking to a local HTTP server.
#include "libs/tiktok/client_metrics.h"

#include <atomic>
#include <map>
#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "libs/http/server.h"
#include "libs/testing/status_matchers.h"
#include "libs/tiktok/error_class.h"
#include "prometheus/registry.h"

namespace ttads::tiktok {
namespace {

using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

// The value of `name` (a counter, a gauge, or a histogram's sample count)
// whose labels are exactly `labels`; -1 when there is no such series.
double Value(prometheus::Registry& registry, const std::string& name,
             const std::map<std::string, std::string>& labels) {
  for (const auto& family : registry.Collect()) {
    if (family.name != name) continue;
    for (const auto& metric : family.metric) {
      std::map<std::string, std::string> got;
      for (const auto& l : metric.label) got[l.name] = l.value;
      if (got != labels) continue;
      switch (family.type) {
        case prometheus::MetricType::Histogram:
          return static_cast<double>(metric.histogram.sample_count);
        case prometheus::MetricType::Gauge:
          return metric.gauge.value;
        default:
          return metric.counter.value;
      }
    }
  }
  return -1;
}

TEST(OutcomeCodeTest, NamesTikTokCodesHttpStatusesAndTransportFailures) {
  EXPECT_EQ(OutcomeCode(absl::OkStatus()), "0");
  absl::Status throttled = absl::ResourceExhaustedError("too many");
  SetTikTokErrorInfo(throttled, {.code = 40100, .http_status = 200});
  EXPECT_EQ(OutcomeCode(throttled), "40100");
  absl::Status bad_gateway = absl::UnavailableError("502");
  SetTikTokErrorInfo(bad_gateway, {.code = 0, .http_status = 502});
  EXPECT_EQ(OutcomeCode(bad_gateway), "http_502");
  EXPECT_EQ(OutcomeCode(absl::DeadlineExceededError("late")),
            "DEADLINE_EXCEEDED");
}

TEST(ClientMetricsTest, CountsCallsByEndpointAndCodeFromARealClient) {
  std::atomic<int> n{0};
  http::HttpServer server(
      http::HttpServer::Options{},
      [&n](http::HttpRequest request, http::HttpResponder responder) {
        // identity/get/ succeeds; ad/get/ is throttled once, then succeeds.
        const bool throttle =
            absl::StrContains(request.target, "ad/get/") && n.fetch_add(1) == 0;
        responder.Send(http::HttpResponse::Json(
            200, throttle ? R"({"code":40100,"message":"too many requests",)"
                            R"("request_id":"r1","data":{}})"
                          : R"({"code":0,"message":"OK","request_id":"r2",)"
                            R"("data":{"list":[]}})"));
      });
  ASSERT_THAT(server.Start(), IsOk());

  auto shared_registry = std::make_shared<prometheus::Registry>();
  prometheus::Registry& registry = *shared_registry;
  ClientMetrics metrics(shared_registry);
  ClientOptions options;
  options.base_url =
      absl::StrCat("http://127.0.0.1:", server.port(), "/open_api/v1.3/");
  options.app_id = "test-app";
  options.backoff.initial = absl::Milliseconds(5);
  options.backoff.max = absl::Milliseconds(20);
  options.on_finish = metrics.Observer();
  auto client = Client::Create(std::move(options));
  ASSERT_THAT(client, IsOk());
  metrics.Watch(client->get());

  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  EXPECT_THAT(
      (*client)->Call(HttpCall::Get("/identity/get/", {{"a", "1"}}, "tok"),
                      deadline),
      IsOk());
  EXPECT_THAT(
      (*client)->Call(HttpCall::Get("identity/get/", {{"a", "2"}}, "tok"),
                      deadline),
      IsOk());
  // Retried after the 40100: one call, two attempts, one retry.
  EXPECT_THAT((*client)->Call(HttpCall::Get("ad/get/", {}, "tok"), deadline),
              IsOk());
  HttpCall no_retry = HttpCall::Get("ad/get/", {}, "tok");
  no_retry.retry = false;
  n = 0;  // throttled again, and this call gives up at once
  EXPECT_THAT((*client)->Call(std::move(no_retry), deadline),
              StatusIs(absl::StatusCode::kResourceExhausted));

  EXPECT_EQ(Value(registry, "tiktok_api_calls_total",
                  {{"endpoint", "identity/get/"}, {"code", "0"}}),
            2);
  EXPECT_EQ(Value(registry, "tiktok_api_calls_total",
                  {{"endpoint", "ad/get/"}, {"code", "0"}}),
            1);
  EXPECT_EQ(Value(registry, "tiktok_api_calls_total",
                  {{"endpoint", "ad/get/"}, {"code", "40100"}}),
            1);
  EXPECT_EQ(
      Value(registry, "tiktok_api_call_seconds", {{"endpoint", "ad/get/"}}), 2);
  EXPECT_EQ(Value(registry, "tiktok_api_attempts_total", {}), 5);
  EXPECT_EQ(Value(registry, "tiktok_api_retries_total", {}), 1);
  EXPECT_EQ(Value(registry, "tiktok_api_limiter_rejects_total", {}), 0);
  EXPECT_EQ(Value(registry, "tiktok_api_in_flight", {}), 0);
  metrics.Watch(nullptr);
  client->reset();
  server.Stop();
}

}  // namespace
}  // namespace ttads::tiktok
