// The gateway in front of replicated backends: two preflight replicas behind
// one gRPC target both receive traffic, requests keep succeeding while one
// replica shuts down, and /readyz stays ready while a backend that serves
// other routes is down (docs/gateway.md, "Built-in endpoints").
#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "grpc/grpc.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "libs/auth/redis_team_store.h"
#include "libs/http/test_client.h"
#include "libs/testing/private_redis.h"
#include "libs/testing/status_matchers.h"
#include "nlohmann/json.hpp"
#include "tests/support/inproc_gateway.h"
#include "ttads/preflight/v1/preflight_service.grpc.pb.h"

namespace ttads::gateway {
namespace {

using json = nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;
using ::ttads::testing::IsOk;

// One preflight replica: its own gRPC server, counting the checks it served.
class PreflightReplica
    : public preflight::v1::PreflightService::CallbackService {
 public:
  PreflightReplica() {
    grpc::EnableDefaultHealthCheckService(true);
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port_);
    builder.RegisterService(this);
    server_ = builder.BuildAndStart();
  }
  ~PreflightReplica() override { Stop(); }

  grpc::ServerUnaryReactor* PublishCheck(
      grpc::CallbackServerContext* ctx,
      const preflight::v1::PublishCheckRequest* req,
      preflight::v1::PublishCheckResponse* resp) override {
    calls_.fetch_add(1);
    resp->set_ready(true);
    resp->set_objective(req->objective());
    auto* reactor = ctx->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }

  // Like SIGTERM on a ttads server (ServerRunner::Shutdown): NOT_SERVING
  // for a drain period — callers' health watches take the replica out of
  // their rotation — then in-flight calls finish and the server stops.
  void Stop() {
    if (server_ == nullptr) return;
    server_->GetHealthCheckService()->SetServingStatus(false);
    absl::SleepFor(absl::Milliseconds(300));
    server_->Shutdown(std::chrono::system_clock::now() +
                      std::chrono::seconds(2));
    server_->Wait();
    server_.reset();
  }
  int port() const { return port_; }
  int calls() const { return calls_.load(); }

 private:
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  std::atomic<int> calls_{0};
};

class ReplicasTest : public ::testing::Test {
 protected:
  // One redis-server for the suite; each test connects a pool of its own.
  static void SetUpTestSuite() {
    auto redis = testing::PrivateRedis::Start();
    ASSERT_THAT(redis, IsOk());
    redis_ = redis->release();
  }
  static void TearDownTestSuite() {
    delete redis_;
    redis_ = nullptr;
  }

  // Preflight is served by both replicas through one ipv4: target with two
  // addresses (what a headless Service's DNS answer gives in Kubernetes);
  // every other service points at a port nothing listens on.
  void SetUp() override {
    auto pool = redis_->Connect();
    ASSERT_THAT(pool, IsOk());
    pool_ = *std::move(pool);
    teams_ = std::make_unique<auth::RedisTeamStore>(*pool_);
    auto team = teams_->CreateTeam("Replicas", "standard", true);
    ASSERT_THAT(team, IsOk());
    auto member = teams_->AddMember(team->id, "Ola", auth::Role::kManager);
    ASSERT_THAT(member, IsOk());
    auto key = teams_->IssueApiKey(team->id, member->id);
    ASSERT_THAT(key, IsOk());
    key_ = key->plaintext;

    auto gateway = testing::InProcessGateway::Start(
        *pool_, *teams_,
        {.address = testing::ByName(
             {{std::string(
                   preflight::v1::PreflightService::service_full_name()),
               absl::StrCat("ipv4:127.0.0.1:", a_.port(),
                            ",127.0.0.1:", b_.port())}})});
    ASSERT_THAT(gateway, IsOk());
    gateway_ = *std::move(gateway);
    base_ = gateway_->base_url();
  }
  void TearDown() override { gateway_.reset(); }

