// Hostile input at the gRPC boundary (issue 15), against the four real
// servers in-process (private redis-server, the TikTok simulator):
// - every RPC of every service, sent bytes that do not decode (garbage, a
//   string that is not UTF-8), answers INVALID_ARGUMENT — never
//   UNIMPLEMENTED — and the server stays SERVING;
// - the contract checks of the shared pipeline: unknown enum numbers,
//   out-of-range Timestamps, page sizes and tokens, the WatchAds cursor and
//   REQUIRED ids answer INVALID_ARGUMENT naming the field;
// - a SyncMembers stream whose second message does not decode fails with
//   INVALID_ARGUMENT and does not commit a job;
// - AdminService (hosted by identity), as an operator: every RPC refuses
//   undecodable bytes, and hostile or malformed fields (missing, too long,
//   control characters, Redis glob and path characters, unknown enum
//   numbers, out-of-range durations, bad page sizes and tokens) answer
//   INVALID_ARGUMENT naming the field or NOT_FOUND, never a 5xx code, and
//   create nothing.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/protobuf/descriptor.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "libs/auth/team_store.h"
#include "libs/connections/connection_store.h"
#include "libs/testing/grpc_status_matchers.h"
#include "libs/testing/status_matchers.h"
#include "services/ads/ads_server.h"
#include "services/audience/audience_server.h"
#include "services/identity/identity_server.h"
#include "services/preflight/preflight_server.h"
#include "tests/support/raw_call.h"
#include "tests/support/rpc_details.h"
#include "tests/support/service_start.h"
#include "tests/support/suite_fixture.h"
#include "ttads/admin/v1/admin_service.grpc.pb.h"
#include "ttads/ads/v1/ads_service.grpc.pb.h"
#include "ttads/audience/v1/audience_service.grpc.pb.h"
#include "ttads/identity/v1/identity_service.grpc.pb.h"
#include "ttads/preflight/v1/preflight_service.grpc.pb.h"

namespace ttads::security {
namespace {

using ::testing::AnyOf;
using ::testing::HasSubstr;
using ::testing::Not;
using ::ttads::testing::AddressOf;
using ::ttads::testing::Authorize;
using ::ttads::testing::FieldOf;
using ::ttads::testing::GrpcIsOk;
using ::ttads::testing::GrpcStatusIs;
using ::ttads::testing::IsOk;
using ::ttads::testing::StartService;
using ::ttads::testing::StubOf;
using ::ttads::testing::SuiteFixture;
namespace adminv1 = ::ttads::admin::v1;
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
    ASSERT_THAT(fixture, IsOk());
    fixture_ = fixture->release();
    auto env = fixture_->ServiceEnv();
    auto identity =
        StartService<identity::IdentityServer>(identity::IdentitySchema(), env);
    ASSERT_THAT(identity, IsOk());
    identity_ = identity->release();
    env["TTADS_IDENTITY_ADDRESS"] = AddressOf(*identity_);
    auto preflight = StartService<preflight::PreflightServer>(
        preflight::PreflightSchema(), env);
    ASSERT_THAT(preflight, IsOk());
    preflight_ = preflight->release();
    env["TTADS_PREFLIGHT_ADDRESS"] = AddressOf(*preflight_);
    auto ads = StartService<ads::AdsServer>(ads::AdsSchema(), env);
    ASSERT_THAT(ads, IsOk());
    ads_ = ads->release();
    env["TTADS_AUDIENCE_WORKERS"] = "1";
    env["TTADS_AUDIENCE_SCHEDULER_MS"] = "100";
    auto audience =
        StartService<audience::AudienceServer>(audience::AudienceSchema(), env);
    ASSERT_THAT(audience, IsOk());
    audience_ = audience->release();
    audience_->StartBackground();
    // An operator: a member with the admin role, for AdminService.
    auto ops = fixture_->teams().CreateTeam("Operators", "enterprise", true);
    ASSERT_THAT(ops, IsOk());
    auto op = fixture_->teams().AddMember(ops->id, "Ops", auth::Role::kAdmin);
    ASSERT_THAT(op, IsOk());
    auto key = fixture_->teams().IssueApiKey(ops->id, op->id);
    ASSERT_THAT(key, IsOk());
    admin_key_ = key->plaintext;
  }

