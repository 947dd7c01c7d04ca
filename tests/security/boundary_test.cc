// Hostile input at the gRPC boundary (issue 15), against the four real
// servers in-process (private redis-server, the TikTok simulator):
// - every RPC of every service, sent bytes that do not decode (garbage, a
//   string that is not UTF-8), answers INVALID_ARGUMENT — never
//   UNIMPLEMENTED — and the server stays SERVING;
// - the contract checks of the shared pipeline: unknown enum numbers,
//   out-of-range Timestamps, page sizes and tokens, the WatchAds cursor and
//   REQUIRED ids answer INVALID_ARGUMENT naming the field;
// - a SyncMembers stream whose second message does not decode fails with
//   INVALID_ARGUMENT and does not commit a job.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/protobuf/descriptor.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "libs/connections/connection_store.h"
#include "libs/crypto/crypto.h"
#include "services/ads/ads_server.h"
#include "services/audience/audience_server.h"
#include "services/identity/identity_server.h"
#include "services/preflight/preflight_server.h"
#include "tests/support/raw_call.h"
#include "tests/support/rpc_details.h"
#include "tests/support/service_start.h"
#include "tests/support/suite_fixture.h"
#include "ttads/ads/v1/ads_service.grpc.pb.h"
#include "ttads/audience/v1/audience_service.grpc.pb.h"
#include "ttads/identity/v1/identity_service.grpc.pb.h"
#include "ttads/preflight/v1/preflight_service.grpc.pb.h"

namespace ttads::security {
namespace {

using ::ttads::testing::AddressOf;
using ::ttads::testing::Authorize;
using ::ttads::testing::FieldOf;
using ::ttads::testing::StartService;
using ::ttads::testing::StubOf;
using ::ttads::testing::SuiteFixture;
namespace adsv1 = ::ttads::ads::v1;
namespace audv1 = ::ttads::audience::v1;

constexpr char kAdvertiser[] = "7101000000000000001";

// Any RPC kind with raw bytes, as `key`'s caller.
grpc::Status RawCall(const std::shared_ptr<grpc::Channel>& channel,
                     const std::string& method,
                     const std::vector<std::string>& messages,
                     const std::string& key) {
  grpc::ClientContext ctx;
  Authorize(&ctx, key);
  return ::ttads::testing::CallRaw(channel, method, messages, &ctx);
}

class BoundaryTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto fixture = SuiteFixture::Start();
    ASSERT_TRUE(fixture.ok()) << fixture.status();
    fixture_ = fixture->release();
    auto env = fixture_->ServiceEnv();
    auto identity =
        StartService<identity::IdentityServer>(identity::IdentitySchema(), env);
    ASSERT_TRUE(identity.ok()) << identity.status();
    identity_ = identity->release();
    env["TTADS_IDENTITY_ADDRESS"] = AddressOf(*identity_);
    auto preflight = StartService<preflight::PreflightServer>(
        preflight::PreflightSchema(), env);
    ASSERT_TRUE(preflight.ok()) << preflight.status();
    preflight_ = preflight->release();
    env["TTADS_PREFLIGHT_ADDRESS"] = AddressOf(*preflight_);
    auto ads = StartService<ads::AdsServer>(ads::AdsSchema(), env);
    ASSERT_TRUE(ads.ok()) << ads.status();
    ads_ = ads->release();
    env["TTADS_AUDIENCE_WORKERS"] = "1";
    env["TTADS_AUDIENCE_SCHEDULER_MS"] = "100";
    auto audience =
        StartService<audience::AudienceServer>(audience::AudienceSchema(), env);
    ASSERT_TRUE(audience.ok()) << audience.status();
    audience_ = audience->release();
    audience_->StartBackground();
    encryption_key_ = env["TTADS_TOKEN_ENCRYPTION_KEY"];
  }

  void SetUp() override {
    auto team = fixture_->CreateTeam();
    ASSERT_TRUE(team.ok()) << team.status();
    team_ = *team;
  }

