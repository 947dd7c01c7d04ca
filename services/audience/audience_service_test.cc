// The audience service in-process over gRPC, with a private redis-server and
// the TikTok simulator (tests/support/suite_fixture.h).
#include "services/audience/audience_service.h"

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "libs/connections/connection_store.h"
#include "libs/crypto/hashing.h"
#include "libs/idempotency/idempotency_store.h"
#include "libs/identifiers/identifiers.h"
#include "libs/log/log.h"
#include "libs/testing/grpc_status_matchers.h"
#include "libs/testing/status_matchers.h"
#include "services/audience/audience_server.h"
#include "services/audience/audience_store.h"
#include "tests/support/call_counter.h"
#include "tests/support/rpc_details.h"
#include "tests/support/suite_fixture.h"
#include "tools/tiktok_sim/seed.h"

namespace ttads::audience {
namespace {

using ::ttads::testing::GrpcIsOk;
using ::ttads::testing::GrpcStatusIs;
using ::ttads::testing::IsOk;

constexpr char kAdvertiser[] = "7101000000000000001";

class AudienceServiceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto fixture = testing::SuiteFixture::Start();
    ASSERT_THAT(fixture, IsOk());
    fixture_ = fixture->release();
    env_ = fixture_->ServiceEnv();
    env_["TTADS_AUDIENCE_WORKERS"] = "2";
    env_["TTADS_AUDIENCE_MAX_FILE_BYTES"] = "65000";  // ~1000 digests a file
    env_["TTADS_AUDIENCE_CHUNK_DIGESTS"] = "1000";
    // Generous for a loaded CI machine: a worker whose heartbeat stalls
    // longer than the claim idle time loses the job to the other worker,
    // which uploads its files again (TikTok's counts below would not hold);
    // a Redis command slower than the timeout fails the call.
    env_["TTADS_AUDIENCE_CLAIM_IDLE_MS"] = "10000";
    env_["TTADS_REDIS_TIMEOUT_MS"] = "10000";
    env_["TTADS_AUDIENCE_SCHEDULER_MS"] = "100";
    auto config = config::Load(AudienceSchema(), "", env_);
    ASSERT_THAT(config, IsOk());
    auto server = AudienceServer::Create(*config);
    ASSERT_THAT(server, IsOk());
    server_ = server->release();
    ASSERT_THAT(server_->kit().runner().Start(), IsOk());
    server_->StartBackground();
    stub_ = v1::AudienceService::NewStub(
                grpc::CreateChannel(
                    absl::StrCat("127.0.0.1:", server_->kit().runner().port()),
                    grpc::InsecureChannelCredentials()))
                .release();
  }
  static void TearDownTestSuite() {
    delete stub_;
    server_->StopBackground();
    server_->kit().runner().Shutdown();
    delete server_;
    delete fixture_;
  }

  // How long a test waits for what the server does in the background (a
  // job, a refresh cycle, a counter): long enough for a loaded 2-core CI
  // machine; a passing test waits only as long as the server takes.
  static constexpr absl::Duration kPatience = absl::Seconds(60);

  // Polls `done` every 50 ms until it holds (true) or kPatience has passed
  // (false).
  template <typename Done>
  static bool Eventually(Done done) {
    const absl::Time deadline = absl::Now() + kPatience;
    while (!done()) {
      if (absl::Now() >= deadline) return false;
      absl::SleepFor(absl::Milliseconds(50));
    }
    return true;
  }

  // A team whose owner has a TikTok connection reaching kAdvertiser (an
  // empty team, failing the test, when the fixture cannot create one).
  static testing::TestTeam ConnectedTeam() {
    auto team = fixture_->CreateTeam();
    EXPECT_THAT(team, IsOk());
    if (!team.ok()) return {};
    EXPECT_THAT(fixture_->ConnectOwner(*team, kAdvertiser), IsOk());
    return *team;
  }

  static v1::Audience CreateAudience(const std::string& key,
                                     int64_t refresh = 3600) {
    grpc::ClientContext ctx;
    testing::Authorize(&ctx, key);
    v1::CreateAudienceRequest req;
    req.set_advertiser_id(kAdvertiser);
    v1::Audience* audience = req.mutable_audience();
    audience->set_name(absl::StrCat("aud-", absl::ToUnixNanos(absl::Now())));
    audience->add_identifier_types(v1::IDENTIFIER_TYPE_EMAIL);
    audience->set_refresh_interval_seconds(refresh);
    v1::Audience out;
    grpc::Status s = stub_->CreateAudience(&ctx, req, &out);
    EXPECT_THAT(s, GrpcIsOk());
    return out;
  }

  static grpc::Status Sync(const std::string& key, const std::string& audience,
                           v1::MemberOperation op, int from, int to,
                           v1::SyncJob* job,
                           std::vector<std::string> extra = {}) {
    grpc::ClientContext ctx;
    testing::Authorize(&ctx, key);
    auto writer = stub_->SyncMembers(&ctx, job);
    v1::SyncMembersRequest first;
    first.set_advertiser_id(kAdvertiser);
    first.set_audience_id(audience);
    first.set_operation(op);
    writer->Write(first);
    for (int i = from; i < to; i += 500) {
      v1::SyncMembersRequest req;
      auto* b = req.add_batches();
      b->set_type(v1::IDENTIFIER_TYPE_EMAIL);
      for (int k = i; k < std::min(to, i + 500); ++k) {
        b->add_values(absl::StrCat("member", k, "@example.com"));
      }
      writer->Write(req);
    }
    if (!extra.empty()) {
      v1::SyncMembersRequest req;
      auto* b = req.add_batches();
      b->set_type(v1::IDENTIFIER_TYPE_EMAIL);
      for (auto& v : extra) b->add_values(v);
      writer->Write(req);
    }
    writer->WritesDone();
    return writer->Finish();
  }

  static grpc::Status CreateWith(const std::string& key,
                                 const std::vector<v1::IdentifierType>& types,
                                 const std::string& region, v1::Audience* out) {
    grpc::ClientContext ctx;
    testing::Authorize(&ctx, key);
    v1::CreateAudienceRequest req;
    req.set_advertiser_id(kAdvertiser);
    v1::Audience* audience = req.mutable_audience();
    audience->set_name(absl::StrCat("aud-", absl::ToUnixNanos(absl::Now())));
    for (auto t : types) audience->add_identifier_types(t);
    audience->set_default_region(region);
    return stub_->CreateAudience(&ctx, req, out);
  }