  void SetUp() override {
    auto team = fixture_->CreateTeam();
    ASSERT_THAT(team, IsOk());
    team_ = *team;
  }

  // Gives the team's owner a TikTok connection reaching kAdvertiser.
  void Connect() {
    auto connected = fixture_->ConnectOwner(team_, kAdvertiser);
    ASSERT_THAT(connected, IsOk());
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
  static std::string admin_key_;
  testing::TestTeam team_;
};

SuiteFixture* BoundaryTest::fixture_ = nullptr;
identity::IdentityServer* BoundaryTest::identity_ = nullptr;
preflight::PreflightServer* BoundaryTest::preflight_ = nullptr;
ads::AdsServer* BoundaryTest::ads_ = nullptr;
audience::AudienceServer* BoundaryTest::audience_ = nullptr;
std::string BoundaryTest::admin_key_;

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
      EXPECT_THAT(s, GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                                  HasSubstr("does not decode")))
          << path;

      const auto* first = method->input_type()->FindFieldByNumber(1);
      if (first != nullptr &&
          first->type() == google::protobuf::FieldDescriptor::TYPE_STRING &&
          !first->is_repeated()) {
        s = RawCall(channel, path, {std::string("\x0a\x03\xff\xfe\x41", 5)},
                    team_.owner_key);
        EXPECT_THAT(s, GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT))
            << path;
        EXPECT_EQ(FieldOf(s), first->name())
            << path << ": " << s.error_message();
      }
    }
    auto health = grpc::health::v1::Health::NewStub(channel);
    grpc::ClientContext ctx;
    grpc::health::v1::HealthCheckRequest req;
    req.set_service(target.service);
    grpc::health::v1::HealthCheckResponse resp;
    ASSERT_THAT(health->Check(&ctx, req, &resp), GrpcIsOk());
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
    EXPECT_THAT(s, GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT));
    EXPECT_EQ(FieldOf(s), "audience_id");
  }
  {
    grpc::ClientContext ctx;
    Authorize(&ctx, team_.owner_key);
    audv1::DeleteAudienceRequest req;
    req.set_advertiser_id(kAdvertiser);
    audv1::DeleteAudienceResponse out;
    grpc::Status s = audience->DeleteAudience(&ctx, req, &out);
    EXPECT_THAT(s, GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT));
    EXPECT_EQ(FieldOf(s), "audience_id");
  }
  {
    grpc::ClientContext ctx;
    Authorize(&ctx, team_.owner_key);
    audv1::SyncJob out;
    grpc::Status s = audience->GetSyncJob(&ctx, {}, &out);
    EXPECT_THAT(s, GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT));
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
    EXPECT_THAT(s, GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT));
    EXPECT_EQ(FieldOf(s), "path");
  }
}

TEST_F(BoundaryTest, ContractChecksNameTheField) {
  auto ads = StubOf<adsv1::AdsService>(*ads_);
  auto audience = StubOf<audv1::AudienceService>(*audience_);
  auto expect_invalid = [](const grpc::Status& s, const std::string& field) {
    EXPECT_THAT(s, GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT)) << field;
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
    req.mutable_audience()->set_name(
        absl::StrCat("boundary-", absl::ToUnixNanos(absl::Now())));
    req.mutable_audience()->add_identifier_types(audv1::IDENTIFIER_TYPE_EMAIL);
    ASSERT_THAT(audience->CreateAudience(&ctx, req, &created), GrpcIsOk());
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
  EXPECT_THAT(s, GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                              HasSubstr("message 2 of the stream")));
  EXPECT_EQ(FieldOf(s), "batches.values");

  grpc::ClientContext ctx;
  Authorize(&ctx, team_.owner_key);
  audv1::ListSyncJobsRequest req;
  req.set_audience_id(created.audience_id());
  audv1::ListSyncJobsResponse jobs;
  ASSERT_THAT(audience->ListSyncJobs(&ctx, req, &jobs), GrpcIsOk());
  for (const auto& job : jobs.jobs()) {
    EXPECT_NE(job.state(), audv1::SYNC_JOB_STATE_SUCCEEDED)
        << job.DebugString();
    EXPECT_EQ(job.uploaded_size(), 0) << job.DebugString();
  }
}

