#include "services/gateway/request_metrics.h"

#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "prometheus/text_serializer.h"

namespace ttads::gateway {
namespace {

using ::testing::HasSubstr;

std::string Exposition(prometheus::Registry& registry) {
  return prometheus::TextSerializer().Serialize(registry.Collect());
}

TEST(RequestMetricsTest, CountsEachMethodAndStatusInItsOwnSeries) {
  prometheus::Registry registry;
  RequestMetrics metrics(registry);
  metrics.Record("a.B/C", 200, absl::Milliseconds(2));
  metrics.Record("a.B/C", 200, absl::Milliseconds(3));
  metrics.Record("a.B/C", 404, absl::Milliseconds(1));
  metrics.Record("/healthz", 200, absl::Seconds(20));
  const std::string text = Exposition(registry);
  EXPECT_THAT(
      text,
      HasSubstr(
          R"(ttads_gateway_requests_total{code="200",method="a.B/C"} 2)"));
  EXPECT_THAT(
      text,
      HasSubstr(
          R"(ttads_gateway_requests_total{code="404",method="a.B/C"} 1)"));
  EXPECT_THAT(
      text,
      HasSubstr(
          R"(ttads_gateway_requests_total{code="200",method="/healthz"} 1)"));
  EXPECT_THAT(
      text,
      HasSubstr(R"(ttads_gateway_request_seconds_count{method="a.B/C"} 3)"));
  EXPECT_THAT(
      text,
      HasSubstr(
          R"(ttads_gateway_request_seconds_bucket{method="a.B/C",le="0.0025"} 2)"));
  EXPECT_THAT(
      text,
      HasSubstr(
          R"(ttads_gateway_request_seconds_bucket{method="/healthz",le="10"} 0)"));
}

TEST(RequestMetricsTest, ConcurrentRecordsAreAllCounted) {
  prometheus::Registry registry;
  RequestMetrics metrics(registry);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&metrics, t] {
      for (int i = 0; i < 1000; ++i) {
        metrics.Record(absl::StrCat("m", i % 3), 200 + t % 2,
                       absl::Milliseconds(1));
      }
    });
  }
  for (auto& thread : threads) thread.join();
  const std::string text = Exposition(registry);
  // m0: i % 3 == 0 for 334 of 1000, from two threads per status.
  EXPECT_THAT(
      text,
      HasSubstr(R"(ttads_gateway_requests_total{code="200",method="m0"} 668)"));
  EXPECT_THAT(
      text,
      HasSubstr(R"(ttads_gateway_requests_total{code="201",method="m2"} 666)"));
}

}  // namespace
}  // namespace ttads::gateway