  // Gives the team's owner a TikTok connection reaching kAdvertiser.
  void Connect() {
    auto key = crypto::ParseKey(encryption_key_);
    ASSERT_TRUE(key.ok());
    connections::RedisConnectionStore conns(&fixture_->redis(), *key);
    connections::Connection c;
    c.connection_id = "conn_" + team_.team_id;
    c.team_id = team_.team_id;
    c.member_id = team_.owner_id;
    c.advertisers = {{kAdvertiser, "Demo"}};
    c.create_time = absl::Now();
    ASSERT_TRUE(
        conns.Create(c, fixture_->sim().IssueAccessToken({kAdvertiser})).ok());
  }

  struct Target {
    std::string address;
    std::string service;
  };
  static std::vector<Target> Targets() {
    return {{AddressOf(*identity_), "ttads.identity.v1.IdentityService"},
            {AddressOf(*preflight_), "ttads.preflight.v1.PreflightService"},
            {AddressOf(*ads_), "ttads.ads.v1.AdsService"},
            {AddressOf(*ads_), "ttads.compat.v1.ZernioAdsService"},
            {AddressOf(*ads_), "ttads.compat.v1.AdspirerToolsService"},
            {AddressOf(*audience_), "ttads.audience.v1.AudienceService"}};
  }

  static std::shared_ptr<grpc::Channel> Channel(const std::string& address) {
    return grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
  }

  static SuiteFixture* fixture_;
  static identity::IdentityServer* identity_;
  static preflight::PreflightServer* preflight_;
  static ads::AdsServer* ads_;
  static audience::AudienceServer* audience_;
  static std::string encryption_key_;
  testing::TestTeam team_;
};

SuiteFixture* BoundaryTest::fixture_ = nullptr;
identity::IdentityServer* BoundaryTest::identity_ = nullptr;
preflight::PreflightServer* BoundaryTest::preflight_ = nullptr;
ads::AdsServer* BoundaryTest::ads_ = nullptr;
audience::AudienceServer* BoundaryTest::audience_ = nullptr;
std::string BoundaryTest::encryption_key_;

TEST_F(BoundaryTest, EveryRpcRefusesBytesThatDoNotDecode) {
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  int methods = 0;
  for (const Target& target : Targets()) {
    auto channel = Channel(target.address);
    const auto* service = pool->FindServiceByName(target.service);
    ASSERT_NE(service, nullptr) << target.service;
    for (int i = 0; i < service->method_count(); ++i) {
      const auto* method = service->method(i);
      const std::string path =
          absl::StrCat("/", service->full_name(), "/", method->name());
      ++methods;
      // Field 1 as a varint with an invalid wire type 7 after it.
      grpc::Status s =
          RawCall(channel, path, {"\xff\xff\xff\xff\x0f\x07"}, team_.owner_key);
      EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
          << path << ": " << s.error_message();
      EXPECT_NE(s.error_message().find("does not decode"), std::string::npos)
          << path << ": " << s.error_message();

      const auto* first = method->input_type()->FindFieldByNumber(1);
      if (first != nullptr &&
          first->type() == google::protobuf::FieldDescriptor::TYPE_STRING &&
          !first->is_repeated()) {
        s = RawCall(channel, path, {std::string("\x0a\x03\xff\xfe\x41", 5)},
                    team_.owner_key);
        EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << path;
        EXPECT_EQ(FieldOf(s), first->name())
            << path << ": " << s.error_message();
      }
    }
    auto health = grpc::health::v1::Health::NewStub(channel);
    grpc::ClientContext ctx;
    grpc::health::v1::HealthCheckRequest req;
    req.set_service(target.service);
    grpc::health::v1::HealthCheckResponse resp;
    ASSERT_TRUE(health->Check(&ctx, req, &resp).ok());
    EXPECT_EQ(resp.status(), grpc::health::v1::HealthCheckResponse::SERVING);
  }
  EXPECT_GE(methods, 30);
}