// No hostile input may yield a server-side failure code.
void ExpectNoServerError(const grpc::Status& s, const std::string& what) {
  for (grpc::StatusCode bad :
       {grpc::StatusCode::INTERNAL, grpc::StatusCode::UNKNOWN,
        grpc::StatusCode::UNIMPLEMENTED, grpc::StatusCode::DATA_LOSS,
        grpc::StatusCode::UNAVAILABLE}) {
    EXPECT_THAT(s, Not(GrpcStatusIs(bad))) << what;
  }
}

TEST_F(BoundaryTest, EveryAdminRpcRefusesBytesThatDoNotDecode) {
  const auto* service =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
          "ttads.admin.v1.AdminService");
  ASSERT_NE(service, nullptr);
  auto channel = Channel(AddressOf(*identity_));
  for (int i = 0; i < service->method_count(); ++i) {
    const auto* method = service->method(i);
    const std::string path =
        absl::StrCat("/", service->full_name(), "/", method->name());
    grpc::Status s =
        RawCall(channel, path, {"\xff\xff\xff\xff\x0f\x07"}, admin_key_);
    EXPECT_THAT(s, GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                                HasSubstr("does not decode")))
        << path;
    // Field 1 holding a string that is not UTF-8 (for a message field, a
    // submessage whose field 1 is not UTF-8 either: bytes 0a 03 ff fe 41).
    const auto* first = method->input_type()->FindFieldByNumber(1);
    if (first != nullptr &&
        first->type() == google::protobuf::FieldDescriptor::TYPE_STRING &&
        !first->is_repeated()) {
      s = RawCall(channel, path, {std::string("\x0a\x03\xff\xfe\x41", 5)},
                  admin_key_);
      EXPECT_THAT(s, GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT)) << path;
      EXPECT_EQ(FieldOf(s), first->name()) << path << ": " << s.error_message();
    }
  }
  EXPECT_GE(service->method_count(), 10);
  auto health = grpc::health::v1::Health::NewStub(channel);
  grpc::ClientContext ctx;
  grpc::health::v1::HealthCheckRequest req;
  req.set_service("ttads.admin.v1.AdminService");
  grpc::health::v1::HealthCheckResponse resp;
  ASSERT_THAT(health->Check(&ctx, req, &resp), GrpcIsOk());
  EXPECT_EQ(resp.status(), grpc::health::v1::HealthCheckResponse::SERVING);
}

// Ids no admin RPC may take for a real one: empty is a missing REQUIRED
// field; the others are hostile (too long, control and NUL characters, Redis
// glob and key separators, path traversal, not UTF-8 would not decode).
std::vector<std::string> HostileIds() {
  return {std::string(4096, 'a'),
          "tm_*",
          "*",
          "tm_abc:keys",
          "../../etc/passwd",
          "tm_\n\r",
          std::string("tm_\0x", 5),
          "{\"$ne\":null}",
          "tm_\xc3\xa9t\xc3\xa9"};
}

