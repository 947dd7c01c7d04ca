// Service tests: the real preflight server in-process on an ephemeral port,
// a private redis-server, the TikTok simulator (demo seed), and an in-process
// stand-in for the identity service that records what it was sent.
#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include "absl/strings/escaping.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "libs/connections/connection_store.h"
#include "libs/crypto/sealing.h"
#include "libs/status/status.h"
#include "libs/testing/grpc_status_matchers.h"
#include "libs/testing/status_matchers.h"
#include "services/preflight/cached_asset_source.h"
#include "services/preflight/preflight_server.h"
#include "tests/support/suite_fixture.h"
#include "tools/tiktok_sim/seed.h"
#include "ttads/identity/v1/identity_service.grpc.pb.h"

namespace ttads::preflight {
namespace {

using ::ttads::testing::GrpcIsOk;
using ::ttads::testing::GrpcStatusIs;
using ::ttads::testing::IsOk;

namespace seed = tiktok_sim::seed;
using identity::v1::IdentityService;

// Answers ResolveIdentity / ListIdentities like the identity service would
// for the demo seed (TT_USER on advertiser 1, BC_AUTH_TT on advertiser 3,
// only a CUSTOMIZED_USER on advertiser 2 under the `reject` policy).
class FakeIdentityService : public IdentityService::CallbackService {
 public:
  grpc::ServerUnaryReactor* ResolveIdentity(
      grpc::CallbackServerContext* ctx,
      const identity::v1::ResolveIdentityRequest* req,
      identity::v1::ResolveIdentityResponse* resp) override {
    Record(ctx, req->allow_customized_user());
    auto* reactor = ctx->DefaultReactor();
    common::v1::Identity* id = resp->mutable_identity();
    resp->set_advertiser_id(req->advertiser_id());
    if (req->advertiser_id() == seed::kAdvertiserTtUser) {
      id->set_identity_id(seed::kIdentityTtUser);
      id->set_identity_type(common::v1::IDENTITY_TYPE_TT_USER);
      id->set_display_name("Demo Brand");
      resp->set_source(identity::v1::RESOLUTION_SOURCE_TT_USER);
    } else if (req->advertiser_id() == seed::kAdvertiserBc) {
      id->set_identity_id(seed::kIdentityBcAuthTt);
      id->set_identity_type(common::v1::IDENTITY_TYPE_BC_AUTH_TT);
      id->set_display_name("Agency Creator");
      resp->set_source(identity::v1::RESOLUTION_SOURCE_BC_AUTH_TT);
    } else {
      reactor->Finish(status::ToGrpcStatus(status::WithErrorInfo(
          absl::FailedPreconditionError("no usable identity"),
          "NO_USABLE_IDENTITY")));
      return reactor;
    }
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }

  grpc::ServerUnaryReactor* ListIdentities(
      grpc::CallbackServerContext* ctx,
      const identity::v1::ListIdentitiesRequest* req,
      identity::v1::ListIdentitiesResponse* resp) override {
    Record(ctx, false);
    resp->set_advertiser_id(req->advertiser_id());
    if (req->advertiser_id() == seed::kAdvertiserBc) {
      auto* id = resp->add_identities();
      id->set_identity_id(seed::kIdentityBcAuthTt);
      id->set_identity_type(common::v1::IDENTITY_TYPE_BC_AUTH_TT);
      id->set_identity_authorized_bc_id(seed::kBusinessCenter);
    } else if (req->advertiser_id() == seed::kAdvertiserNoTtUser) {
      auto* id = resp->add_identities();
      id->set_identity_id(seed::kIdentityCustom2);
      id->set_identity_type(common::v1::IDENTITY_TYPE_CUSTOMIZED_USER);
    }
    auto* reactor = ctx->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }

  int calls() {
    std::lock_guard<std::mutex> lock(mu_);
    return calls_;
  }
  std::string last_authorization() {
    std::lock_guard<std::mutex> lock(mu_);
    return last_authorization_;
  }
  bool last_allow_customized() {
    std::lock_guard<std::mutex> lock(mu_);
    return last_allow_customized_;
  }

