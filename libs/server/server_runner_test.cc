#include "libs/server/server_runner.h"

#include <thread>

#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "libs/server/unary.h"
#include "libs/status/status.h"
#include "libs/testing/grpc_status_matchers.h"
#include "libs/testing/status_matchers.h"
#include "ttads/preflight/v1/preflight_service.grpc.pb.h"

namespace ttads::server {
namespace {

using ::ttads::preflight::v1::PreflightService;
using ::ttads::preflight::v1::PublishCheckRequest;
using ::ttads::preflight::v1::PublishCheckResponse;
using ::ttads::testing::GrpcIsOk;
using ::ttads::testing::GrpcStatusIs;
using ::ttads::testing::IsOk;

class FakeAuthenticator : public Authenticator {
 public:
  absl::StatusOr<Caller> Authenticate(std::string_view key) override {
    if (key != "good-key") return absl::UnauthenticatedError("unknown API key");
    return Caller{.team_id = "t1", .member_id = "m1", .role = "owner"};
  }
};

// Echoes the caller's team into advertiser_id so the test sees the pipeline.
class EchoService : public PreflightService::CallbackService {
 public:
  explicit EchoService(ServiceEnv* env) : env_(env) {}
  grpc::ServerUnaryReactor* PublishCheck(
      grpc::CallbackServerContext* context, const PublishCheckRequest* request,
      PublishCheckResponse* response) override {
    return HandleUnary<PublishCheckRequest, PublishCheckResponse>(
        *env_, context, request, response, "PublishCheck",
        [](const CallContext& call, const PublishCheckRequest& req,
           PublishCheckResponse* resp) -> absl::Status {
          if (req.objective().empty()) {
            return status::InvalidArgument("objective is required",
                                           {{"objective", "required"}});
          }
          resp->set_advertiser_id(call.caller.team_id + ":" + call.request_id);
          return absl::OkStatus();
        });
  }

 private:
  ServiceEnv* env_;
};

class ServerRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_.service_name = "test";
    env_.authenticator = &auth_;
    env_.work = &work_;
    runner_ = std::make_unique<ServerRunner>(
        ServerOptions{.name = "test", .drain = absl::Milliseconds(300)});
    env_.metrics = &runner_->metrics();
    service_ = std::make_unique<EchoService>(&env_);
    runner_->AddService(service_.get(), PreflightService::service_full_name());
    ASSERT_THAT(runner_->Start(), IsOk());
    channel_ =
        grpc::CreateChannel("127.0.0.1:" + std::to_string(runner_->port()),
                            grpc::InsecureChannelCredentials());
  }

  grpc::health::v1::HealthCheckResponse::ServingStatus Health(
      const std::string& service) {
    auto stub = grpc::health::v1::Health::NewStub(channel_);
    grpc::ClientContext ctx;
    grpc::health::v1::HealthCheckRequest req;
    req.set_service(service);
    grpc::health::v1::HealthCheckResponse resp;
    grpc::Status s = stub->Check(&ctx, req, &resp);
    if (!s.ok()) return grpc::health::v1::HealthCheckResponse::UNKNOWN;
    return resp.status();
  }

  FakeAuthenticator auth_;
  WorkQueue work_{2};
  ServiceEnv env_;
  std::unique_ptr<ServerRunner> runner_;
  std::unique_ptr<EchoService> service_;
  std::shared_ptr<grpc::Channel> channel_;
};

TEST_F(ServerRunnerTest, HealthServingForServiceAndOverall) {
  EXPECT_EQ(Health(""), grpc::health::v1::HealthCheckResponse::SERVING);
  EXPECT_EQ(Health("ttads.preflight.v1.PreflightService"),
            grpc::health::v1::HealthCheckResponse::SERVING);
}

TEST_F(ServerRunnerTest, MissingKeyIsUnauthenticated) {
  auto stub = PreflightService::NewStub(channel_);
  grpc::ClientContext ctx;
  PublishCheckRequest req;
  req.set_objective("TRAFFIC");
  PublishCheckResponse resp;
  grpc::Status s = stub->PublishCheck(&ctx, req, &resp);
  EXPECT_THAT(s, GrpcStatusIs(grpc::StatusCode::UNAUTHENTICATED));
}

TEST_F(ServerRunnerTest, RequestIdPropagatesAndCallerComesFromKey) {
  auto stub = PreflightService::NewStub(channel_);
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer good-key");
  ctx.AddMetadata("x-request-id", "req-123");
  PublishCheckRequest req;
  req.set_objective("TRAFFIC");
  PublishCheckResponse resp;
  grpc::Status s = stub->PublishCheck(&ctx, req, &resp);
  ASSERT_THAT(s, GrpcIsOk());
  EXPECT_EQ(resp.advertiser_id(), "t1:req-123");
  auto it = ctx.GetServerInitialMetadata().find("x-request-id");
  ASSERT_NE(it, ctx.GetServerInitialMetadata().end());
  EXPECT_EQ(std::string(it->second.data(), it->second.size()), "req-123");
}

TEST_F(ServerRunnerTest, DomainErrorCarriesFieldViolation) {
  auto stub = PreflightService::NewStub(channel_);
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer good-key");
  PublishCheckRequest req;
  PublishCheckResponse resp;
  grpc::Status s = stub->PublishCheck(&ctx, req, &resp);
  ASSERT_THAT(s, GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT));
  google::rpc::Status rpc;
  ASSERT_TRUE(rpc.ParseFromString(s.error_details()));
  bool found = false;
  for (const auto& any : rpc.details()) {
    google::rpc::BadRequest bad;
    if (any.UnpackTo(&bad)) {
      found = bad.field_violations(0).field() == "objective";
    }
  }
  EXPECT_TRUE(found);
}

TEST_F(ServerRunnerTest, ShutdownDrainsWithNotServing) {
  std::thread stopper([this] { runner_->Shutdown(); });
  // During the drain the server still answers, with NOT_SERVING.
  grpc::health::v1::HealthCheckResponse::ServingStatus seen =
      grpc::health::v1::HealthCheckResponse::SERVING;
  for (int i = 0;
       i < 100 && seen == grpc::health::v1::HealthCheckResponse::SERVING; ++i) {
    seen = Health("ttads.preflight.v1.PreflightService");
    absl::SleepFor(absl::Milliseconds(5));
  }
  EXPECT_EQ(seen, grpc::health::v1::HealthCheckResponse::NOT_SERVING);
  stopper.join();
  runner_->Wait();
}

}  // namespace
}  // namespace ttads::server