  // One stream: `first` names the audience (and maybe a region), then
  // `batches` one message each.
  static grpc::Status SyncBatches(
      const std::string& key, v1::SyncMembersRequest first,
      const std::vector<v1::IdentifierBatch>& batches, v1::SyncJob* job) {
    grpc::ClientContext ctx;
    testing::Authorize(&ctx, key);
    auto writer = stub_->SyncMembers(&ctx, job);
    first.set_advertiser_id(kAdvertiser);
    writer->Write(first);
    for (const auto& b : batches) {
      v1::SyncMembersRequest req;
      *req.add_batches() = b;
      writer->Write(req);
    }
    writer->WritesDone();
    return writer->Finish();
  }

  static v1::IdentifierBatch Batch(v1::IdentifierType type,
                                   std::vector<std::string> values) {
    v1::IdentifierBatch b;
    b.set_type(type);
    for (auto& v : values) b.add_values(v);
    return b;
  }

  // `n` distinct raw values of `type` starting at `from`.
  static v1::IdentifierBatch Many(v1::IdentifierType type, int from, int n) {
    v1::IdentifierBatch b;
    b.set_type(type);
    for (int i = from; i < from + n; ++i) {
      if (type == v1::IDENTIFIER_TYPE_EMAIL) {
        b.add_values(absl::StrCat("member", i, "@example.com"));
      } else if (type == v1::IDENTIFIER_TYPE_PHONE) {
        b.add_values(absl::StrCat("+1415555", 1000 + i));
      } else {
        b.add_values(absl::StrFormat("6b2a1e1c-9f3e-4d2a-8b7c-%012x", i + 1));
      }
    }
    return b;
  }

  static v1::Audience GetAudience(const std::string& key,
                                  const std::string& id) {
    grpc::ClientContext ctx;
    testing::Authorize(&ctx, key);
    v1::GetAudienceRequest get;
    get.set_advertiser_id(kAdvertiser);
    get.set_audience_id(id);
    v1::Audience got;
    EXPECT_THAT(stub_->GetAudience(&ctx, get, &got), GrpcIsOk());
    return got;
  }

  // Whether the simulator's audience `tiktok_id` holds SHA-256(`text`).
  static bool SimHolds(const std::string& tiktok_id, const std::string& text) {
    char hex[64];
    identifiers::Sha256Hex(text, hex);
    const std::string digest(hex, 64);
    return fixture_->sim().WithState([&](tiktok_sim::SimState& s) {
      auto it = s.audiences.find(tiktok_id);
      return it != s.audiences.end() && it->second.members.count(digest) > 0;
    });
  }

  // The job once it is final (SUCCEEDED or FAILED), or as it was when
  // kPatience ran out.
  static v1::SyncJob WaitJob(const std::string& key, const std::string& id) {
    v1::SyncJob job;
    Eventually([&] {
      grpc::ClientContext ctx;
      testing::Authorize(&ctx, key);
      v1::GetSyncJobRequest req;
      req.set_job_id(id);
      job.Clear();
      EXPECT_THAT(stub_->GetSyncJob(&ctx, req, &job), GrpcIsOk());
      return job.state() == v1::SYNC_JOB_STATE_SUCCEEDED ||
             job.state() == v1::SYNC_JOB_STATE_FAILED;
    });
    return job;
  }

  // ttads_audience_jobs_finished_total{state} of the server.
  static double FinishedJobs(const std::string& state) {
    for (const auto& family :
         server_->kit().runner().metrics().registry().Collect()) {
      if (family.name != "ttads_audience_jobs_finished_total") continue;
      for (const auto& m : family.metric) {
        for (const auto& label : m.label) {
          if (label.name == "state" && label.value == state) {
            return m.counter.value;
          }
        }
      }
    }
    return -1;
  }

  static testing::SuiteFixture* fixture_;
  static std::map<std::string, std::string> env_;
  static AudienceServer* server_;
  static v1::AudienceService::Stub* stub_;
};

testing::SuiteFixture* AudienceServiceTest::fixture_ = nullptr;
std::map<std::string, std::string> AudienceServiceTest::env_;
AudienceServer* AudienceServiceTest::server_ = nullptr;
v1::AudienceService::Stub* AudienceServiceTest::stub_ = nullptr;

TEST_F(AudienceServiceTest, SyncThroughSimulatorThenRemoveFloor) {
  auto team = ConnectedTeam();
  v1::Audience a = CreateAudience(team.owner_key);
  v1::SyncJob job;
  grpc::Status s =
      Sync(team.owner_key, a.audience_id(), v1::MEMBER_OPERATION_ADD, 0, 3000,
           &job, {"broken", "member1@example.com"});
  ASSERT_THAT(s, GrpcIsOk());
  // The job as it is once committed: a worker may have started it already.
  EXPECT_THAT(job.state(), ::testing::AnyOf(v1::SYNC_JOB_STATE_QUEUED,
                                            v1::SYNC_JOB_STATE_RUNNING,
                                            v1::SYNC_JOB_STATE_SUCCEEDED));
  EXPECT_EQ(job.source(), v1::SYNC_JOB_SOURCE_SYNC);
  EXPECT_EQ(job.received(), 3002);
  job = WaitJob(team.owner_key, job.job_id());
  ASSERT_EQ(job.state(), v1::SYNC_JOB_STATE_SUCCEEDED) << job.DebugString();
  EXPECT_EQ(job.uploaded().at("EMAIL"), 3000);
  EXPECT_EQ(job.duplicates(), 1);
  ASSERT_EQ(job.invalid_size(), 1);
  EXPECT_EQ(job.invalid(0).reason(), v1::INVALID_REASON_BAD_EMAIL);
  EXPECT_EQ(job.files_uploaded(), 4);

  grpc::ClientContext ctx;
  testing::Authorize(&ctx, team.owner_key);
  v1::GetAudienceRequest get;
  get.set_advertiser_id(kAdvertiser);
  get.set_audience_id(a.audience_id());
  v1::Audience got;
  ASSERT_THAT(stub_->GetAudience(&ctx, get, &got), GrpcIsOk());
  EXPECT_EQ(got.size(), 3000);
  EXPECT_TRUE(got.is_valid());
  EXPECT_EQ(got.history_size(), 4);
  const std::string tiktok_id = got.tiktok_audience_id();
  EXPECT_EQ(fixture_->sim().stats().audience[tiktok_id].digests_received,
            3000u);

  // Removing 2,500 would leave 500 < 1,000.
  v1::SyncJob remove;
  ASSERT_THAT(Sync(team.owner_key, a.audience_id(), v1::MEMBER_OPERATION_REMOVE,
                   0, 2500, &remove),
              GrpcIsOk());
  remove = WaitJob(team.owner_key, remove.job_id());
  EXPECT_EQ(remove.state(), v1::SYNC_JOB_STATE_FAILED);
  EXPECT_EQ(remove.error_code(), "FAILED_PRECONDITION");
  EXPECT_EQ(remove.error_reason(), "AUDIENCE_BELOW_MINIMUM");
  // 1,500 is fine.
  ASSERT_THAT(Sync(team.owner_key, a.audience_id(), v1::MEMBER_OPERATION_REMOVE,
                   0, 1500, &remove),
              GrpcIsOk());
  remove = WaitJob(team.owner_key, remove.job_id());
  EXPECT_EQ(remove.state(), v1::SYNC_JOB_STATE_SUCCEEDED)
      << remove.DebugString();
  EXPECT_EQ(fixture_->sim().stats().audience[tiktok_id].members, 1500u);
}