 private:
  void Record(grpc::CallbackServerContext* ctx, bool allow_customized) {
    std::lock_guard<std::mutex> lock(mu_);
    ++calls_;
    auto it = ctx->client_metadata().find("authorization");
    last_authorization_ =
        it == ctx->client_metadata().end()
            ? ""
            : std::string(it->second.data(), it->second.size());
    last_allow_customized_ = allow_customized;
  }

  std::mutex mu_;
  int calls_ = 0;
  std::string last_authorization_;
  bool last_allow_customized_ = false;
};

class PreflightServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto suite = testing::SuiteFixture::Start();
    ASSERT_THAT(suite, IsOk());
    suite_ = *std::move(suite);

    grpc::ServerBuilder builder;
    int identity_port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &identity_port);
    builder.RegisterService(&identity_);
    identity_server_ = builder.BuildAndStart();
    ASSERT_NE(identity_port, 0);

    auto team = suite_->CreateTeam();
    ASSERT_THAT(team, IsOk());
    team_ = *team;
    auto key = crypto::ParseKey(absl::Base64Escape(std::string(32, '\x42')));
    ASSERT_THAT(key, IsOk());
    connections_ = std::make_unique<connections::RedisConnectionStore>(
        &suite_->redis(), *key);

    env_ = suite_->ServiceEnv();
    env_["TTADS_IDENTITY_ADDRESS"] = absl::StrCat("127.0.0.1:", identity_port);
    // Counting upstream calls across checks needs every check to reach the
    // asset layer; the in-process answer cache has its own test below.
    env_["TTADS_PREFLIGHT_RESULT_CACHE_MS"] = "0";
  }

  void StartPreflight() {
    auto config = config::Load(PreflightSchema(), "", env_);
    ASSERT_THAT(config, IsOk());
    auto server = PreflightServer::Create(*config);
    ASSERT_THAT(server, IsOk());
    server_ = *std::move(server);
    ASSERT_THAT(server_->kit().runner().Start(), IsOk());
    stub_ = v1::PreflightService::NewStub(grpc::CreateChannel(
        absl::StrCat("127.0.0.1:", server_->kit().runner().port()),
        grpc::InsecureChannelCredentials()));
  }

  void TearDown() override {
    if (identity_server_) identity_server_->Shutdown();
  }

  // A connection of `member` reaching `advertisers` (a real simulator
  // token, stored encrypted as the identity service would store it).
  void Connect(const std::string& member,
               std::vector<std::string> advertisers) {
    connections::Connection c;
    c.connection_id = absl::StrCat("cn", ++connection_seq_);
    c.team_id = team_.team_id;
    c.member_id = member;
    for (const auto& a : advertisers) c.advertisers.push_back({a, ""});
    c.create_time = absl::Now();
    ASSERT_THAT(
        connections_->Create(c, suite_->sim().IssueAccessToken(advertisers)),
        IsOk());
  }

  int64_t SimCalls(const std::string& path) {
    auto stats = suite_->sim().stats();
    auto it = stats.calls.find(path);
    return it == stats.calls.end() ? 0 : it->second.total;
  }
  int64_t AssetCalls() {
    return SimCalls("/pixel/list/") + SimCalls("/catalog/get/") +
           SimCalls("/app/list/") + SimCalls("/page/get/");
  }

  grpc::Status Check(const std::string& key, const std::string& objective,
                     const std::string& advertiser,
                     v1::PublishCheckResponse* out) {
    grpc::ClientContext ctx;
    testing::Authorize(&ctx, key);
    v1::PublishCheckRequest req;
    req.set_objective(objective);
    req.set_advertiser_id(advertiser);
    return stub_->PublishCheck(&ctx, req, out);
  }

  grpc::Status Batch(const std::string& key,
                     const std::vector<std::string>& objectives,
                     const std::string& advertiser,
                     v1::BatchPublishCheckResponse* out) {
    grpc::ClientContext ctx;
    testing::Authorize(&ctx, key);
    v1::BatchPublishCheckRequest req;
    for (const auto& o : objectives) req.add_objectives(o);
    req.set_advertiser_id(advertiser);
    return stub_->BatchPublishCheck(&ctx, req, out);
  }

  std::unique_ptr<testing::SuiteFixture> suite_;
  FakeIdentityService identity_;
  std::unique_ptr<grpc::Server> identity_server_;
  testing::TestTeam team_;
  std::unique_ptr<connections::RedisConnectionStore> connections_;
  std::map<std::string, std::string> env_;
  std::unique_ptr<PreflightServer> server_;
  std::unique_ptr<v1::PreflightService::Stub> stub_;
  int connection_seq_ = 0;
};