TEST_F(BoundaryTest, AdminIdsThatNameNothingAreRefused) {
  auto admin = StubOf<adminv1::AdminService>(*identity_);
  // Every RPC that takes ids: missing → INVALID_ARGUMENT naming the field;
  // hostile → INVALID_ARGUMENT or NOT_FOUND, never a server error.
  struct IdCall {
    std::string name;
    std::string required_field;  // What an empty id is reported as.
    std::function<grpc::Status(const std::string& id)> call;
  };
  auto ctx_for = [](grpc::ClientContext* ctx) { Authorize(ctx, admin_key_); };
  const std::string team = team_.team_id;
  const std::string member = team_.owner_id;
  std::vector<IdCall> calls = {
      {"GetTeam", "team_id",
       [&](const std::string& id) {
         grpc::ClientContext ctx;
         ctx_for(&ctx);
         adminv1::GetTeamRequest req;
         req.set_team_id(id);
         adminv1::Team out;
         return admin->GetTeam(&ctx, req, &out);
       }},
      {"ListMembers", "team_id",
       [&](const std::string& id) {
         grpc::ClientContext ctx;
         ctx_for(&ctx);
         adminv1::ListMembersRequest req;
         req.set_team_id(id);
         adminv1::ListMembersResponse out;
         return admin->ListMembers(&ctx, req, &out);
       }},
      {"DeleteMember", "member_id",
       [&](const std::string& id) {
         grpc::ClientContext ctx;
         ctx_for(&ctx);
         adminv1::DeleteMemberRequest req;
         req.set_team_id(team);
         req.set_member_id(id);
         adminv1::DeleteMemberResponse out;
         return admin->DeleteMember(&ctx, req, &out);
       }},
      {"CreateApiKey", "member_id",
       [&](const std::string& id) {
         grpc::ClientContext ctx;
         ctx_for(&ctx);
         adminv1::CreateApiKeyRequest req;
         req.set_team_id(team);
         req.set_member_id(id);
         adminv1::CreateApiKeyResponse out;
         return admin->CreateApiKey(&ctx, req, &out);
       }},
      {"CreateApiKey(team)", "team_id",
       [&](const std::string& id) {
         grpc::ClientContext ctx;
         ctx_for(&ctx);
         adminv1::CreateApiKeyRequest req;
         req.set_team_id(id);
         req.set_member_id(member);
         adminv1::CreateApiKeyResponse out;
         return admin->CreateApiKey(&ctx, req, &out);
       }},
      {"ListApiKeys", "team_id",
       [&](const std::string& id) {
         grpc::ClientContext ctx;
         ctx_for(&ctx);
         adminv1::ListApiKeysRequest req;
         req.set_team_id(id);
         adminv1::ListApiKeysResponse out;
         return admin->ListApiKeys(&ctx, req, &out);
       }},
      {"RevokeApiKey", "key_id",
       [&](const std::string& id) {
         grpc::ClientContext ctx;
         ctx_for(&ctx);
         adminv1::RevokeApiKeyRequest req;
         req.set_team_id(team);
         req.set_key_id(id);
         adminv1::RevokeApiKeyResponse out;
         return admin->RevokeApiKey(&ctx, req, &out);
       }},
      {"RotateApiKey", "key_id",
       [&](const std::string& id) {
         grpc::ClientContext ctx;
         ctx_for(&ctx);
         adminv1::RotateApiKeyRequest req;
         req.set_team_id(team);
         req.set_key_id(id);
         adminv1::RotateApiKeyResponse out;
         return admin->RotateApiKey(&ctx, req, &out);
       }},
  };
  for (const IdCall& c : calls) {
    grpc::Status s = c.call("");
    EXPECT_THAT(s, GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT)) << c.name;
    EXPECT_EQ(FieldOf(s), c.required_field)
        << c.name << ": " << s.error_message();
    for (const std::string& id : HostileIds()) {
      const std::string what = absl::StrCat(c.name, "(", id.substr(0, 40), ")");
      s = c.call(id);
      ExpectNoServerError(s, what);
      EXPECT_THAT(s, AnyOf(GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT),
                           GrpcStatusIs(grpc::StatusCode::NOT_FOUND)))
          << what;
    }
  }
  // Nothing was created or revoked: the team still has its three members,
  // each with its one key.
  grpc::ClientContext ctx;
  ctx_for(&ctx);
  adminv1::ListApiKeysRequest req;
  req.set_team_id(team);
  adminv1::ListApiKeysResponse keys;
  ASSERT_THAT(admin->ListApiKeys(&ctx, req, &keys), GrpcIsOk());
  EXPECT_EQ(keys.api_keys_size(), 3);
  for (const auto& k : keys.api_keys()) {
    EXPECT_FALSE(k.has_revoke_time()) << k.DebugString();
    EXPECT_FALSE(k.has_expire_time()) << k.DebugString();
  }
}