TEST_F(AudienceServiceTest, DisqualificationAppliedAtNextCycle) {
  auto team = ConnectedTeam();
  // An hour's interval, its next cycle brought forward below: one cycle
  // runs in the test, however slow the machine (with a 1 s interval, a
  // second cycle could queue another job before the first took the
  // removals).
  v1::Audience a = CreateAudience(team.owner_key, /*refresh=*/3600);
  v1::SyncJob job;
  ASSERT_THAT(Sync(team.owner_key, a.audience_id(), v1::MEMBER_OPERATION_ADD, 0,
                   1200, &job),
              GrpcIsOk());
  ASSERT_EQ(WaitJob(team.owner_key, job.job_id()).state(),
            v1::SYNC_JOB_STATE_SUCCEEDED);
  grpc::ClientContext ctx;
  testing::Authorize(&ctx, team.owner_key);
  v1::DisqualifyMembersRequest dq;
  dq.set_advertiser_id(kAdvertiser);
  auto* b = dq.add_batches();
  b->set_type(v1::IDENTIFIER_TYPE_EMAIL);
  b->add_values("member3@example.com");
  b->add_values("member4@example.com");
  v1::DisqualifyMembersResponse resp;
  ASSERT_THAT(stub_->DisqualifyMembers(&ctx, dq, &resp), GrpcIsOk());
  EXPECT_EQ(resp.queued(), 2);
  ASSERT_EQ(resp.audience_ids_size(), 1);
  EXPECT_EQ(GetAudience(team.owner_key, a.audience_id()).pending_removals(), 2);
  // The cycle comes due; the scheduler (100 ms tick) applies it.
  AudienceStore store(&fixture_->redis());
  ASSERT_THAT(store.ScheduleRefresh(team.team_id, a.audience_id(), absl::Now()),
              IsOk());
  size_t members = 0;
  int64_t pending = -1;
  EXPECT_TRUE(Eventually([&] {
    v1::Audience got = GetAudience(team.owner_key, a.audience_id());
    members =
        fixture_->sim().stats().audience[got.tiktok_audience_id()].members;
    pending = got.pending_removals();
    return members == 1198 && pending == 0;
  })) << members
      << " members on TikTok, " << pending << " pending removals";
  // The removal ran as a job of its own, marked as a disqualification.
  grpc::ClientContext list_ctx;
  testing::Authorize(&list_ctx, team.owner_key);
  v1::ListSyncJobsRequest list;
  list.set_audience_id(a.audience_id());
  v1::ListSyncJobsResponse jobs;
  ASSERT_THAT(stub_->ListSyncJobs(&list_ctx, list, &jobs), GrpcIsOk());
  int sync = 0, disqualification = 0;
  for (const v1::SyncJob& j : jobs.jobs()) {
    if (j.source() == v1::SYNC_JOB_SOURCE_SYNC) ++sync;
    if (j.source() == v1::SYNC_JOB_SOURCE_DISQUALIFICATION) {
      ++disqualification;
      EXPECT_EQ(j.operation(), v1::MEMBER_OPERATION_REMOVE);
    }
  }
  EXPECT_EQ(sync, 1);
  EXPECT_EQ(disqualification, 1);
}

TEST_F(AudienceServiceTest, TenantIsolationAndBadStreams) {
  auto team_a = ConnectedTeam();
  auto team_b = ConnectedTeam();
  v1::Audience a = CreateAudience(team_a.owner_key);
  v1::SyncJob job;
  ASSERT_THAT(Sync(team_a.owner_key, a.audience_id(), v1::MEMBER_OPERATION_ADD,
                   0, 10, &job),
              GrpcIsOk());

  grpc::ClientContext c1;
  testing::Authorize(&c1, team_b.owner_key);
  v1::GetAudienceRequest get;
  get.set_advertiser_id(kAdvertiser);
  get.set_audience_id(a.audience_id());
  v1::Audience got;
  EXPECT_THAT(stub_->GetAudience(&c1, get, &got),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND));
  grpc::ClientContext c2;
  testing::Authorize(&c2, team_b.owner_key);
  v1::GetSyncJobRequest gj;
  gj.set_job_id(job.job_id());
  v1::SyncJob other;
  EXPECT_THAT(stub_->GetSyncJob(&c2, gj, &other),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND));
  v1::SyncJob stolen;
  EXPECT_THAT(Sync(team_b.owner_key, a.audience_id(), v1::MEMBER_OPERATION_ADD,
                   0, 10, &stolen),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND));
  v1::SyncJob none;
  EXPECT_THAT(
      Sync(team_a.owner_key, "", v1::MEMBER_OPERATION_ADD, 0, 10, &none),
      GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT));
  // No key at all.
  grpc::ClientContext c3;
  EXPECT_THAT(stub_->GetAudience(&c3, get, &got),
              GrpcStatusIs(grpc::StatusCode::UNAUTHENTICATED));
}