TEST_F(PreflightServiceTest, ColdThenWarmCacheUpstreamCalls) {
  StartPreflight();
  Connect(team_.owner_id, {seed::kAdvertiserTtUser});
  const std::vector<std::string> objectives = {"WEB_CONVERSIONS", "CONVERSIONS",
                                               "APP_PROMOTION",
                                               "LEAD_GENERATION", "TRAFFIC"};
  v1::BatchPublishCheckResponse cold;
  ASSERT_THAT(Batch(team_.owner_key, objectives, "", &cold), GrpcIsOk());
  ASSERT_EQ(cold.results_size(), 5);
  for (const auto& r : cold.results()) {
    EXPECT_TRUE(r.ready()) << r.ShortDebugString();
    EXPECT_EQ(r.advertiser_id(), seed::kAdvertiserTtUser);
  }
  EXPECT_EQ(cold.results(0).checks(1).found(0).id(), seed::kPixelAdv1);
  EXPECT_EQ(cold.results(2).checks(1).found(0).id(), seed::kAppAdv1);
  EXPECT_EQ(cold.results(3).checks(1).found(0).id(), seed::kLeadFormAdv1);
  // One call per needed asset type, none for the rest.
  EXPECT_EQ(SimCalls("/pixel/list/"), 1);
  EXPECT_EQ(SimCalls("/app/list/"), 1);
  EXPECT_EQ(SimCalls("/page/get/"), 1);
  EXPECT_EQ(SimCalls("/catalog/get/"), 0);

  // Warm: the Redis cache answers, TikTok is not asked again.
  v1::BatchPublishCheckResponse warm;
  ASSERT_THAT(Batch(team_.owner_key, objectives, "", &warm), GrpcIsOk());
  v1::PublishCheckResponse single;
  ASSERT_THAT(Check(team_.owner_key, "WEB_CONVERSIONS", seed::kAdvertiserTtUser,
                    &single),
              GrpcIsOk());
  EXPECT_TRUE(single.ready());
  EXPECT_EQ(AssetCalls(), 3);
  EXPECT_EQ(suite_->redis()
                .Command({"EXISTS", CachedAssetSource::CacheKey(
                                        team_.team_id, seed::kAdvertiserTtUser,
                                        AssetType::kPixel, "")})
                ->integer,
            1);
}

TEST_F(PreflightServiceTest, TrafficNeedsOnlyTheIdentityAndForwardsTheKey) {
  StartPreflight();
  Connect(team_.owner_id, {seed::kAdvertiserTtUser});
  v1::PublishCheckResponse r;
  ASSERT_THAT(Check(team_.owner_key, "traffic", "", &r), GrpcIsOk());
  EXPECT_TRUE(r.ready());
  EXPECT_EQ(r.objective(), "TRAFFIC");
  ASSERT_EQ(r.checks_size(), 1);
  EXPECT_EQ(r.checks(0).found(0).id(), seed::kIdentityTtUser);
  EXPECT_EQ(r.checks(0).found(0).type(), "TT_USER");
  EXPECT_EQ(AssetCalls(), 0);
  EXPECT_EQ(identity_.last_authorization(), "Bearer " + team_.owner_key);
  EXPECT_TRUE(identity_.last_allow_customized());
}

