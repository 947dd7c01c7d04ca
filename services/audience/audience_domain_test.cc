#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "libs/status/grpc_status.h"
#include "libs/status/status.h"
#include "libs/testing/redis_server.h"
#include "services/audience/audience_manager.h"
#include "services/audience/customer_file.h"
#include "services/audience/fake_tiktok_audience_api.h"
#include "services/audience/sync_worker.h"

namespace ttads::audience {
namespace {

class FixedTokens : public TokenSource {
 public:
  absl::StatusOr<std::string> Token(const std::string&, const std::string&,
                                    const std::string&,
                                    const std::string&) override {
    return std::string("tok");
  }
};

std::vector<std::string> Emails(int from, int to) {
  std::vector<std::string> v;
  for (int i = from; i < to; ++i)
    v.push_back(absl::StrCat("user", i, "@example.com"));
  return v;
}

std::string EmailDigest(const identifiers::Normalizer& n,
                        const std::string& e) {
  Digest d;
  std::string scratch;
  n.Digest(IdType::kEmail, e, d.data(), nullptr, &scratch);
  char hex[64];
  identifiers::HexEncode(d.data(), 32, hex);
  return std::string(hex, 64);
}

class AudienceDomainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = testing::RedisServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    redis_server_ = *std::move(server);
    store::RedisOptions o;
    o.port = redis_server_->port();
    o.pool_size = 4;
    auto pool = store::RedisPool::Connect(o);
    ASSERT_TRUE(pool.ok()) << pool.status();
    pool_ = *std::move(pool);
    store_ = std::make_unique<AudienceStore>(pool_.get());
    queue_ =
        std::make_unique<RedisJobQueue>(pool_.get(), absl::Milliseconds(100));
    ManagerOptions mo;
    mo.chunk_digests = 100;  // several chunks per job: cross-chunk merge
    manager_ = std::make_unique<AudienceManager>(store_.get(), queue_.get(),
                                                 &tiktok_, &tokens_, mo);
    tmp_ = std::filesystem::temp_directory_path() /
           absl::StrCat("aud-test-", ::getpid(), "-", rand());
    std::filesystem::create_directories(tmp_);
  }
  void TearDown() override { std::filesystem::remove_all(tmp_); }

  std::unique_ptr<SyncWorker> Worker(const std::string& name,
                                     int64_t digests_per_file = 250) {
    WorkerOptions wo;
    wo.consumer = name;
    wo.temp_dir = tmp_.string();
    wo.max_file_bytes = 13 + kLineBytes * digests_per_file;
    wo.poll = absl::Milliseconds(20);
    wo.retry_pause = absl::Milliseconds(10);
    wo.files_per_update = 1;
    return std::make_unique<SyncWorker>(store_.get(), queue_.get(), &tiktok_,
                                        &tokens_, wo);
  }

  AudienceRecord MakeAudience(const Requester& who, int64_t refresh = 3600) {
    auto a = manager_->Create(who, "7001", "Buyers", {1}, refresh);
    EXPECT_TRUE(a.ok()) << a.status();
    return a->record;
  }

  JobRecord Sync(const Requester& who, const std::string& audience,
                 Operation op, const std::vector<std::string>& values,
                 IdType type = IdType::kEmail) {
    auto session = manager_->BeginSync(who, "7001", audience, op);
    EXPECT_TRUE(session.ok()) << session.status();
    // Batches of 70 values, like a client stream.
    for (size_t i = 0; i < values.size(); i += 70) {
      const size_t n = std::min<size_t>(70, values.size() - i);
      EXPECT_TRUE((*session)->AddBatch(type, &values[i], n).ok());
    }
    auto job = (*session)->Finish();
    EXPECT_TRUE(job.ok()) << job.status();
    return *job;
  }

  // Runs a worker until the queue is empty.
  void Drain(SyncWorker& w) {
    for (int i = 0; i < 100; ++i) {
      auto r = w.RunOnce();
      if (r.ok() && !*r) return;
    }
  }

  std::string TikTokId(const Requester& who, const std::string& audience) {
    return store_->GetAudience(who.team_id, audience)->tiktok_id;
  }

  std::unique_ptr<testing::RedisServer> redis_server_;
  std::unique_ptr<store::RedisPool> pool_;
  std::unique_ptr<AudienceStore> store_;
  std::unique_ptr<RedisJobQueue> queue_;
  FakeTikTokAudienceApi tiktok_;
  FixedTokens tokens_;
  std::unique_ptr<AudienceManager> manager_;
  std::filesystem::path tmp_;
  Requester team_a_{"tm_a", "mb_1", "owner"};
  Requester team_b_{"tm_b", "mb_2", "owner"};
};