// AIP-133: the parent is the request's advertiser_id, the resource its
// `audience`; the audience's output-only fields are the service's to set.
TEST_F(AudienceServiceTest, CreateAudienceTakesTheAudienceUnderItsParent) {
  auto team = ConnectedTeam();
  grpc::ClientContext ctx;
  testing::Authorize(&ctx, team.owner_key);
  v1::CreateAudienceRequest req;
  req.set_advertiser_id(kAdvertiser);
  v1::Audience* audience = req.mutable_audience();
  audience->set_name("Parent and resource");
  audience->add_identifier_types(v1::IDENTIFIER_TYPE_EMAIL);
  audience->set_refresh_interval_seconds(7200);
  audience->set_audience_id("aud_chosen_by_caller");
  audience->set_advertiser_id("7101000000000000999");
  audience->set_size(5000);
  v1::Audience out;
  ASSERT_THAT(stub_->CreateAudience(&ctx, req, &out), GrpcIsOk());
  EXPECT_NE(out.audience_id(), "aud_chosen_by_caller");
  EXPECT_EQ(out.advertiser_id(), kAdvertiser);
  EXPECT_EQ(out.name(), "Parent and resource");
  EXPECT_EQ(out.refresh_interval_seconds(), 7200);
  EXPECT_EQ(out.size(), 0);
  EXPECT_EQ(GetAudience(team.owner_key, out.audience_id()).name(),
            "Parent and resource");
}