TEST_F(BoundaryTest, AdminMalformedFieldsNameTheField) {
  auto admin = StubOf<adminv1::AdminService>(*identity_);
  auto expect_invalid = [](const grpc::Status& s, const std::string& field,
                           const std::string& what) {
    EXPECT_THAT(s, GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT)) << what;
    EXPECT_EQ(FieldOf(s), field) << what << ": " << s.error_message();
  };
  auto teams_now = [&] {
    grpc::ClientContext ctx;
    Authorize(&ctx, admin_key_);
    adminv1::ListTeamsRequest req;
    req.set_page_size(1000);
    adminv1::ListTeamsResponse out;
    EXPECT_THAT(admin->ListTeams(&ctx, req, &out), GrpcIsOk());
    return out.teams_size();
  };
  const int teams_before = teams_now();
  // CreateTeam: no team, a display name empty, too long or with control
  // characters, a tier number the enum does not declare, a request_id too
  // long.
  std::vector<std::tuple<std::string, adminv1::CreateTeamRequest, std::string>>
      teams;
  {
    adminv1::CreateTeamRequest r;
    teams.emplace_back("no team", r, "team");
    r.mutable_team()->set_display_name("");
    teams.emplace_back("empty name", r, "team.display_name");
    r.mutable_team()->set_display_name(std::string(101, 'x'));
    teams.emplace_back("long name", r, "team.display_name");
    r.mutable_team()->set_display_name("bad\x01name");
    teams.emplace_back("control name", r, "team.display_name");
    r.mutable_team()->set_display_name("Fine");
    r.mutable_team()->set_tier(static_cast<adminv1::Tier>(99));
    teams.emplace_back("tier", r, "team.tier");
    r.mutable_team()->set_tier(static_cast<adminv1::Tier>(-1));
    teams.emplace_back("negative tier", r, "team.tier");
    r.mutable_team()->set_tier(adminv1::TIER_STANDARD);
    r.set_request_id(std::string(129, 'r'));
    teams.emplace_back("request_id", r, "request_id");
  }
  for (const auto& [what, req, field] : teams) {
    grpc::ClientContext ctx;
    Authorize(&ctx, admin_key_);
    adminv1::Team out;
    expect_invalid(admin->CreateTeam(&ctx, req, &out), field, what);
  }
  EXPECT_EQ(teams_now(), teams_before);

  // CreateMember: unknown role numbers, names as above.
  using RoleType = std::decay_t<decltype(adminv1::Member().role())>;
  std::vector<
      std::tuple<std::string, adminv1::CreateMemberRequest, std::string>>
      members;
  {
    adminv1::CreateMemberRequest r;
    r.set_team_id(team_.team_id);
    members.emplace_back("no member", r, "member");
    r.mutable_member()->set_display_name("Someone");
    members.emplace_back("no role", r, "member.role");
    r.mutable_member()->set_role(static_cast<RoleType>(99));
    members.emplace_back("role 99", r, "member.role");
    r.mutable_member()->set_role(static_cast<RoleType>(-1));
    members.emplace_back("role -1", r, "member.role");
    r.mutable_member()->set_role(static_cast<RoleType>(1));
    r.mutable_member()->set_display_name(std::string(101, 'x'));
    members.emplace_back("long name", r, "member.display_name");
    r.mutable_member()->set_display_name("tab\tname");
    members.emplace_back("control name", r, "member.display_name");
  }
  for (const auto& [what, req, field] : members) {
    grpc::ClientContext ctx;
    Authorize(&ctx, admin_key_);
    adminv1::Member out;
    expect_invalid(admin->CreateMember(&ctx, req, &out), field, what);
  }
  {
    grpc::ClientContext ctx;
    Authorize(&ctx, admin_key_);
    adminv1::ListMembersRequest req;
    req.set_team_id(team_.team_id);
    adminv1::ListMembersResponse out;
    ASSERT_THAT(admin->ListMembers(&ctx, req, &out), GrpcIsOk());
    EXPECT_EQ(out.members_size(), 3);
  }

  // Pages: sizes outside 1–1000 (0 is the default) and tokens no answer
  // gave, on every List.
  for (const auto& [size, token, field] :
       std::vector<std::tuple<int, std::string, std::string>>{
           {-1, "", "page_size"},
           {1001, "", "page_size"},
           {0, "not-a-token", "page_token"},
           {0, std::string(2000, 'A'), "page_token"}}) {
    const std::string what = absl::StrCat(size, "/", token.substr(0, 20));
    {
      grpc::ClientContext ctx;
      Authorize(&ctx, admin_key_);
      adminv1::ListTeamsRequest req;
      req.set_page_size(size);
      req.set_page_token(token);
      adminv1::ListTeamsResponse out;
      expect_invalid(admin->ListTeams(&ctx, req, &out), field,
                     "ListTeams " + what);
    }
    {
      grpc::ClientContext ctx;
      Authorize(&ctx, admin_key_);
      adminv1::ListMembersRequest req;
      req.set_team_id(team_.team_id);
      req.set_page_size(size);
      req.set_page_token(token);
      adminv1::ListMembersResponse out;
      expect_invalid(admin->ListMembers(&ctx, req, &out), field,
                     "ListMembers " + what);
    }
    {
      grpc::ClientContext ctx;
      Authorize(&ctx, admin_key_);
      adminv1::ListApiKeysRequest req;
      req.set_team_id(team_.team_id);
      req.set_page_size(size);
      req.set_page_token(token);
      adminv1::ListApiKeysResponse out;
      expect_invalid(admin->ListApiKeys(&ctx, req, &out), field,
                     "ListApiKeys " + what);
    }
  }

  // RotateApiKey: overlaps outside 0–30 days or not a valid Duration, on a
  // real key, which keeps working unrotated.
  grpc::ClientContext list_ctx;
  Authorize(&list_ctx, admin_key_);
  adminv1::ListApiKeysRequest list;
  list.set_team_id(team_.team_id);
  list.set_member_id(team_.owner_id);
  adminv1::ListApiKeysResponse keys;
  ASSERT_THAT(admin->ListApiKeys(&list_ctx, list, &keys), GrpcIsOk());
  ASSERT_EQ(keys.api_keys_size(), 1);
  const std::string key_id = keys.api_keys(0).key_id();
  for (const auto& [seconds, nanos] :
       std::vector<std::pair<int64_t, int>>{{-1, 0},
                                            {31LL * 24 * 3600, 0},
                                            {315576000001LL, 0},
                                            {1, -5},
                                            {0, 1000000000},
                                            {INT64_MAX, 0}}) {
    grpc::ClientContext ctx;
    Authorize(&ctx, admin_key_);
    adminv1::RotateApiKeyRequest req;
    req.set_team_id(team_.team_id);
    req.set_key_id(key_id);
    req.mutable_overlap()->set_seconds(seconds);
    req.mutable_overlap()->set_nanos(nanos);
    adminv1::RotateApiKeyResponse out;
    expect_invalid(admin->RotateApiKey(&ctx, req, &out), "overlap",
                   absl::StrCat("overlap ", seconds, "s ", nanos, "ns"));
  }
  grpc::ClientContext after_ctx;
  Authorize(&after_ctx, admin_key_);
  adminv1::ListApiKeysResponse after;
  ASSERT_THAT(admin->ListApiKeys(&after_ctx, list, &after), GrpcIsOk());
  ASSERT_EQ(after.api_keys_size(), 1);
  EXPECT_FALSE(after.api_keys(0).has_expire_time());
}

}  // namespace
}  // namespace ttads::security
