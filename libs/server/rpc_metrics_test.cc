// gRPC metrics with go-grpc-prometheus' names and labels: the label
// spellings, and both interceptors on a real server (ServerRunner, so the
// decode guard runs too) called through an InternalChannel.
#include "libs/server/rpc_metrics.h"

#include <map>
#include <memory>
#include <string>

#include "absl/synchronization/notification.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/client_context.h"
#include "grpcpp/generic/generic_stub.h"
#include "gtest/gtest.h"
#include "libs/server/metrics.h"
#include "libs/server/server_runner.h"
#include "libs/testing/grpc_status_matchers.h"
#include "libs/testing/status_matchers.h"
#include "prometheus/registry.h"

namespace ttads::server {
namespace {

using grpc::health::v1::Health;
using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;
using ::ttads::testing::GrpcIsOk;
using ::ttads::testing::GrpcStatusIs;
using ::ttads::testing::IsOk;

// The value of the counter (or a histogram's sample count) `name` whose
// labels include all of `labels`, summed; 0 when there is none.
double Value(prometheus::Registry& registry, const std::string& name,
             const std::map<std::string, std::string>& labels) {
  double total = 0;
  for (const auto& family : registry.Collect()) {
    if (family.name != name) continue;
    for (const auto& metric : family.metric) {
      size_t matched = 0;
      for (const auto& label : metric.label) {
        auto it = labels.find(label.name);
        if (it != labels.end() && it->second == label.value) ++matched;
      }
      if (matched != labels.size()) continue;
      total += family.type == prometheus::MetricType::Histogram
                   ? static_cast<double>(metric.histogram.sample_count)
                   : metric.counter.value;
    }
  }
  return total;
}

TEST(RpcMetricsLabels, CodesAreSpeltAsGoGrpcPrometheusDoes) {
  EXPECT_EQ(GrpcCodeLabel(0), "OK");
  EXPECT_EQ(GrpcCodeLabel(1), "Canceled");
  EXPECT_EQ(GrpcCodeLabel(3), "InvalidArgument");
  EXPECT_EQ(GrpcCodeLabel(4), "DeadlineExceeded");
  EXPECT_EQ(GrpcCodeLabel(8), "ResourceExhausted");
  EXPECT_EQ(GrpcCodeLabel(9), "FailedPrecondition");
  EXPECT_EQ(GrpcCodeLabel(14), "Unavailable");
  EXPECT_EQ(GrpcCodeLabel(16), "Unauthenticated");
  EXPECT_EQ(GrpcCodeLabel(42), "42");
  EXPECT_EQ(RpcTypeLabel(RpcType::kUnary), "unary");
  EXPECT_EQ(RpcTypeLabel(RpcType::kClientStream), "client_stream");
  EXPECT_EQ(RpcTypeLabel(RpcType::kServerStream), "server_stream");
  EXPECT_EQ(RpcTypeLabel(RpcType::kBidiStream), "bidi_stream");
}

TEST(RpcMetrics, SplitsThePathAndCountsByCode) {
  prometheus::Registry registry;
  RpcMetrics metrics(registry, "server");
  RpcMetrics::Method* m =
      metrics.For("/ttads.ads.v1.AdsService/CreateAd", RpcType::kUnary);
  EXPECT_EQ(m,
            metrics.For("/ttads.ads.v1.AdsService/CreateAd", RpcType::kUnary));
  m->Started();
  m->Started();
  m->Handled(0, 0.002);
  m->Handled(8, 0.5);
  m->Handled(99, 0.1);  // not a gRPC code: counted as Unknown
  const std::map<std::string, std::string> labels = {
      {"grpc_service", "ttads.ads.v1.AdsService"},
      {"grpc_method", "CreateAd"},
      {"grpc_type", "unary"}};
  EXPECT_EQ(Value(registry, "grpc_server_started_total", labels), 2);
  auto with_code = [&](const std::string& code) {
    auto l = labels;
    l["grpc_code"] = code;
    return Value(registry, "grpc_server_handled_total", l);
  };
  EXPECT_EQ(with_code("OK"), 1);
  EXPECT_EQ(with_code("ResourceExhausted"), 1);
  EXPECT_EQ(with_code("Unknown"), 1);
  EXPECT_EQ(Value(registry, "grpc_server_handling_seconds", labels), 3);
  metrics.For("no-slashes", RpcType::kServerStream)->Started();
  EXPECT_EQ(Value(registry, "grpc_server_started_total",
                  {{"grpc_service", "unknown"},
                   {"grpc_method", "no-slashes"},
                   {"grpc_type", "server_stream"}}),
            1);
}

class RpcMetricsServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_THAT(runner_.Start(), IsOk());
    channel_ = runner_.metrics().InternalChannel(
        "127.0.0.1:" + std::to_string(runner_.port()));
  }
  void TearDown() override { runner_.Shutdown(); }