// Violations name the request's fields: `audience` itself, then the
// audience's fields under it.
TEST_F(AudienceServiceTest, CreateAudienceViolationsNameFieldsUnderAudience) {
  auto team = ConnectedTeam();
  auto create = [&](const v1::CreateAudienceRequest& req) {
    grpc::ClientContext ctx;
    testing::Authorize(&ctx, team.owner_key);
    v1::Audience out;
    return stub_->CreateAudience(&ctx, req, &out);
  };
  v1::CreateAudienceRequest req;
  req.set_advertiser_id(kAdvertiser);
  grpc::Status s = create(req);
  EXPECT_THAT(s, GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_EQ(testing::FieldOf(s), "audience");

  req.mutable_audience()->add_identifier_types(v1::IDENTIFIER_TYPE_EMAIL);
  s = create(req);
  EXPECT_THAT(s, GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_EQ(testing::FieldOf(s), "audience.name");

  req.mutable_audience()->set_name(std::string(129, 'x'));
  s = create(req);
  EXPECT_THAT(s, GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_EQ(testing::FieldOf(s), "audience.name");

  req.mutable_audience()->set_name("Buyers");
  req.mutable_audience()->clear_identifier_types();
  s = create(req);
  EXPECT_THAT(s, GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_EQ(testing::FieldOf(s), "audience.identifier_types");
}

// A UK list on a US-configured deployment: the region comes from the
// audience (or the upload), and the number is hashed as E.164 with "+".
TEST_F(AudienceServiceTest, PhoneRegionPerAudienceAndPerUpload) {
  auto team = ConnectedTeam();
  v1::Audience bad;
  grpc::Status s =
      CreateWith(team.owner_key, {v1::IDENTIFIER_TYPE_PHONE}, "UK", &bad);
  EXPECT_THAT(s, GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_EQ(testing::FieldOf(s), "audience.default_region");

  v1::Audience gb;
  ASSERT_THAT(
      CreateWith(team.owner_key, {v1::IDENTIFIER_TYPE_PHONE}, "gb", &gb),
      GrpcIsOk());
  EXPECT_EQ(gb.default_region(), "GB");
  EXPECT_EQ(GetAudience(team.owner_key, gb.audience_id()).default_region(),
            "GB");
  v1::SyncMembersRequest first;
  first.set_audience_id(gb.audience_id());
  first.set_operation(v1::MEMBER_OPERATION_ADD);
  v1::SyncJob job;
  ASSERT_THAT(SyncBatches(team.owner_key, first,
                          {Batch(v1::IDENTIFIER_TYPE_PHONE, {"020 7946 0958"}),
                           Many(v1::IDENTIFIER_TYPE_PHONE, 0, 1200)},
                          &job),
              GrpcIsOk());
  job = WaitJob(team.owner_key, job.job_id());
  ASSERT_EQ(job.state(), v1::SYNC_JOB_STATE_SUCCEEDED) << job.DebugString();
  EXPECT_EQ(job.invalid_size(), 0) << job.DebugString();
  const std::string tiktok_id =
      GetAudience(team.owner_key, gb.audience_id()).tiktok_audience_id();
  EXPECT_TRUE(SimHolds(tiktok_id, "+442079460958"));
  EXPECT_FALSE(SimHolds(tiktok_id, "442079460958"));

  // The same number on an audience without a region: read as US, invalid.
  v1::Audience plain;
  ASSERT_THAT(
      CreateWith(team.owner_key, {v1::IDENTIFIER_TYPE_PHONE}, "", &plain),
      GrpcIsOk());
  first.set_audience_id(plain.audience_id());
  ASSERT_THAT(SyncBatches(team.owner_key, first,
                          {Batch(v1::IDENTIFIER_TYPE_PHONE, {"020 7946 0958"}),
                           Many(v1::IDENTIFIER_TYPE_PHONE, 0, 1200)},
                          &job),
              GrpcIsOk());
  job = WaitJob(team.owner_key, job.job_id());
  ASSERT_EQ(job.invalid_size(), 1) << job.DebugString();
  EXPECT_EQ(job.invalid(0).reason(), v1::INVALID_REASON_BAD_PHONE);

  // ... unless the upload names the region on its first message.
  first.set_default_region("GB");
  ASSERT_THAT(
      SyncBatches(team.owner_key, first,
                  {Batch(v1::IDENTIFIER_TYPE_PHONE, {"020 7946 0958"})}, &job),
      GrpcIsOk());
  job = WaitJob(team.owner_key, job.job_id());
  EXPECT_EQ(job.state(), v1::SYNC_JOB_STATE_SUCCEEDED) << job.DebugString();
  EXPECT_EQ(job.invalid_size(), 0);
  EXPECT_TRUE(SimHolds(
      GetAudience(team.owner_key, plain.audience_id()).tiktok_audience_id(),
      "+442079460958"));

  first.set_default_region("XX");
  EXPECT_EQ(testing::FieldOf(SyncBatches(team.owner_key, first, {}, &job)),
            "default_region");
}

// MAID audiences are created with FIRST_SHA256 (create accepts no
// MAID_SHA256) and multi-type audiences upload MULTIPLE_TYPES files.
TEST_F(AudienceServiceTest, MaidAndMultiTypeAudiencesPassTheContract) {
  auto team = ConnectedTeam();
  v1::Audience maid;
  ASSERT_THAT(CreateWith(team.owner_key, {v1::IDENTIFIER_TYPE_MAID}, "", &maid),
              GrpcIsOk());
  v1::SyncMembersRequest first;
  first.set_audience_id(maid.audience_id());
  first.set_operation(v1::MEMBER_OPERATION_ADD);
  v1::SyncJob job;
  ASSERT_THAT(SyncBatches(team.owner_key, first,
                          {Many(v1::IDENTIFIER_TYPE_MAID, 0, 1100)}, &job),
              GrpcIsOk());
  job = WaitJob(team.owner_key, job.job_id());
  ASSERT_EQ(job.state(), v1::SYNC_JOB_STATE_SUCCEEDED) << job.DebugString();
  const std::string maid_tiktok =
      GetAudience(team.owner_key, maid.audience_id()).tiktok_audience_id();
  EXPECT_EQ(fixture_->sim().WithState([&](tiktok_sim::SimState& s) {
    return s.audiences[maid_tiktok].info["calculate_type"].get<std::string>();
  }),
            "FIRST_SHA256");

  v1::Audience multi;
  ASSERT_THAT(CreateWith(team.owner_key,
                         {v1::IDENTIFIER_TYPE_EMAIL, v1::IDENTIFIER_TYPE_PHONE},
                         "", &multi),
              GrpcIsOk());
  first.set_audience_id(multi.audience_id());
  ASSERT_THAT(SyncBatches(team.owner_key, first,
                          {Many(v1::IDENTIFIER_TYPE_EMAIL, 0, 1100),
                           Many(v1::IDENTIFIER_TYPE_PHONE, 0, 1100)},
                          &job),
              GrpcIsOk());
  job = WaitJob(team.owner_key, job.job_id());
  ASSERT_EQ(job.state(), v1::SYNC_JOB_STATE_SUCCEEDED) << job.DebugString();
  const std::string multi_tiktok =
      GetAudience(team.owner_key, multi.audience_id()).tiktok_audience_id();
  EXPECT_EQ(fixture_->sim().stats().audience[multi_tiktok].members, 2200u);
}

// TikTok's 1,000-member floor holds after APPEND too: a small audience that
// stays below it fails the job clearly, nothing applied.
TEST_F(AudienceServiceTest, AppendBelowTheFloorFailsClearly) {
  auto team = ConnectedTeam();
  v1::Audience a = CreateAudience(team.owner_key);
  v1::SyncJob job;
  ASSERT_THAT(Sync(team.owner_key, a.audience_id(), v1::MEMBER_OPERATION_ADD, 0,
                   400, &job),
              GrpcIsOk());
  ASSERT_EQ(WaitJob(team.owner_key, job.job_id()).state(),
            v1::SYNC_JOB_STATE_SUCCEEDED);
  ASSERT_THAT(Sync(team.owner_key, a.audience_id(), v1::MEMBER_OPERATION_ADD,
                   400, 700, &job),
              GrpcIsOk());
  job = WaitJob(team.owner_key, job.job_id());
  EXPECT_EQ(job.state(), v1::SYNC_JOB_STATE_FAILED);
  EXPECT_EQ(job.error_code(), "FAILED_PRECONDITION");
  EXPECT_EQ(job.error_reason(), "AUDIENCE_BELOW_MINIMUM");
  const std::string tiktok_id =
      GetAudience(team.owner_key, a.audience_id()).tiktok_audience_id();
  EXPECT_EQ(fixture_->sim().stats().audience[tiktok_id].members, 400u);
  // Enough to reach the floor: applied.
  ASSERT_THAT(Sync(team.owner_key, a.audience_id(), v1::MEMBER_OPERATION_ADD,
                   400, 1000, &job),
              GrpcIsOk());
  EXPECT_EQ(WaitJob(team.owner_key, job.job_id()).state(),
            v1::SYNC_JOB_STATE_SUCCEEDED);
  EXPECT_EQ(fixture_->sim().stats().audience[tiktok_id].members, 1000u);
}

// --- request_id (AIP-155) on every mutation that declares one ---

v1::CreateAudienceRequest NamedAudience(const std::string& name,
                                        const std::string& rid) {
  v1::CreateAudienceRequest req;
  req.set_advertiser_id(kAdvertiser);
  req.mutable_audience()->set_name(name);
  req.mutable_audience()->add_identifier_types(v1::IDENTIFIER_TYPE_EMAIL);
  req.set_request_id(rid);
  return req;
}

TEST_F(AudienceServiceTest, CreateAudienceHonoursItsRequestId) {
  auto team = ConnectedTeam();
  auto create = [&](const v1::CreateAudienceRequest& req, v1::Audience* out) {
    grpc::ClientContext ctx;
    testing::Authorize(&ctx, team.owner_key);
    return stub_->CreateAudience(&ctx, req, out);
  };
  auto count = [&] {
    grpc::ClientContext ctx;
    testing::Authorize(&ctx, team.owner_key);
    v1::ListAudiencesRequest list;
    list.set_advertiser_id(kAdvertiser);
    v1::ListAudiencesResponse resp;
    EXPECT_THAT(stub_->ListAudiences(&ctx, list, &resp), GrpcIsOk());
    return resp.audiences_size();
  };
  // Twice in a row: one audience, the same answer byte for byte.
  v1::Audience first, second;
  ASSERT_THAT(create(NamedAudience("Buyers", "create-1"), &first), GrpcIsOk());
  ASSERT_THAT(create(NamedAudience("Buyers", "create-1"), &second), GrpcIsOk());
  EXPECT_EQ(first.SerializeAsString(), second.SerializeAsString());
  EXPECT_EQ(count(), 1);

  // Four at once under another key: one more audience, one answer.
  std::vector<v1::Audience> answers(4);
  std::vector<grpc::Status> statuses(4);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      statuses[i] = create(NamedAudience("Buyers", "create-2"), &answers[i]);
    });
  }
  for (auto& t : threads) t.join();
  for (int i = 0; i < 4; ++i) {
    ASSERT_THAT(statuses[i], GrpcIsOk());
    EXPECT_EQ(answers[i].SerializeAsString(), answers[0].SerializeAsString());
  }
  EXPECT_NE(answers[0].audience_id(), first.audience_id());
  EXPECT_EQ(count(), 2);

  // Another body under a used key: refused, naming the key.
  v1::Audience other;
  grpc::Status s = create(NamedAudience("Sellers", "create-1"), &other);
  EXPECT_THAT(s, GrpcStatusIs(grpc::StatusCode::ALREADY_EXISTS));
  EXPECT_EQ(testing::FieldOf(s), "request_id");
  EXPECT_NE(s.error_message().find("create-1"), std::string::npos);
  EXPECT_EQ(count(), 2);

  // A replica that wrote the audience and died before answering leaves
  // its claim behind (here: unresolved, as after its lease ran out); the
  // retry finds the audience by the recorded id instead of writing again.
  const std::string record = idempotency::IdempotencyStore::RedisKey(
      {team.team_id, "audience.CreateAudience", "create-1"});
  ASSERT_THAT(
      fixture_->redis().Command({"HSET", record, "state", "unresolved"}),
      IsOk());
  v1::Audience reconciled;
  ASSERT_THAT(create(NamedAudience("Buyers", "create-1"), &reconciled),
              GrpcIsOk());
  EXPECT_EQ(reconciled.audience_id(), first.audience_id());
  EXPECT_EQ(reconciled.create_time().SerializeAsString(),
            first.create_time().SerializeAsString());
  EXPECT_EQ(count(), 2);
}

TEST_F(AudienceServiceTest, SyncMembersHonoursItsRequestId) {
  auto team = ConnectedTeam();
  v1::Audience a = CreateAudience(team.owner_key);
  auto sync = [&](const std::string& rid, int from, int to, v1::SyncJob* job) {
    v1::SyncMembersRequest first;
    first.set_audience_id(a.audience_id());
    first.set_operation(v1::MEMBER_OPERATION_ADD);
    first.set_request_id(rid);
    return SyncBatches(team.owner_key, first,
                       {Many(v1::IDENTIFIER_TYPE_EMAIL, from, to - from)}, job);
  };
  auto jobs = [&] {
    grpc::ClientContext ctx;
    testing::Authorize(&ctx, team.owner_key);
    v1::ListSyncJobsRequest list;
    list.set_audience_id(a.audience_id());
    v1::ListSyncJobsResponse resp;
    EXPECT_THAT(stub_->ListSyncJobs(&ctx, list, &resp), GrpcIsOk());
    return resp.jobs_size();
  };
  // Three identical streams at once, then one more: one job, one answer.
  std::vector<v1::SyncJob> answers(3);
  std::vector<grpc::Status> statuses(3);
  std::vector<std::thread> threads;
  for (int i = 0; i < 3; ++i) {
    threads.emplace_back(
        [&, i] { statuses[i] = sync("sync-1", 0, 1500, &answers[i]); });
  }
  for (auto& t : threads) t.join();
  for (int i = 0; i < 3; ++i) {
    ASSERT_THAT(statuses[i], GrpcIsOk());
    EXPECT_EQ(answers[i].SerializeAsString(), answers[0].SerializeAsString());
  }
  v1::SyncJob again;
  ASSERT_THAT(sync("sync-1", 0, 1500, &again), GrpcIsOk());
  EXPECT_EQ(again.SerializeAsString(), answers[0].SerializeAsString());
  EXPECT_EQ(jobs(), 1);

  // Another upload under the key: refused; its spooled job is gone.
  v1::SyncJob other;
  grpc::Status s = sync("sync-1", 0, 1499, &other);
  EXPECT_THAT(s, GrpcStatusIs(grpc::StatusCode::ALREADY_EXISTS));
  EXPECT_EQ(testing::FieldOf(s), "request_id");
  EXPECT_EQ(jobs(), 1);

  // TikTok received every member once.
  v1::SyncJob done = WaitJob(team.owner_key, answers[0].job_id());
  ASSERT_EQ(done.state(), v1::SYNC_JOB_STATE_SUCCEEDED) << done.DebugString();
  const std::string tiktok_id =
      GetAudience(team.owner_key, a.audience_id()).tiktok_audience_id();
  EXPECT_EQ(fixture_->sim().stats().audience[tiktok_id].digests_received,
            1500u);

  // A retry after its first stream's replica died past the commit finds
  // that job (by the recorded intent) rather than queuing another.
  const std::string record = idempotency::IdempotencyStore::RedisKey(
      {team.team_id, "audience.SyncMembers", "sync-1"});
  ASSERT_THAT(
      fixture_->redis().Command({"HSET", record, "state", "unresolved"}),
      IsOk());
  v1::SyncJob reconciled;
  ASSERT_THAT(sync("sync-1", 0, 1500, &reconciled), GrpcIsOk());
  EXPECT_EQ(reconciled.job_id(), answers[0].job_id());
  EXPECT_EQ(jobs(), 1);
}

TEST_F(AudienceServiceTest, DisqualifyMembersHonoursItsRequestId) {
  auto team = ConnectedTeam();
  v1::Audience a = CreateAudience(team.owner_key);
  auto disqualify = [&](const std::vector<std::string>& emails,
                        v1::DisqualifyMembersResponse* out) {
    grpc::ClientContext ctx;
    testing::Authorize(&ctx, team.owner_key);
    v1::DisqualifyMembersRequest req;
    req.set_advertiser_id(kAdvertiser);  // every audience of the advertiser
    *req.add_batches() = Batch(v1::IDENTIFIER_TYPE_EMAIL, emails);
    req.set_request_id("dq-1");
    return stub_->DisqualifyMembers(&ctx, req, out);
  };
  std::vector<v1::DisqualifyMembersResponse> answers(3);
  std::vector<grpc::Status> statuses(3);
  std::vector<std::thread> threads;
  for (int i = 0; i < 3; ++i) {
    threads.emplace_back([&, i] {
      statuses[i] =
          disqualify({"x1@example.com", "x2@example.com"}, &answers[i]);
    });
  }
  for (auto& t : threads) t.join();
  for (int i = 0; i < 3; ++i) {
    ASSERT_THAT(statuses[i], GrpcIsOk());
    EXPECT_EQ(answers[i].SerializeAsString(), answers[0].SerializeAsString());
  }
  ASSERT_EQ(answers[0].audience_ids_size(), 1);
  EXPECT_EQ(answers[0].queued(), 2);

  // A new audience of the advertiser, then the same request again: the
  // answer is replayed, nothing is queued for the new audience.
  v1::Audience later = CreateAudience(team.owner_key);
  v1::DisqualifyMembersResponse replay;
  ASSERT_THAT(disqualify({"x1@example.com", "x2@example.com"}, &replay),
              GrpcIsOk());
  EXPECT_EQ(replay.SerializeAsString(), answers[0].SerializeAsString());
  EXPECT_EQ(GetAudience(team.owner_key, later.audience_id()).pending_removals(),
            0);
  EXPECT_EQ(GetAudience(team.owner_key, a.audience_id()).pending_removals(), 2);

  v1::DisqualifyMembersResponse other;
  grpc::Status s = disqualify({"x3@example.com"}, &other);
  EXPECT_THAT(s, GrpcStatusIs(grpc::StatusCode::ALREADY_EXISTS));
  EXPECT_EQ(testing::FieldOf(s), "request_id");
  EXPECT_EQ(GetAudience(team.owner_key, a.audience_id()).pending_removals(), 2);
}

TEST_F(AudienceServiceTest, DeleteAudienceHonoursItsRequestId) {
  auto team = ConnectedTeam();
  auto remove = [&](const std::string& audience_id,
                    const std::string& request_id) {
    grpc::ClientContext ctx;
    testing::Authorize(&ctx, team.owner_key);
    v1::DeleteAudienceRequest req;
    req.set_advertiser_id(kAdvertiser);
    req.set_audience_id(audience_id);
    req.set_request_id(request_id);
    v1::DeleteAudienceResponse out;
    return stub_->DeleteAudience(&ctx, req, &out);
  };
  // An audience with members on TikTok (so deleting it calls TikTok).
  auto synced = [&] {
    v1::Audience audience = CreateAudience(team.owner_key);
    v1::SyncJob job;
    EXPECT_THAT(Sync(team.owner_key, audience.audience_id(),
                     v1::MEMBER_OPERATION_ADD, 0, 1000, &job, {}),
                GrpcIsOk());
    EXPECT_EQ(WaitJob(team.owner_key, job.job_id()).state(),
              v1::SYNC_JOB_STATE_SUCCEEDED);
    return audience;
  };
  const int64_t deletes_before =
      fixture_->sim().stats().calls["/dmp/custom_audience/delete/"].total;
  // Twice in a row with one key: both OK (the second is the first's
  // answer, not NOT_FOUND); without a key the second is NOT_FOUND.
  v1::Audience a = synced();
  ASSERT_THAT(remove(a.audience_id(), "delete-1"), GrpcIsOk());
  grpc::Status again = remove(a.audience_id(), "delete-1");
  EXPECT_THAT(again, GrpcIsOk());
  EXPECT_THAT(remove(a.audience_id(), ""),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND));

  // Four at once under another key: all OK, the audience gone once.
  v1::Audience b = synced();
  std::vector<grpc::Status> statuses(4);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back(
        [&, i] { statuses[i] = remove(b.audience_id(), "delete-2"); });
  }
  for (auto& t : threads) t.join();
  for (const auto& s : statuses) EXPECT_THAT(s, GrpcIsOk());
  // TikTok was asked to delete each audience once.
  EXPECT_EQ(
      fixture_->sim().stats().calls["/dmp/custom_audience/delete/"].total -
          deletes_before,
      2);

  // Another audience under a used key: refused, naming the key; it stays.
  v1::Audience c = CreateAudience(team.owner_key);
  grpc::Status s = remove(c.audience_id(), "delete-1");
  EXPECT_THAT(s, GrpcStatusIs(grpc::StatusCode::ALREADY_EXISTS));
  EXPECT_EQ(testing::FieldOf(s), "request_id");
  EXPECT_NE(s.error_message().find("delete-1"), std::string::npos);
  EXPECT_EQ(GetAudience(team.owner_key, c.audience_id()).audience_id(),
            c.audience_id());
}

