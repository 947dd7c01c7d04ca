#include "bench/load/load_generator.h"

#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "libs/testing/status_matchers.h"
#include "ttads/preflight/v1/preflight_service.grpc.pb.h"

namespace ttads::load {
namespace {

using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

class LoadGeneratorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::EnableDefaultHealthCheckService(true);
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port_);
    // A service whose methods all answer UNIMPLEMENTED (and a server needs
    // one service at least).
    builder.RegisterService(&unimplemented_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(port_, 0);
  }
  void TearDown() override { server_->Shutdown(); }

  LoadOptions Options(PreparedCall call) {
    LoadOptions o;
    o.target = "127.0.0.1:" + std::to_string(port_);
    o.call = std::move(call);
    o.concurrency = 8;
    o.channels = 2;
    o.warmup = absl::Milliseconds(50);
    o.duration = absl::Milliseconds(300);
    return o;
  }

  int port_ = 0;
  preflight::v1::PreflightService::CallbackService unimplemented_;
  std::unique_ptr<grpc::Server> server_;
};

TEST_F(LoadGeneratorTest, CountsOkCallsAndLatency) {
  auto call = PrepareCall("grpc.health.v1.Health/Check", "{}");
  ASSERT_THAT(call, IsOk());
  EXPECT_EQ(call->path, "/grpc.health.v1.Health/Check");
  auto report = RunLoad(Options(*call));
  ASSERT_THAT(report, IsOk());
  EXPECT_GT(report->ok, 0);
  EXPECT_EQ(report->error_count(), 0);
  EXPECT_GT(report->throughput, 0);
  EXPECT_LE(report->p50, report->p99);
  EXPECT_LE(report->p99, report->max);
}

TEST_F(LoadGeneratorTest, CountsNonOkStatusCodesSeparately) {
  // The health service answers NOT_FOUND for an unknown service name: the
  // transport succeeds, the gRPC status does not.
  auto call = PrepareCall("/grpc.health.v1.Health/Check",
                          R"({"service":"no.such.Service"})");
  ASSERT_THAT(call, IsOk());
  auto report = RunLoad(Options(*call));
  ASSERT_THAT(report, IsOk());
  EXPECT_EQ(report->ok, 0);
  EXPECT_GT(report->errors["NOT_FOUND"], 0);
  EXPECT_EQ(report->error_count(), report->errors["NOT_FOUND"]);

  auto unimplemented =
      PrepareCall("ttads.preflight.v1.PreflightService/PublishCheck", "{}");
  ASSERT_THAT(unimplemented, IsOk());
  report = RunLoad(Options(*unimplemented));
  ASSERT_THAT(report, IsOk());
  EXPECT_EQ(report->ok, 0);
  EXPECT_GT(report->errors["UNIMPLEMENTED"], 0);
}

TEST(RequestBuilderTest, BuildsSuiteRequestsAndRejectsBadInput) {
  auto ok = PrepareCall("ttads.preflight.v1.PreflightService.PublishCheck",
                        R"({"objective":"TRAFFIC","advertiserId":"1"})");
  ASSERT_THAT(ok, IsOk());
  EXPECT_EQ(ok->path, "/ttads.preflight.v1.PreflightService/PublishCheck");
  EXPECT_FALSE(ok->request_bytes.empty());
  EXPECT_THAT(PrepareCall("nope.Service/X", "{}"),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(PrepareCall("grpc.health.v1.Health/Nope", "{}"),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(PrepareCall("grpc.health.v1.Health/Check", R"({"bogus":1})"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(PrepareCall("grpc.health.v1.Health/Watch", "{}"),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

}  // namespace
}  // namespace ttads::load