TEST_F(BoundaryTest, EmptyRequiredIdsAreInvalidArgument) {
  auto audience = StubOf<audv1::AudienceService>(*audience_);
  {
    grpc::ClientContext ctx;
    Authorize(&ctx, team_.owner_key);
    audv1::GetAudienceRequest req;
    req.set_advertiser_id(kAdvertiser);
    audv1::Audience out;
    grpc::Status s = audience->GetAudience(&ctx, req, &out);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(FieldOf(s), "audience_id");
  }
  {
    grpc::ClientContext ctx;
    Authorize(&ctx, team_.owner_key);
    audv1::DeleteAudienceRequest req;
    req.set_advertiser_id(kAdvertiser);
    audv1::DeleteAudienceResponse out;
    grpc::Status s = audience->DeleteAudience(&ctx, req, &out);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(FieldOf(s), "audience_id");
  }
  {
    grpc::ClientContext ctx;
    Authorize(&ctx, team_.owner_key);
    audv1::SyncJob out;
    grpc::Status s = audience->GetSyncJob(&ctx, {}, &out);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(FieldOf(s), "job_id");
  }
  {
    auto ads = StubOf<adsv1::AdsService>(*ads_);
    grpc::ClientContext ctx;
    Authorize(&ctx, team_.owner_key);
    adsv1::CallTikTokApiRequest req;
    req.set_advertiser_id(kAdvertiser);
    adsv1::CallTikTokApiResponse out;
    grpc::Status s = ads->CallTikTokApi(&ctx, req, &out);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(FieldOf(s), "path");
  }
}

TEST_F(BoundaryTest, ContractChecksNameTheField) {
  auto ads = StubOf<adsv1::AdsService>(*ads_);
  auto audience = StubOf<audv1::AudienceService>(*audience_);
  auto expect_invalid = [](const grpc::Status& s, const std::string& field) {
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << field << ": " << s.error_message();
    EXPECT_EQ(FieldOf(s), field) << s.error_message();
  };
  {
    grpc::ClientContext ctx;
    Authorize(&ctx, team_.owner_key);
    adsv1::SetAdStatusRequest req;
    req.set_advertiser_id(kAdvertiser);
    req.add_ad_ids("1");
    req.set_operation_status(static_cast<adsv1::AdOperation>(-1));
    adsv1::SetAdStatusResponse out;
    expect_invalid(ads->SetAdStatus(&ctx, req, &out), "operation_status");
  }
  {
    grpc::ClientContext ctx;
    Authorize(&ctx, team_.owner_key);
    adsv1::ListIdentityVideosRequest req;
    req.set_advertiser_id(kAdvertiser);
    req.set_identity_id("x");
    req.set_identity_type(static_cast<ttads::common::v1::IdentityType>(99));
    adsv1::ListIdentityVideosResponse out;
    expect_invalid(ads->ListIdentityVideos(&ctx, req, &out), "identity_type");
  }
  {
    grpc::ClientContext ctx;
    Authorize(&ctx, team_.owner_key);
    adsv1::ListIdentityVideosRequest req;
    req.set_advertiser_id(kAdvertiser);
    req.set_identity_id("x");
    req.set_page_size(-1);
    adsv1::ListIdentityVideosResponse out;
    expect_invalid(ads->ListIdentityVideos(&ctx, req, &out), "page_size");
  }
  {
    grpc::ClientContext ctx;
    Authorize(&ctx, team_.owner_key);
    adsv1::ListAdsRequest req;
    req.set_advertiser_id(kAdvertiser);
    req.mutable_create_start_time()->set_nanos(1000000000);
    adsv1::ListAdsResponse out;
    expect_invalid(ads->ListAds(&ctx, req, &out), "create_start_time");
  }
  for (const auto& [watch_by, cursor, field] :
       std::vector<std::tuple<int, std::string, std::string>>{
           {99, "", "watch_by"}, {1, "garbage", "cursor"}}) {
    grpc::ClientContext ctx;
    Authorize(&ctx, team_.owner_key);
    adsv1::WatchAdsRequest req;
    req.set_advertiser_id(kAdvertiser);
    req.set_watch_by(static_cast<adsv1::WatchBy>(watch_by));
    req.set_cursor(cursor);
    auto reader = ads->WatchAds(&ctx, req);
    adsv1::AdEvent event;
    while (reader->Read(&event)) {
    }
    expect_invalid(reader->Finish(), field);
  }
  for (const auto& [size, token, field] :
       std::vector<std::tuple<int, std::string, std::string>>{
           {-1, "", "page_size"}, {0, "not-a-token", "page_token"}}) {
    grpc::ClientContext ctx;
    Authorize(&ctx, team_.owner_key);
    audv1::ListAudiencesRequest req;
    req.set_advertiser_id(kAdvertiser);
    req.set_page_size(size);
    req.set_page_token(token);
    audv1::ListAudiencesResponse out;
    expect_invalid(audience->ListAudiences(&ctx, req, &out), field);

    grpc::ClientContext jobs_ctx;
    Authorize(&jobs_ctx, team_.owner_key);
    audv1::ListSyncJobsRequest jobs;
    jobs.set_page_size(size);
    jobs.set_page_token(token);
    audv1::ListSyncJobsResponse jobs_out;
    expect_invalid(audience->ListSyncJobs(&jobs_ctx, jobs, &jobs_out), field);
  }
}