// SyncMembers runs through libs/server's stream pipeline: it is counted in
// the call metrics and access-logged with its request id, like unary calls.
TEST_F(AudienceServiceTest, SyncMembersIsMeteredAndLoggedWithItsRequestId) {
  auto team = ConnectedTeam();
  v1::Audience a = CreateAudience(team.owner_key);
  std::mutex mu;
  std::vector<std::string> lines;
  log::SetLevel(log::Level::kDebug);
  log::SetSinkForTesting([&](std::string_view line) {
    std::lock_guard<std::mutex> lock(mu);
    lines.emplace_back(line);
  });
  auto calls = [&](const std::string& code) {
    return testing::GrpcCallsTotal(server_->kit().runner().metrics().registry(),
                                   "SyncMembers", code);
  };
  const double ok_before = calls("OK");
  const double bad_before = calls("INVALID_ARGUMENT");
  grpc::ClientContext ctx;
  testing::Authorize(&ctx, team.owner_key);
  ctx.AddMetadata("x-request-id", "stream-req-1");
  v1::SyncJob job;
  auto writer = stub_->SyncMembers(&ctx, &job);
  v1::SyncMembersRequest first;
  first.set_advertiser_id(kAdvertiser);
  first.set_audience_id(a.audience_id());
  first.set_operation(v1::MEMBER_OPERATION_ADD);
  *first.add_batches() = Many(v1::IDENTIFIER_TYPE_EMAIL, 0, 10);
  writer->Write(first);
  writer->WritesDone();
  ASSERT_THAT(writer->Finish(), GrpcIsOk());
  v1::SyncJob none;
  EXPECT_THAT(Sync(team.owner_key, "", v1::MEMBER_OPERATION_ADD, 0, 10, &none),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT));
  log::SetSinkForTesting(nullptr);
  log::SetLevel(log::Level::kInfo);

  EXPECT_EQ(calls("OK"), ok_before + 1);
  EXPECT_EQ(calls("INVALID_ARGUMENT"), bad_before + 1);
  bool logged = false;
  for (const auto& line : lines) {
    logged |= absl::StrContains(line, "\"request_id\":\"stream-req-1\"") &&
              absl::StrContains(line, "\"method\":\"SyncMembers\"") &&
              absl::StrContains(line, "\"code\":\"OK\"");
  }
  EXPECT_TRUE(logged);
  auto it = ctx.GetServerInitialMetadata().find("x-request-id");
  ASSERT_NE(it, ctx.GetServerInitialMetadata().end());
  EXPECT_EQ(std::string(it->second.data(), it->second.size()), "stream-req-1");
}