  grpc::Status Check(const std::string& service) {
    HealthCheckRequest req;
    req.set_service(service);
    HealthCheckResponse resp;
    grpc::ClientContext ctx;
    return Health::NewStub(channel_)->Check(&ctx, req, &resp);
  }

  double Handled(const std::string& side, const std::string& code) {
    return Value(runner_.metrics().registry(),
                 "grpc_" + side + "_handled_total",
                 {{"grpc_service", "grpc.health.v1.Health"},
                  {"grpc_method", "Check"},
                  {"grpc_type", "unary"},
                  {"grpc_code", code}});
  }

  ServerRunner runner_{ServerOptions{.name = "metrics-test"}};
  std::shared_ptr<grpc::Channel> channel_;
};

TEST_F(RpcMetricsServerTest, BothSidesCountEveryCallByCode) {
  EXPECT_THAT(Check(""), GrpcIsOk());
  EXPECT_THAT(Check("no.such.Service"),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND));
  for (const std::string side : {"server", "client"}) {
    SCOPED_TRACE(side);
    EXPECT_EQ(Handled(side, "OK"), 1);
    EXPECT_EQ(Handled(side, "NotFound"), 1);
    const std::map<std::string, std::string> labels = {
        {"grpc_service", "grpc.health.v1.Health"}, {"grpc_method", "Check"}};
    EXPECT_EQ(Value(runner_.metrics().registry(),
                    "grpc_" + side + "_started_total", labels),
              2);
    EXPECT_EQ(Value(runner_.metrics().registry(),
                    "grpc_" + side + "_handling_seconds", labels),
              2);
  }
}

// The server records the status actually sent: bytes that do not decode
// are answered INVALID_ARGUMENT by the decode guard, and counted so.
TEST_F(RpcMetricsServerTest, ServerCountsTheStatusTheDecodeGuardSends) {
  grpc::GenericStub stub(channel_);
  grpc::ClientContext ctx;
  const char garbage[] = "\xff\xff\xff";
  grpc::Slice slice(garbage, 3);
  grpc::ByteBuffer request(&slice, 1), response;
  grpc::Status status;
  absl::Notification done;
  stub.UnaryCall(&ctx, "/grpc.health.v1.Health/Check", grpc::StubOptions(),
                 &request, &response, [&](grpc::Status s) {
                   status = s;
                   done.Notify();
                 });
  done.WaitForNotification();
  EXPECT_THAT(status, GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_EQ(Handled("server", "InvalidArgument"), 1);
  EXPECT_EQ(Handled("server", "Internal"), 0);
}

TEST_F(RpcMetricsServerTest, StreamsAreLabelledServerStream) {
  HealthCheckRequest req;
  grpc::ClientContext ctx;
  auto reader = Health::NewStub(channel_)->Watch(&ctx, req);
  HealthCheckResponse first;
  ASSERT_TRUE(reader->Read(&first));
  ctx.TryCancel();
  while (reader->Read(&first)) {
  }
  reader->Finish();
  const auto started = [&](const std::string& side) {
    return Value(runner_.metrics().registry(),
                 "grpc_" + side + "_started_total",
                 {{"grpc_method", "Watch"}, {"grpc_type", "server_stream"}});
  };
  // The client side counts this call only. The server also serves the
  // InternalChannel's own health watch (peer channels check health,
  // libs/server/peer_channel.h), which gRPC core opens outside the client
  // interceptors: at least this call, labelled the same way.
  EXPECT_EQ(started("client"), 1);
  EXPECT_GE(started("server"), 1);
}

}  // namespace
}  // namespace ttads::server
