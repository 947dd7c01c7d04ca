#include "services/gateway/request_metrics.h"

#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "prometheus/text_serializer.h"

namespace ttads::gateway {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string Exposition(prometheus::Registry& registry) {
  return prometheus::TextSerializer().Serialize(registry.Collect());
}

TEST(RequestMetricsTest, CountsEachMethodRouteAndStatusInItsOwnSeries) {
  prometheus::Registry registry;
  RequestMetrics metrics(registry);
  const std::string route = "/v1/advertisers/{advertiser_id}/ads";
  metrics.Record("GET", route, 200, absl::Milliseconds(2));
  metrics.Record("GET", route, 200, absl::Milliseconds(3));
  metrics.Record("GET", route, 404, absl::Milliseconds(1));
  metrics.Record("POST", route, 200, absl::Milliseconds(1));
  metrics.Record("GET", "/healthz", 200, absl::Seconds(20));
  const std::string text = Exposition(registry);
  EXPECT_THAT(text,
              HasSubstr(R"(http_requests_total{code="200",method="GET",)"
                        R"(route="/v1/advertisers/{advertiser_id}/ads"} 2)"));
  EXPECT_THAT(text,
              HasSubstr(R"(http_requests_total{code="404",method="GET",)"
                        R"(route="/v1/advertisers/{advertiser_id}/ads"} 1)"));
  EXPECT_THAT(text,
              HasSubstr(R"(http_requests_total{code="200",method="POST",)"
                        R"(route="/v1/advertisers/{advertiser_id}/ads"} 1)"));
  EXPECT_THAT(text, HasSubstr(R"(http_requests_total{code="200",method="GET",)"
                              R"(route="/healthz"} 1)"));
  EXPECT_THAT(text,
              HasSubstr(R"(http_request_duration_seconds_count{method="GET",)"
                        R"(route="/v1/advertisers/{advertiser_id}/ads"} 3)"));
  EXPECT_THAT(text,
              HasSubstr(R"(http_request_duration_seconds_bucket{method="GET",)"
                        R"(route="/v1/advertisers/{advertiser_id}/ads",)"
                        R"(le="0.0025"} 2)"));
  EXPECT_THAT(text,
              HasSubstr(R"(http_request_duration_seconds_bucket{method="GET",)"
                        R"(route="/healthz",le="10"} 0)"));
}

// A client may send any token as the method; the label stays bounded.
TEST(RequestMetricsTest, UnknownHttpMethodsShareOneLabel) {
  prometheus::Registry registry;
  RequestMetrics metrics(registry);
  metrics.Record("BREW", "unmatched", 404, absl::Milliseconds(1));
  metrics.Record("X-ANYTHING", "unmatched", 404, absl::Milliseconds(1));
  const std::string text = Exposition(registry);
  EXPECT_THAT(text, HasSubstr(R"(http_requests_total{code="404",)"
                              R"(method="OTHER",route="unmatched"} 2)"));
  EXPECT_THAT(text, Not(HasSubstr("BREW")));
  EXPECT_EQ(RequestMetrics::MethodLabel("DELETE"), "DELETE");
}

TEST(RequestMetricsTest, ConcurrentRecordsAreAllCounted) {
  prometheus::Registry registry;
  RequestMetrics metrics(registry);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&metrics, t] {
      for (int i = 0; i < 1000; ++i) {
        metrics.Record("GET", absl::StrCat("/r", i % 3), 200 + t % 2,
                       absl::Milliseconds(1));
      }
    });
  }
  for (auto& thread : threads) thread.join();
  const std::string text = Exposition(registry);
  // /r0: i % 3 == 0 for 334 of 1000, from two threads per status.
  EXPECT_THAT(text, HasSubstr(R"(http_requests_total{code="200",method="GET",)"
                              R"(route="/r0"} 668)"));
  EXPECT_THAT(text, HasSubstr(R"(http_requests_total{code="201",method="GET",)"
                              R"(route="/r2"} 666)"));
}

}  // namespace
}  // namespace ttads::gateway