  http::TestClient::Result Check() {
    return client_.Get(base_ + "/api/v1/tiktok/publish-check?objective=TRAFFIC",
                       {"Authorization: Bearer " + key_});
  }

  static testing::PrivateRedis* redis_;
  PreflightReplica a_;
  PreflightReplica b_;
  std::unique_ptr<store::RedisPool> pool_;
  std::unique_ptr<auth::RedisTeamStore> teams_;
  std::string key_;
  std::unique_ptr<testing::InProcessGateway> gateway_;
  std::string base_;
  http::TestClient client_;
};
testing::PrivateRedis* ReplicasTest::redis_ = nullptr;

// Holds a gRPC library reference for the whole program (see gateway_test).
class GrpcLifetime : public ::testing::Environment {
 public:
  void SetUp() override { grpc_init(); }
  void TearDown() override { grpc_shutdown_blocking(); }
};
::testing::Environment* const kGrpcLifetime =
    ::testing::AddGlobalTestEnvironment(new GrpcLifetime);

TEST_F(ReplicasTest, BothReplicasReceiveTraffic) {
  constexpr int kRequests = 60;
  for (int i = 0; i < kRequests; ++i) {
    auto r = Check();
    ASSERT_EQ(r.status, 200) << r.body;
  }
  // round_robin over both addresses on each of the gateway's channels: each
  // replica gets a real share (pick_first would give one replica all 60).
  EXPECT_GE(a_.calls(), kRequests / 4) << "b: " << b_.calls();
  EXPECT_GE(b_.calls(), kRequests / 4) << "a: " << a_.calls();
  EXPECT_EQ(a_.calls() + b_.calls(), kRequests);
}

TEST_F(ReplicasTest, NoRequestFailsWhileOneReplicaStops) {
  for (int i = 0; i < 20; ++i) ASSERT_EQ(Check().status, 200);
  std::atomic<bool> stopping{true};
  std::atomic<int> failed{0};
  std::atomic<int> served{0};
  std::thread load([&] {
    while (stopping.load()) {
      auto r = Check();
      (r.status == 200 ? served : failed).fetch_add(1);
      if (r.status != 200) ADD_FAILURE() << r.status << " " << r.body;
    }
  });
  a_.Stop();
  stopping.store(false);
  load.join();
  const int b_before = b_.calls();
  for (int i = 0; i < 20; ++i) {
    auto r = Check();
    EXPECT_EQ(r.status, 200) << r.body;
  }
  EXPECT_EQ(failed.load(), 0) << served.load() << " served";
  EXPECT_EQ(b_.calls() - b_before, 20);
}

TEST_F(ReplicasTest, ReadyWhileAnotherBackendIsDownAndItsRoutesSay503) {
  auto r = client_.Get(base_ + "/readyz");
  EXPECT_EQ(r.status, 200) << r.body;
  json body = json::parse(r.body);
  EXPECT_EQ(body["ready"], true);
  EXPECT_EQ(body["degraded"], true);
  EXPECT_THAT(body["unavailable_services"].dump(),
              HasSubstr("ttads.identity.v1.IdentityService"));
  EXPECT_THAT(body["unavailable_services"].dump(),
              Not(HasSubstr("PreflightService")));
  // The preflight route works; a route of the down backend answers 503 with
  // Retry-After, quickly, instead of taking the gateway out of service.
  EXPECT_EQ(Check().status, 200);
  auto down = client_.Get(base_ + "/v1/accounts?platform=tiktokads",
                          {"Authorization: Bearer " + key_});
  EXPECT_EQ(down.status, 503) << down.body;
  EXPECT_FALSE(down.Header("retry-after").empty()) << down.body;
}

TEST_F(ReplicasTest, NotReadyWhenNoBackendServes) {
  a_.Stop();
  b_.Stop();
  auto r = client_.Get(base_ + "/readyz");
  EXPECT_EQ(r.status, 503) << r.body;
  json body = json::parse(r.body);
  EXPECT_EQ(body["ready"], false);
}

}  // namespace
}  // namespace ttads::gateway
