// `ttadsctl audience job show|watch` against the real audience server
// in-process (private Redis, the TikTok simulator; tests/support), the
// ttadsctl binary run as a child process.
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "libs/config/config.h"
#include "libs/connections/connection_store.h"
#include "libs/testing/grpc_status_matchers.h"
#include "libs/testing/status_matchers.h"
#include "nlohmann/json.hpp"
#include "services/audience/audience_config.h"
#include "services/audience/audience_server.h"
#include "tests/support/service_start.h"
#include "tests/support/suite_fixture.h"
#include "tools/ttadsctl/ttadsctl_runner.h"
#include "ttads/audience/v1/audience_service.grpc.pb.h"

namespace ttads::ttadsctl {
namespace {

using ::ttads::testing::GrpcIsOk;
using ::ttads::testing::IsOk;

namespace v1 = ::ttads::audience::v1;
using nlohmann::json;
using testing::CtlResult;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::RunTtadsctl;
using testing::TtadsctlProcess;

constexpr char kAdvertiser[] = "7101000000000000001";

// One audience server per test. `workers`: whether it runs its sync
// workers (without them a job stays QUEUED: a job that does not end).
class TtadsctlAudienceTest : public ::testing::Test {
 protected:
  void Start(bool workers) {
    auto fixture = ::ttads::testing::SuiteFixture::Start();
    ASSERT_THAT(fixture, IsOk());
    fixture_ = *std::move(fixture);
    env_ = fixture_->ServiceEnv();
    env_["TTADS_AUDIENCE_WORKERS"] = "2";
    env_["TTADS_AUDIENCE_MAX_FILE_BYTES"] = "65000";  // ~1000 digests a file
    env_["TTADS_AUDIENCE_CHUNK_DIGESTS"] = "1000";
    env_["TTADS_AUDIENCE_CLAIM_IDLE_MS"] = "500";
    env_["TTADS_AUDIENCE_SCHEDULER_MS"] = "100";
    auto server = ::ttads::testing::StartService<audience::AudienceServer>(
        audience::AudienceSchema(), env_);
    ASSERT_THAT(server, IsOk());
    server_ = *std::move(server);
    if (workers) {
      server_->StartBackground();
      background_ = true;
    }
    address_ = ::ttads::testing::AddressOf(*server_);
    stub_ = ::ttads::testing::StubOf<v1::AudienceService>(*server_);

    auto team = fixture_->CreateTeam();
    ASSERT_THAT(team, IsOk());
    team_ = *team;
    auto connected = fixture_->ConnectOwner(team_, kAdvertiser);
    ASSERT_THAT(connected, IsOk());

    grpc::ClientContext ctx;
    ::ttads::testing::Authorize(&ctx, team_.owner_key);
    v1::CreateAudienceRequest req;
    req.set_advertiser_id(kAdvertiser);
    req.mutable_audience()->set_name("ctl-audience");
    req.mutable_audience()->add_identifier_types(v1::IDENTIFIER_TYPE_EMAIL);
    grpc::Status s = stub_->CreateAudience(&ctx, req, &audience_);
    ASSERT_THAT(s, GrpcIsOk());

    dir_ = fixture_->redis_server().dir() + "/ctl";
    std::filesystem::create_directories(dir_);
    key_file_ = dir_ + "/owner.key";
    std::ofstream(key_file_) << team_.owner_key << "\n";
  }

  void TearDown() override {
    if (server_) {
      if (background_) server_->StopBackground();
      server_->kit().runner().Shutdown();
    }
  }

  // Adds member<from>..member<to-1>@example.com; the job SyncMembers made.
  v1::SyncJob Sync(int from, int to) {
    grpc::ClientContext ctx;
    ::ttads::testing::Authorize(&ctx, team_.owner_key);
    v1::SyncJob job;
    auto writer = stub_->SyncMembers(&ctx, &job);
    v1::SyncMembersRequest first;
    first.set_advertiser_id(kAdvertiser);
    first.set_audience_id(audience_.audience_id());
    first.set_operation(v1::MEMBER_OPERATION_ADD);
    writer->Write(first);
    v1::SyncMembersRequest batch;
    auto* b = batch.add_batches();
    b->set_type(v1::IDENTIFIER_TYPE_EMAIL);
    for (int i = from; i < to; ++i) {
      b->add_values(absl::StrCat("member", i, "@example.com"));
    }
    writer->Write(batch);
    writer->WritesDone();
    grpc::Status s = writer->Finish();
    EXPECT_THAT(s, GrpcIsOk());
    return job;
  }