TEST_F(AudienceDomainTest, CreateValidatesName) {
  auto bad = manager_->Create(team_a_, "7001", std::string(129, 'x'), {1}, 0);
  ASSERT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  google::rpc::BadRequest br;
  ASSERT_TRUE(status::GetDetail(bad.status(), &br));
  EXPECT_EQ(br.field_violations(0).field(), "name");
  auto no_types = manager_->Create(team_a_, "7001", "x", {}, 0);
  EXPECT_EQ(no_types.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(
      manager_->Create(team_a_, "7001", std::string(128, 'x'), {1}, 0).ok());
}

TEST_F(AudienceDomainTest, AddWritesSplitFilesWithHeaderAndCountsEverything) {
  AudienceRecord a = MakeAudience(team_a_);
  std::vector<std::string> values = Emails(0, 600);
  values.push_back(
      "USER5@Example.com");  // duplicate of user5 after normalising
  values.push_back("user7@example.com");  // exact duplicate, other chunk
  values.push_back("not-an-email");
  values.push_back("   ");
  JobRecord job = Sync(team_a_, a.id, Operation::kAdd, values);
  EXPECT_EQ(job.state, JobState::kQueued);
  EXPECT_EQ(job.received, 604);
  EXPECT_EQ(job.invalid["bad_email"], 1);
  EXPECT_EQ(job.invalid["empty"], 1);
  EXPECT_THAT(job.samples["bad_email"], ::testing::ElementsAre("not-an-email"));

  auto w = Worker("w1");
  Drain(*w);
  auto done = store_->GetJob(team_a_.team_id, job.id);
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(done->state, JobState::kSucceeded)
      << ::testing::PrintToString(done->errors);
  EXPECT_EQ(done->uploaded["EMAIL"], 600);
  EXPECT_EQ(done->duplicates, 2);
  EXPECT_EQ(done->files_uploaded, 3);  // 250 + 250 + 100

  // Files: header row, one lowercase digest per line, at most 250 lines.
  ASSERT_EQ(tiktok_.files.size(), 3u);
  for (const auto& [path, f] : tiktok_.files) {
    EXPECT_EQ(f.calculate_type, "EMAIL_SHA256");
    EXPECT_EQ(f.content.substr(0, 13), "Email_SHA256\n");
    EXPECT_LE(f.content.size(), 13u + 250 * 65);
    EXPECT_EQ((f.content.size() - 13) % 65, 0u);
  }
  const auto& remote = tiktok_.audiences[TikTokId(team_a_, a.id)];
  EXPECT_EQ(remote.members.size(), 600u);
  EXPECT_TRUE(remote.members.count(
      EmailDigest(manager_->normalizer(), "user5@example.com")));
  for (const auto& [d, n] : remote.applied) EXPECT_EQ(n, 1) << d;

  auto view = manager_->Get(team_a_, "7001", a.id);
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(view->size, 600);
  EXPECT_EQ(view->history.size(), 3u);
}

TEST_F(AudienceDomainTest, MixedHashedAndRawInOneBatchIsReported) {
  AudienceRecord a = MakeAudience(team_a_);
  const std::string hashed =
      EmailDigest(manager_->normalizer(), "someone@example.com");
  JobRecord job =
      Sync(team_a_, a.id, Operation::kAdd, {hashed, "raw@example.com", hashed});
  EXPECT_EQ(job.invalid["mixed_hashed_raw"], 1);
  EXPECT_EQ(job.duplicates, 1);
}

TEST_F(AudienceDomainTest, RemoveAndTheThousandMemberFloor) {
  AudienceRecord a = MakeAudience(team_a_);
  Sync(team_a_, a.id, Operation::kAdd, Emails(0, 1500));
  auto w = Worker("w1");
  Drain(*w);
  JobRecord ok = Sync(team_a_, a.id, Operation::kRemove, Emails(0, 300));
  Drain(*w);
  EXPECT_EQ(store_->GetJob(team_a_.team_id, ok.id)->state,
            JobState::kSucceeded);
  EXPECT_EQ(tiktok_.audiences[TikTokId(team_a_, a.id)].members.size(), 1200u);

  JobRecord too_many =
      Sync(team_a_, a.id, Operation::kRemove, Emails(300, 600));
  Drain(*w);
  auto failed = store_->GetJob(team_a_.team_id, too_many.id);
  EXPECT_EQ(failed->state, JobState::kFailed);
  EXPECT_EQ(failed->error_code, "FAILED_PRECONDITION");
  EXPECT_EQ(failed->error_reason, "AUDIENCE_BELOW_MINIMUM");
  EXPECT_EQ(tiktok_.audiences[TikTokId(team_a_, a.id)].members.size(), 1200u);
}

TEST_F(AudienceDomainTest, KilledWorkerJobFinishedByAnotherExactlyOnce) {
  AudienceRecord a = MakeAudience(team_a_);
  JobRecord job = Sync(team_a_, a.id, Operation::kAdd, Emails(0, 2000));
  auto w1 = Worker("w1", 200);
  w1->after_file = [](int64_t applied) { return applied < 3; };  // dies
  ASSERT_TRUE(*w1->RunOnce());
  EXPECT_EQ(store_->GetJob(team_a_.team_id, job.id)->state, JobState::kRunning);
  // Redis restarts too: checkpoints come back from the AOF.
  ASSERT_TRUE(redis_server_->Restart().ok());
  auto w2 = Worker("w2", 200);
  bool took = false;
  for (int i = 0; i < 100 && !took; ++i) {
    auto r = w2->RunOnce();
    took = r.ok() && *r;
  }
  ASSERT_TRUE(took);
  auto done = store_->GetJob(team_a_.team_id, job.id);
  EXPECT_EQ(done->state, JobState::kSucceeded);
  EXPECT_EQ(done->uploaded["EMAIL"], 2000);
  EXPECT_EQ(done->files_uploaded, 10);
  const auto& remote = tiktok_.audiences[TikTokId(team_a_, a.id)];
  EXPECT_EQ(remote.applied.size(), 2000u);
  for (const auto& [d, n] : remote.applied) ASSERT_EQ(n, 1) << d;
  EXPECT_EQ(tiktok_.uploads, 10);
}

TEST_F(AudienceDomainTest, DisqualificationAppliedAtNextRefreshCycle) {
  AudienceRecord a = MakeAudience(team_a_, /*refresh=*/2);
  AudienceRecord b = MakeAudience(team_a_, /*refresh=*/2);
  Sync(team_a_, a.id, Operation::kAdd, Emails(0, 1100));
  Sync(team_a_, b.id, Operation::kAdd, Emails(0, 1100));
  auto w = Worker("w1");
  Drain(*w);
  // Every audience of the advertiser.
  auto dq = manager_->Disqualify(
      team_a_, "7001", "",
      {{IdType::kEmail, {"user1@example.com", "user2@example.com"}}});
  ASSERT_TRUE(dq.ok()) << dq.status();
  EXPECT_EQ(dq->first.size(), 2u);
  EXPECT_EQ(dq->second, 2);
  EXPECT_EQ(manager_->Get(team_a_, "7001", a.id)->pending_removals, 2);
  // Not applied before the cycle is due.
  EXPECT_EQ(*manager_->RefreshDue(absl::Now()), 0);
  Drain(*w);
  EXPECT_EQ(tiktok_.audiences[TikTokId(team_a_, a.id)].members.size(), 1100u);
  // Applied at the next cycle.
  EXPECT_EQ(*manager_->RefreshDue(absl::Now() + absl::Seconds(3)), 2);
  Drain(*w);
  EXPECT_EQ(tiktok_.audiences[TikTokId(team_a_, a.id)].members.size(), 1098u);
  EXPECT_EQ(tiktok_.audiences[TikTokId(team_a_, b.id)].members.size(), 1098u);
  EXPECT_FALSE(tiktok_.audiences[TikTokId(team_a_, a.id)].members.count(
      EmailDigest(manager_->normalizer(), "user1@example.com")));
  EXPECT_EQ(manager_->Get(team_a_, "7001", a.id)->pending_removals, 0);
  // The cycle moved on: nothing due right after.
  EXPECT_EQ(*manager_->RefreshDue(absl::Now() + absl::Seconds(3)), 0);
}

TEST_F(AudienceDomainTest, TenantIsolation) {
  AudienceRecord a = MakeAudience(team_a_);
  JobRecord job = Sync(team_a_, a.id, Operation::kAdd, Emails(0, 10));
  EXPECT_EQ(manager_->Get(team_b_, "7001", a.id).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(manager_->GetJob(team_b_, job.id).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(manager_->BeginSync(team_b_, "7001", a.id, Operation::kAdd)
                .status()
                .code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(manager_->Delete(team_b_, "7001", a.id).code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(
      manager_
          ->Disqualify(team_b_, "7001", a.id, {{IdType::kEmail, {"a@b.com"}}})
          .status()
          .code(),
      absl::StatusCode::kNotFound);
  EXPECT_TRUE(manager_->List(team_b_, "7001")->empty());
  EXPECT_TRUE(manager_->ListJobs(team_b_, "", 10)->empty());
  EXPECT_EQ(manager_->ListJobs(team_a_, "", 10)->size(), 1u);
}

}  // namespace
}  // namespace ttads::audience