TEST_F(BoundaryTest, SyncStreamWithAnUndecodableMessageCommitsNothing) {
  Connect();
  auto audience = StubOf<audv1::AudienceService>(*audience_);
  audv1::Audience created;
  {
    grpc::ClientContext ctx;
    Authorize(&ctx, team_.owner_key);
    audv1::CreateAudienceRequest req;
    req.set_advertiser_id(kAdvertiser);
    req.set_name(absl::StrCat("boundary-", absl::ToUnixNanos(absl::Now())));
    req.add_identifier_types(audv1::IDENTIFIER_TYPE_EMAIL);
    ASSERT_TRUE(audience->CreateAudience(&ctx, req, &created).ok());
  }
  audv1::SyncMembersRequest first;
  first.set_advertiser_id(kAdvertiser);
  first.set_audience_id(created.audience_id());
  first.set_operation(audv1::MEMBER_OPERATION_ADD);
  auto* batch = first.add_batches();
  batch->set_type(audv1::IDENTIFIER_TYPE_EMAIL);
  batch->add_values("someone@example.com");
  std::string first_bytes;
  ASSERT_TRUE(first.SerializeToString(&first_bytes));
  // batches[0].values[0] = "\xff".
  const std::string bad("\x22\x05\x08\x01\x12\x01\xff", 7);
  grpc::Status s = RawCall(Channel(AddressOf(*audience_)),
                           "/ttads.audience.v1.AudienceService/SyncMembers",
                           {first_bytes, bad}, team_.owner_key);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
      << s.error_message();
  EXPECT_NE(s.error_message().find("message 2 of the stream"),
            std::string::npos)
      << s.error_message();
  EXPECT_EQ(FieldOf(s), "batches.values");

  grpc::ClientContext ctx;
  Authorize(&ctx, team_.owner_key);
  audv1::ListSyncJobsRequest req;
  req.set_audience_id(created.audience_id());
  audv1::ListSyncJobsResponse jobs;
  ASSERT_TRUE(audience->ListSyncJobs(&ctx, req, &jobs).ok());
  for (const auto& job : jobs.jobs()) {
    EXPECT_NE(job.state(), audv1::SYNC_JOB_STATE_SUCCEEDED)
        << job.DebugString();
    EXPECT_EQ(job.uploaded_size(), 0) << job.DebugString();
  }
}

}  // namespace
}  // namespace ttads::security
