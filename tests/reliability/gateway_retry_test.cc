// The gateway's retry of a keyed POST against the real audience service
// (docs/reliability.md, "Idempotent mutations"): the backend applies
// CreateAudience, the gateway sees UNAVAILABLE anyway — a proxy between
// them forwards the first call, waits for the audience service's answer and
// replaces it with UNAVAILABLE, as when a connection breaks after the
// backend acted — and retries with the caller's Idempotency-Key as the
// request_id: exactly one audience exists and the caller gets it.
#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "libs/config/config.h"
#include "libs/connections/connection_store.h"
#include "libs/http/test_client.h"
#include "libs/testing/grpc_status_matchers.h"
#include "libs/testing/status_matchers.h"
#include "nlohmann/json.hpp"
#include "services/audience/audience_config.h"
#include "services/audience/audience_server.h"
#include "tests/support/inproc_gateway.h"
#include "tests/support/suite_fixture.h"
#include "ttads/audience/v1/audience_service.grpc.pb.h"

namespace ttads {
namespace {

namespace audiencev1 = ::ttads::audience::v1;
using json = nlohmann::json;
using ::ttads::testing::GrpcIsOk;
using ::ttads::testing::IsOk;

constexpr char kAdvertiser[] = "7101000000000000001";

// AudienceService in front of the real one: forwards CreateAudience with
// the caller's metadata and deadline; while `lose_answers` > 0 it replaces
// an answer the backend gave with UNAVAILABLE. Every other method is left
// unimplemented (the test uses only this one through the proxy).
class AnswerLosingProxy final
    : public audiencev1::AudienceService::CallbackService {
 public:
  explicit AnswerLosingProxy(const std::string& backend)
      : stub_(audiencev1::AudienceService::NewStub(grpc::CreateChannel(
            backend, grpc::InsecureChannelCredentials()))) {}
  ~AnswerLosingProxy() override {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& t : threads_) t.join();
  }

  grpc::ServerUnaryReactor* CreateAudience(
      grpc::CallbackServerContext* ctx,
      const audiencev1::CreateAudienceRequest* req,
      audiencev1::Audience* resp) override {
    auto* reactor = ctx->DefaultReactor();
    std::lock_guard<std::mutex> lock(mu_);
    // A thread per call: the backend call blocks.
    threads_.emplace_back([this, ctx, req, resp, reactor] {
      grpc::ClientContext forward;
      forward.set_deadline(ctx->deadline());
      for (const auto& [k, v] : ctx->client_metadata()) {
        const std::string key(k.data(), k.size());
        if (key == "authorization" || key == "x-request-id") {
          forward.AddMetadata(key, std::string(v.data(), v.size()));
        }
      }
      ++forwarded;
      grpc::Status s = stub_->CreateAudience(&forward, *req, resp);
      if (s.ok() && lose_answers.fetch_sub(1) > 0) {
        ++lost;
        s = grpc::Status(grpc::StatusCode::UNAVAILABLE,
                         "connection reset after the backend answered");
      }
      reactor->Finish(s);
    });
    return reactor;
  }

  std::atomic<int> lose_answers{0};
  std::atomic<int> forwarded{0};
  std::atomic<int> lost{0};

 private:
  std::unique_ptr<audiencev1::AudienceService::Stub> stub_;
  std::mutex mu_;
  std::vector<std::thread> threads_;
};

class GatewayRetryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto fixture = testing::SuiteFixture::Start();
    ASSERT_THAT(fixture, IsOk());
    fixture_ = *std::move(fixture);
    auto env = fixture_->ServiceEnv();
    auto config = config::Load(audience::AudienceSchema(), "", env);
    ASSERT_THAT(config, IsOk());
    auto server = audience::AudienceServer::Create(*config);
    ASSERT_THAT(server, IsOk());
    audience_ = *std::move(server);
    ASSERT_THAT(audience_->kit().runner().Start(), IsOk());
    const std::string backend =
        absl::StrCat("127.0.0.1:", audience_->kit().runner().port());
    audience_stub_ = audiencev1::AudienceService::NewStub(
        grpc::CreateChannel(backend, grpc::InsecureChannelCredentials()));