// WatchSyncJob through gRPC: the stream follows a job to SUCCEEDED with its
// progress, runs through libs/server's pipeline (metered as a server
// stream, request id echoed), and refuses other teams and bad requests.
TEST_F(AudienceServiceTest, WatchSyncJobFollowsProgressToCompletion) {
  auto team = ConnectedTeam();
  v1::Audience a = CreateAudience(team.owner_key);
  // Read before the job exists: a worker may finish it before SyncMembers'
  // answer is read.
  const double succeeded_before = FinishedJobs("succeeded");
  v1::SyncJob job;
  // ~1,000 digests a file: three files, applied one group after another.
  ASSERT_THAT(Sync(team.owner_key, a.audience_id(), v1::MEMBER_OPERATION_ADD, 0,
                   3000, &job, {"not-an-email"}),
              GrpcIsOk());
  EXPECT_EQ(job.total(), 3001);
  const double ok_before = testing::GrpcCallsTotal(
      server_->kit().runner().metrics().registry(), "WatchSyncJob", "OK");

  grpc::ClientContext ctx;
  testing::Authorize(&ctx, team.owner_key);
  ctx.AddMetadata("x-request-id", "watch-req-1");
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  v1::WatchSyncJobRequest req;
  req.set_job_id(job.job_id());
  auto reader = stub_->WatchSyncJob(&ctx, req);
  std::vector<v1::SyncJob> seen;
  for (v1::SyncJob m; reader->Read(&m);) seen.push_back(m);
  grpc::Status end = reader->Finish();
  ASSERT_THAT(end, GrpcIsOk());
  ASSERT_FALSE(seen.empty());
  // Progress never goes back, from the answer of SyncMembers on (a worker
  // may have made some before that answer was read).
  double last = job.percent();
  for (const auto& m : seen) {
    EXPECT_EQ(m.job_id(), job.job_id());
    EXPECT_EQ(m.total(), 3001);
    EXPECT_GE(m.percent(), last);
    last = m.percent();
    if (m.state() != v1::SYNC_JOB_STATE_RUNNING) EXPECT_FALSE(m.has_eta());
  }
  // Ends right after the final state, which it carries.
  EXPECT_EQ(seen.back().state(), v1::SYNC_JOB_STATE_SUCCEEDED);
  EXPECT_EQ(seen.back().done(), 3001);
  EXPECT_DOUBLE_EQ(seen.back().percent(), 100);
  EXPECT_EQ(seen.back().uploaded().at("EMAIL"), 3000);
  EXPECT_TRUE(seen.back().has_progress_time());
  auto it = ctx.GetServerInitialMetadata().find("x-request-id");
  ASSERT_NE(it, ctx.GetServerInitialMetadata().end());
  EXPECT_EQ(std::string(it->second.data(), it->second.size()), "watch-req-1");
  EXPECT_EQ(
      testing::GrpcCallsTotal(server_->kit().runner().metrics().registry(),
                              "WatchSyncJob", "OK"),
      ok_before + 1);
  // The worker that finished it counts it (after it recorded the state the
  // watch saw).
  EXPECT_TRUE(Eventually([&] {
    return FinishedJobs("succeeded") >= succeeded_before + 1;
  })) << FinishedJobs("succeeded")
      << " finished jobs, " << succeeded_before << " before";

  // GetSyncJob answers the same progress; a finished job's watch is one
  // message.
  v1::SyncJob got = WaitJob(team.owner_key, job.job_id());
  EXPECT_EQ(got.done(), 3001);
  EXPECT_DOUBLE_EQ(got.percent(), 100);
  {
    grpc::ClientContext again;
    testing::Authorize(&again, team.owner_key);
    auto r = stub_->WatchSyncJob(&again, req);
    std::vector<v1::SyncJob> once;
    for (v1::SyncJob m; r->Read(&m);) once.push_back(m);
    EXPECT_THAT(r->Finish(), GrpcIsOk());
    ASSERT_EQ(once.size(), 1u);
    EXPECT_EQ(once[0].state(), v1::SYNC_JOB_STATE_SUCCEEDED);
  }
  // Another team's key: NOT_FOUND; no job_id: INVALID_ARGUMENT on it.
  auto other = ConnectedTeam();
  {
    grpc::ClientContext c;
    testing::Authorize(&c, other.owner_key);
    auto r = stub_->WatchSyncJob(&c, req);
    v1::SyncJob m;
    EXPECT_FALSE(r->Read(&m));
    EXPECT_THAT(r->Finish(), GrpcStatusIs(grpc::StatusCode::NOT_FOUND));
  }
  {
    grpc::ClientContext c;
    testing::Authorize(&c, team.owner_key);
    auto r = stub_->WatchSyncJob(&c, v1::WatchSyncJobRequest());
    v1::SyncJob m;
    EXPECT_FALSE(r->Read(&m));
    grpc::Status bad = r->Finish();
    EXPECT_THAT(bad, GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT));
    EXPECT_EQ(testing::FieldOf(bad), "job_id") << bad.error_message();
  }
}

}  // namespace
}  // namespace ttads::audience