TEST_F(PreflightServiceTest, ManagerFallsBackToTeammateMediabuyerDoesNot) {
  StartPreflight();
  Connect(team_.owner_id, {seed::kAdvertiserTtUser});
  v1::PublishCheckResponse manager;
  ASSERT_THAT(Check(team_.manager_key, "WEB_CONVERSIONS", "", &manager),
              GrpcIsOk());
  EXPECT_TRUE(manager.ready());
  EXPECT_EQ(manager.advertiser_id(), seed::kAdvertiserTtUser);

  v1::PublishCheckResponse buyer;
  ASSERT_THAT(Check(team_.mediabuyer_key, "WEB_CONVERSIONS", "", &buyer),
              GrpcIsOk());
  EXPECT_FALSE(buyer.ready());
  ASSERT_EQ(buyer.missing_size(), 1);
  EXPECT_EQ(buyer.missing(0), "identity");
  EXPECT_EQ(buyer.checks(0).reason(), "no_token");
  EXPECT_EQ(buyer.advertiser_id(), "");
}

TEST_F(PreflightServiceTest, NothingConnectedIsNoToken) {
  StartPreflight();
  v1::PublishCheckResponse r;
  ASSERT_THAT(Check(team_.owner_key, "TRAFFIC", "", &r), GrpcIsOk());
  EXPECT_FALSE(r.ready());
  ASSERT_EQ(r.missing_size(), 1);
  EXPECT_EQ(r.missing(0), "identity");
  EXPECT_EQ(r.checks(0).reason(), "no_token");
  EXPECT_EQ(identity_.calls(), 0);
  EXPECT_EQ(AssetCalls(), 0);
}

TEST_F(PreflightServiceTest, FirstAdvertiserOfTheTokenIsTheDefault) {
  StartPreflight();
  Connect(team_.owner_id, {seed::kAdvertiserNoTtUser, seed::kAdvertiserTtUser});
  v1::PublishCheckResponse r;
  ASSERT_THAT(Check(team_.owner_key, "LEAD_GENERATION", "", &r), GrpcIsOk());
  EXPECT_EQ(r.advertiser_id(), seed::kAdvertiserNoTtUser);
  EXPECT_FALSE(r.ready());
  // Advertiser 2 has only a CUSTOMIZED_USER (refused by the identity
  // service here) and a draft form.
  ASSERT_EQ(r.missing_size(), 2);
  EXPECT_EQ(r.missing(0), "identity");
  EXPECT_EQ(r.missing(1), "leadForm");
  EXPECT_EQ(r.checks(0).reason(), "policy_rejected");
  EXPECT_EQ(r.checks(1).reason(), "not_found");
  EXPECT_NE(r.checks(1).fix_hint().find("Draft contact form"),
            std::string::npos);
}

TEST_F(PreflightServiceTest, CatalogThroughTheBusinessCenter) {
  StartPreflight();
  Connect(team_.owner_id, {seed::kAdvertiserBc, seed::kAdvertiserTtUser});
  v1::PublishCheckResponse bc;
  ASSERT_THAT(Check(team_.owner_key, "PRODUCT_SALES", seed::kAdvertiserBc, &bc),
              GrpcIsOk());
  EXPECT_TRUE(bc.ready()) << bc.ShortDebugString();
  EXPECT_EQ(bc.checks(1).found(0).id(), seed::kCatalog);
  EXPECT_EQ(SimCalls("/catalog/get/"), 1);

  v1::PublishCheckResponse none;
  ASSERT_THAT(
      Check(team_.owner_key, "SHOP_PURCHASES", seed::kAdvertiserTtUser, &none),
      GrpcIsOk());
  EXPECT_FALSE(none.ready());
  EXPECT_EQ(none.checks(1).reason(), "no_business_center");
  EXPECT_EQ(SimCalls("/catalog/get/"), 1);
}