  std::vector<std::string> Flags() {
    return {"--audience-address=" + address_, "--api-key-file=" + key_file_};
  }
  CtlResult Ctl(const std::vector<std::string>& args) {
    std::vector<std::string> all = Flags();
    all.insert(all.end(), args.begin(), args.end());
    return RunTtadsctl(all, {});
  }

  std::unique_ptr<::ttads::testing::SuiteFixture> fixture_;
  std::map<std::string, std::string> env_;
  std::unique_ptr<audience::AudienceServer> server_;
  bool background_ = false;
  std::string address_;
  std::unique_ptr<v1::AudienceService::Stub> stub_;
  ::ttads::testing::TestTeam team_;
  v1::Audience audience_;
  std::string dir_;
  std::string key_file_;
};

// watch follows a job from QUEUED to SUCCEEDED: the watch starts before
// any worker runs (its first object is the QUEUED job), then the workers
// start and the same watch carries on to the end: one JSON object per
// update, progress never going back, the last one final with done ==
// total; exit 0. show then answers the same.
TEST_F(TtadsctlAudienceTest, WatchFollowsAJobToSuccess) {
  ASSERT_NO_FATAL_FAILURE(Start(/*workers=*/false));
  v1::SyncJob job = Sync(0, 2500);
  ASSERT_FALSE(job.job_id().empty());

  std::vector<std::string> args = Flags();
  for (const char* a : {"-o", "json", "audience", "job", "watch"}) {
    args.push_back(a);
  }
  args.push_back(job.job_id());
  TtadsctlProcess process(args, {});
  std::vector<json> updates;
  std::optional<std::string> first = process.ReadLine();
  ASSERT_TRUE(first.has_value());
  updates.push_back(json::parse(*first, nullptr, false));
  EXPECT_EQ(updates[0]["state"], "SYNC_JOB_STATE_QUEUED");
  server_->StartBackground();
  background_ = true;
  for (std::optional<std::string> line; (line = process.ReadLine());) {
    ASSERT_TRUE(json::accept(*line)) << *line;
    updates.push_back(json::parse(*line));
  }
  CtlResult watch = process.Wait();
  ASSERT_EQ(watch.exit_code, 0) << watch.err;
  ASSERT_GE(updates.size(), 2u);
  double percent = -1;
  for (const json& u : updates) {
    EXPECT_EQ(u["job_id"], job.job_id());
    EXPECT_EQ(u["total"], 2500);
    EXPECT_GE(u["percent"].get<double>(), percent);
    percent = u["percent"].get<double>();
    EXPECT_TRUE(u.contains("eta_seconds"));
  }
  EXPECT_EQ(updates.back()["state"], "SYNC_JOB_STATE_SUCCEEDED");
  EXPECT_EQ(updates.back()["done"], 2500);
  EXPECT_DOUBLE_EQ(updates.back()["percent"].get<double>(), 100);
  EXPECT_TRUE(updates.back()["eta_seconds"].is_null());

  CtlResult show = Ctl({"audience", "job", "show", job.job_id()});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_THAT(show.out, HasSubstr("state: SUCCEEDED\n"));
  EXPECT_THAT(show.out, HasSubstr("total: 2500\n"));
  EXPECT_THAT(show.out, HasSubstr("done: 2500\n"));
  EXPECT_THAT(show.out, HasSubstr("percent: 100.0\n"));
  EXPECT_THAT(show.out, HasSubstr("eta: -\n"));
  CtlResult show_json =
      Ctl({"--output", "json", "audience", "job", "show", job.job_id()});
  ASSERT_EQ(show_json.exit_code, 0) << show_json.err;
  json shown = json::parse(show_json.out);
  EXPECT_EQ(shown["done"], 2500);
  EXPECT_EQ(shown["audience_id"], audience_.audience_id());

  // A finished job's watch in text: one line, exit 0.
  CtlResult again = Ctl({"audience", "job", "watch", job.job_id()});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out, "SUCCEEDED 2500/2500 100.0% eta -\n");
}

// A job that FAILED: watch prints it and exits 1 with the reason.
TEST_F(TtadsctlAudienceTest, WatchOfAFailedJobExitsNonZero) {
  ASSERT_NO_FATAL_FAILURE(Start(/*workers=*/true));
  // 400 members, then 300 more: still below TikTok's 1,000-member floor
  // after an append, so the second job fails (docs/audience.md).
  v1::SyncJob first = Sync(0, 400);
  ASSERT_EQ(Ctl({"audience", "job", "watch", first.job_id()}).exit_code, 0);
  v1::SyncJob second = Sync(400, 700);
  CtlResult watch = Ctl({"audience", "job", "watch", second.job_id()});
  EXPECT_EQ(watch.exit_code, 1) << watch.out << watch.err;
  EXPECT_THAT(watch.out, HasSubstr("FAILED"));
  EXPECT_THAT(watch.err, HasSubstr("AUDIENCE_BELOW_MINIMUM"));
  // show reports it (and succeeds: it showed the job).
  CtlResult show = Ctl({"audience", "job", "show", second.job_id()});
  EXPECT_EQ(show.exit_code, 0) << show.err;
  EXPECT_THAT(show.out, HasSubstr("state: FAILED\n"));
  EXPECT_THAT(show.out,
              HasSubstr("error: FAILED_PRECONDITION AUDIENCE_BELOW_MINIMUM"));
}

// Ctrl-C while a job goes on: the watch stops, exit 130, the job is left.
TEST_F(TtadsctlAudienceTest, CtrlCStopsTheWatch) {
  ASSERT_NO_FATAL_FAILURE(Start(/*workers=*/false));
  v1::SyncJob job = Sync(0, 50);
  std::vector<std::string> args = Flags();
  for (const char* a : {"-o", "json", "audience", "job", "watch"}) {
    args.push_back(a);
  }
  args.push_back(job.job_id());
  TtadsctlProcess watch(args, {});
  std::optional<std::string> line = watch.ReadLine();
  ASSERT_TRUE(line.has_value());
  json update = json::parse(*line, nullptr, false);
  EXPECT_EQ(update["state"], "SYNC_JOB_STATE_QUEUED");
  EXPECT_EQ(update["total"], 50);
  EXPECT_EQ(update["percent"], 0);
  watch.Signal(SIGINT);
  CtlResult r = watch.Wait();
  EXPECT_EQ(r.exit_code, 130) << r.err;
  EXPECT_THAT(r.err, HasSubstr("stopped watching"));

  CtlResult show = Ctl({"audience", "job", "show", job.job_id()});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_THAT(show.out, HasSubstr("state: QUEUED\n"));
}

TEST_F(TtadsctlAudienceTest, RefusalsAndUsage) {
  ASSERT_NO_FATAL_FAILURE(Start(/*workers=*/false));
  v1::SyncJob job = Sync(0, 10);
  // Another team's key: the server's NOT_FOUND, exit 1.
  auto other = fixture_->CreateTeam();
  ASSERT_THAT(other, IsOk());
  CtlResult foreign = RunTtadsctl({"audience", "job", "show", job.job_id()},
                                  {{"TTADS_AUDIENCE_ADDRESS", address_},
                                   {"TTADS_API_KEY", other->owner_key}});
  EXPECT_EQ(foreign.exit_code, 1);
  EXPECT_THAT(foreign.err, HasSubstr("NOT_FOUND"));
  CtlResult foreign_watch =
      RunTtadsctl({"audience", "job", "watch", job.job_id()},
                  {{"TTADS_AUDIENCE_ADDRESS", address_},
                   {"TTADS_API_KEY", other->owner_key}});
  EXPECT_EQ(foreign_watch.exit_code, 1);
  EXPECT_THAT(foreign_watch.err, HasSubstr("NOT_FOUND"));
  // No address, no key, no job id: usage errors.
  CtlResult no_address = RunTtadsctl(
      {"--api-key-file", key_file_, "audience", "job", "show", job.job_id()},
      {});
  EXPECT_EQ(no_address.exit_code, 2);
  EXPECT_THAT(no_address.err, HasSubstr("TTADS_AUDIENCE_ADDRESS"));
  CtlResult no_key = RunTtadsctl(
      {"--audience-address", address_, "audience", "job", "show", job.job_id()},
      {});
  EXPECT_EQ(no_key.exit_code, 2);
  EXPECT_EQ(Ctl({"audience", "job", "show"}).exit_code, 2);
  CtlResult unknown = Ctl({"audience", "job", "follow", job.job_id()});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_THAT(unknown.err, HasSubstr("follow"));
  for (auto command : std::vector<std::vector<std::string>>{
           {"audience", "-h"},
           {"audience", "job", "-h"},
           {"audience", "job", "show", "-h"},
           {"audience", "job", "watch", "-h"}}) {
    CtlResult help = RunTtadsctl(command, {});
    EXPECT_EQ(help.exit_code, 0) << command.back();
    EXPECT_THAT(help.out, HasSubstr("Usage"));
  }
}

}  // namespace
}  // namespace ttads::ttadsctl