    proxy_ = std::make_unique<AnswerLosingProxy>(backend);
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port);
    builder.RegisterService(proxy_.get());
    proxy_server_ = builder.BuildAndStart();
    ASSERT_NE(proxy_server_, nullptr);

    auto gateway = testing::InProcessGateway::Start(
        fixture_->redis(), fixture_->teams(),
        {.address = testing::AllAt(absl::StrCat("127.0.0.1:", port))});
    ASSERT_THAT(gateway, IsOk());
    gateway_ = *std::move(gateway);
    base_ = gateway_->base_url();

    auto team = fixture_->CreateTeam();
    ASSERT_THAT(team, IsOk());
    team_ = *team;
    auto connected = fixture_->ConnectOwner(team_, kAdvertiser);
    ASSERT_THAT(connected, IsOk());
  }

  void TearDown() override {
    gateway_.reset();
    if (proxy_server_) proxy_server_->Shutdown();
    proxy_.reset();
    if (audience_) audience_->kit().runner().Shutdown();
  }

  http::TestClient::Result CreateAudience(const std::string& name,
                                          std::vector<std::string> headers) {
    headers.push_back("Authorization: Bearer " + team_.owner_key);
    headers.push_back("Content-Type: application/json");
    return client_.Request(
        "POST",
        absl::StrCat(base_, "/v1/advertisers/", kAdvertiser, "/audiences"),
        headers, json{{"name", name}, {"identifierTypes", {"EMAIL"}}}.dump());
  }

  // The team's audiences, asked of the audience service directly.
  std::vector<audiencev1::Audience> Audiences() {
    grpc::ClientContext ctx;
    testing::Authorize(&ctx, team_.owner_key);
    audiencev1::ListAudiencesRequest req;
    req.set_advertiser_id(kAdvertiser);
    audiencev1::ListAudiencesResponse resp;
    grpc::Status s = audience_stub_->ListAudiences(&ctx, req, &resp);
    EXPECT_THAT(s, GrpcIsOk());
    return {resp.audiences().begin(), resp.audiences().end()};
  }

  std::unique_ptr<testing::SuiteFixture> fixture_;
  std::unique_ptr<audience::AudienceServer> audience_;
  std::unique_ptr<audiencev1::AudienceService::Stub> audience_stub_;
  std::unique_ptr<AnswerLosingProxy> proxy_;
  std::unique_ptr<grpc::Server> proxy_server_;
  std::unique_ptr<testing::InProcessGateway> gateway_;
  std::string base_;
  http::TestClient client_;
  testing::TestTeam team_;
};

TEST_F(GatewayRetryTest, AppliedCreateAudienceRetriedWithItsKeyMakesOne) {
  proxy_->lose_answers = 1;
  auto r = CreateAudience("Buyers", {"Idempotency-Key: gw-retry-1"});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(proxy_->lost.load(), 1);       // the backend applied, answer lost
  EXPECT_EQ(proxy_->forwarded.load(), 2);  // and the gateway retried
  const std::vector<audiencev1::Audience> audiences = Audiences();
  ASSERT_EQ(audiences.size(), 1u);
  const json body = json::parse(r.body);
  EXPECT_EQ(
      body.contains("audienceId") ? body["audienceId"] : body["audience_id"],
      audiences[0].audience_id());
}

// The same lost answer without a key: the gateway does not retry (it
// cannot know the backend deduplicates), and the caller sees UNAVAILABLE
// for an audience that was in fact created — what the key is for.
TEST_F(GatewayRetryTest, AppliedCreateAudienceWithoutKeyIsNotRetried) {
  proxy_->lose_answers = 1;
  auto r = CreateAudience("Buyers", {});
  EXPECT_EQ(r.status, 503) << r.body;
  EXPECT_EQ(proxy_->forwarded.load(), 1);
  EXPECT_EQ(Audiences().size(), 1u);
}

}  // namespace
}  // namespace ttads