TEST_F(PreflightServiceTest, UpstreamFailureIsApiErrorAndNotCached) {
  StartPreflight();
  Connect(team_.owner_id, {seed::kAdvertiserTtUser});
  suite_->sim().AddFault({.path_prefix = "/pixel/list/",
                          .mode = tiktok_sim::FaultMode::kCode,
                          .code = 40001,
                          .count = 1});
  v1::PublishCheckResponse failed;
  ASSERT_THAT(Check(team_.owner_key, "WEB_CONVERSIONS", "", &failed),
              GrpcIsOk());
  EXPECT_FALSE(failed.ready());
  EXPECT_EQ(failed.missing_size(), 0);
  EXPECT_EQ(failed.checks(1).reason(), "api_error");
  EXPECT_EQ(failed.checks(1).tiktok_error().code(), 40001);
  EXPECT_FALSE(failed.checks(1).tiktok_error().request_id().empty());

  v1::PublishCheckResponse recovered;
  ASSERT_THAT(Check(team_.owner_key, "WEB_CONVERSIONS", "", &recovered),
              GrpcIsOk());
  EXPECT_TRUE(recovered.ready());
  EXPECT_EQ(SimCalls("/pixel/list/"), 2);
}

TEST_F(PreflightServiceTest, ConcurrentColdMissesCostOneCallPerType) {
  StartPreflight();
  Connect(team_.owner_id, {seed::kAdvertiserTtUser});
  // Keep the first look-up in flight long enough for everyone to miss.
  suite_->sim().AddFault({.path_prefix = "/pixel/list/",
                          .mode = tiktok_sim::FaultMode::kLatency,
                          .latency_ms = 300});
  std::vector<std::thread> threads;
  std::atomic<int> ready{0};
  for (int i = 0; i < 8; ++i) {
    // Different members, so only the asset layer can coalesce them.
    const std::string key = i % 2 ? team_.owner_key : team_.manager_key;
    threads.emplace_back([&, key] {
      v1::PublishCheckResponse r;
      if (Check(key, "WEB_CONVERSIONS", "", &r).ok() && r.ready()) ++ready;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ready.load(), 8);
  EXPECT_EQ(SimCalls("/pixel/list/"), 1);
}

TEST_F(PreflightServiceTest, AnswerCacheSkipsEveryLookup) {
  env_["TTADS_PREFLIGHT_RESULT_CACHE_MS"] = "60000";
  StartPreflight();
  Connect(team_.owner_id, {seed::kAdvertiserTtUser});
  v1::PublishCheckResponse r;
  ASSERT_THAT(Check(team_.owner_key, "WEB_CONVERSIONS", "", &r), GrpcIsOk());
  const int identity_calls = identity_.calls();
  for (int i = 0; i < 5; ++i) {
    ASSERT_THAT(Check(team_.owner_key, "WEB_CONVERSIONS", "", &r), GrpcIsOk());
    EXPECT_TRUE(r.ready());
  }
  EXPECT_EQ(identity_.calls(), identity_calls);
  EXPECT_EQ(SimCalls("/pixel/list/"), 1);
}

TEST_F(PreflightServiceTest, UnknownObjectiveIsInvalidArgument) {
  StartPreflight();
  v1::PublishCheckResponse r;
  grpc::Status s = Check(team_.owner_key, "SELL_EVERYTHING", "", &r);
  ASSERT_THAT(s, GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                              ::testing::HasSubstr("WEB_CONVERSIONS")));
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(s.error_details()));
  bool found = false;
  for (const auto& any : details.details()) {
    google::rpc::BadRequest bad;
    if (any.UnpackTo(&bad)) {
      ASSERT_EQ(bad.field_violations_size(), 1);
      EXPECT_EQ(bad.field_violations(0).field(), "objective");
      found = true;
    }
  }
  EXPECT_TRUE(found);
}

TEST_F(PreflightServiceTest, MissingKeyIsUnauthenticated) {
  StartPreflight();
  grpc::ClientContext ctx;
  v1::PublishCheckRequest req;
  req.set_objective("TRAFFIC");
  v1::PublishCheckResponse r;
  EXPECT_THAT(stub_->PublishCheck(&ctx, req, &r),
              GrpcStatusIs(grpc::StatusCode::UNAUTHENTICATED));
}

}  // namespace
}  // namespace ttads::preflight
