#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "libs/status/grpc_status.h"
#include "libs/status/status.h"
#include "libs/store/key_schema.h"
#include "libs/testing/redis_server.h"
#include "libs/testing/status_matchers.h"
#include "services/audience/audience_manager.h"
#include "services/audience/customer_file.h"
#include "services/audience/fake_tiktok_audience_api.h"
#include "services/audience/job_progress.h"
#include "services/audience/job_watch.h"
#include "services/audience/sync_worker.h"

namespace ttads::audience {
namespace {

using ::ttads::testing::IsOk;

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

  // Files of 1,000 digests by default: with one file per update, every
  // APPEND after the create then keeps the audience at or above TikTok's
  // 1,000-member floor.
  std::unique_ptr<SyncWorker> Worker(const std::string& name,
                                     int64_t digests_per_file = 1000) {
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
  std::vector<std::string> values = Emails(0, 2400);
  values.push_back(
      "USER5@Example.com");  // duplicate of user5 after normalising
  values.push_back("user7@example.com");  // exact duplicate, other chunk
  values.push_back("not-an-email");
  values.push_back("   ");
  JobRecord job = Sync(team_a_, a.id, Operation::kAdd, values);
  EXPECT_EQ(job.state, JobState::kQueued);
  EXPECT_EQ(job.received, 2404);
  EXPECT_EQ(job.invalid["bad_email"], 1);
  EXPECT_EQ(job.invalid["empty"], 1);
  EXPECT_THAT(job.samples["bad_email"], ::testing::ElementsAre("not-an-email"));

  auto w = Worker("w1");
  Drain(*w);
  auto done = store_->GetJob(team_a_.team_id, job.id);
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(done->state, JobState::kSucceeded)
      << ::testing::PrintToString(done->errors);
  EXPECT_EQ(done->uploaded["EMAIL"], 2400);
  EXPECT_EQ(done->duplicates, 2);
  EXPECT_EQ(done->files_uploaded, 3);  // 1000 + 1000 + 400

  // Files: header row, one lowercase digest per line, at most 1000 lines.
  ASSERT_EQ(tiktok_.files.size(), 3u);
  for (const auto& [path, f] : tiktok_.files) {
    EXPECT_EQ(f.calculate_type, "EMAIL_SHA256");
    EXPECT_EQ(f.content.substr(0, 13), "Email_SHA256\n");
    EXPECT_LE(f.content.size(), 13u + 1000 * 65);
    EXPECT_EQ((f.content.size() - 13) % 65, 0u);
  }
  const auto& remote = tiktok_.audiences[TikTokId(team_a_, a.id)];
  EXPECT_EQ(remote.members.size(), 2400u);
  EXPECT_TRUE(remote.members.count(
      EmailDigest(manager_->normalizer(), "user5@example.com")));
  for (const auto& [d, n] : remote.applied) EXPECT_EQ(n, 1) << d;

  auto view = manager_->Get(team_a_, "7001", a.id);
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(view->size, 2400);
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

// TikTok's floor holds after APPEND as well as REMOVE (the fake, like the
// simulator, refuses both).
TEST_F(AudienceDomainTest, AppendBelowTheFloorFailsTheJob) {
  AudienceRecord a = MakeAudience(team_a_);
  Sync(team_a_, a.id, Operation::kAdd, Emails(0, 300));  // create: no floor
  auto w = Worker("w1");
  Drain(*w);
  JobRecord small = Sync(team_a_, a.id, Operation::kAdd, Emails(300, 600));
  Drain(*w);
  auto failed = store_->GetJob(team_a_.team_id, small.id);
  EXPECT_EQ(failed->state, JobState::kFailed);
  EXPECT_EQ(failed->error_code, "FAILED_PRECONDITION");
  EXPECT_EQ(failed->error_reason, "AUDIENCE_BELOW_MINIMUM");
  EXPECT_EQ(tiktok_.audiences[TikTokId(team_a_, a.id)].members.size(), 300u);
}

// Files go up with the audience's calculate_type: MULTIPLE_TYPES for a
// multi-type audience (TikTok refuses files of another type), FIRST_SHA256
// for MAID (its create has no MAID_SHA256).
TEST_F(AudienceDomainTest, FilesCarryTheAudiencesCalculateType) {
  auto multi = manager_->Create(team_a_, "7001", "Multi", {1, 2}, 0);
  ASSERT_TRUE(multi.ok()) << multi.status();
  Sync(team_a_, multi->record.id, Operation::kAdd, Emails(0, 1000));
  auto maid = manager_->Create(team_a_, "7001", "Devices", {5}, 0);
  ASSERT_TRUE(maid.ok()) << maid.status();
  std::vector<std::string> ids;
  for (int i = 1; i <= 1000; ++i) {
    ids.push_back(absl::StrFormat("6b2a1e1c-9f3e-4d2a-8b7c-%012x", i));
  }
  Sync(team_a_, maid->record.id, Operation::kAdd, ids, IdType::kMaid);
  auto w = Worker("w1");
  Drain(*w);
  std::map<std::string, int> types;
  for (const auto& [path, f] : tiktok_.files) ++types[f.calculate_type];
  EXPECT_EQ(types["MULTIPLE_TYPES"], 1);
  EXPECT_EQ(types["FIRST_SHA256"], 1);
  EXPECT_EQ(types.size(), 2u) << ::testing::PrintToString(types);
  EXPECT_EQ(
      tiktok_.audiences[TikTokId(team_a_, multi->record.id)].calculate_type,
      "MULTIPLE_TYPES");
  EXPECT_EQ(
      tiktok_.audiences[TikTokId(team_a_, maid->record.id)].calculate_type,
      "FIRST_SHA256");
}

// The phone region: the upload's, else the audience's, else the process's.
TEST_F(AudienceDomainTest, PhoneRegionPerAudienceAndPerUpload) {
  auto bad = manager_->Create(team_a_, "7001", "UK list", {2}, 0, "UK");
  ASSERT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  google::rpc::BadRequest br;
  ASSERT_TRUE(status::GetDetail(bad.status(), &br));
  EXPECT_EQ(br.field_violations(0).field(), "default_region");

  auto gb = manager_->Create(team_a_, "7001", "UK list", {2}, 0, "gb");
  ASSERT_TRUE(gb.ok()) << gb.status();
  EXPECT_EQ(gb->record.default_region, "GB");
  EXPECT_EQ(store_->GetAudience(team_a_.team_id, gb->record.id)->default_region,
            "GB");
  auto us = manager_->Create(team_a_, "7001", "US list", {2}, 0);
  ASSERT_TRUE(us.ok());

  const std::string uk = "020 7946 0958";
  JobRecord on_gb =
      Sync(team_a_, gb->record.id, Operation::kAdd, {uk}, IdType::kPhone);
  EXPECT_EQ(on_gb.invalid.count("bad_phone"), 0u);
  JobRecord on_us =
      Sync(team_a_, us->record.id, Operation::kAdd, {uk}, IdType::kPhone);
  EXPECT_EQ(on_us.invalid["bad_phone"], 1);

  auto session = manager_->BeginSync(team_a_, "7001", us->record.id,
                                     Operation::kAdd, "GB");
  ASSERT_TRUE(session.ok()) << session.status();
  EXPECT_EQ((*session)->default_region(), "GB");
  ASSERT_TRUE((*session)->AddBatch(IdType::kPhone, &uk, 1).ok());
  auto job = (*session)->Finish();
  ASSERT_TRUE(job.ok());
  EXPECT_EQ(job->invalid.count("bad_phone"), 0u);
  EXPECT_EQ(manager_
                ->BeginSync(team_a_, "7001", us->record.id, Operation::kAdd,
                            "Great Britain")
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);

  // Disqualification hashes with each audience's region unless told.
  auto dq = manager_->Disqualify(team_a_, "7001", gb->record.id,
                                 {Batch{IdType::kPhone, {uk}}});
  ASSERT_TRUE(dq.ok()) << dq.status();
  EXPECT_EQ(dq->second, 1);
  EXPECT_EQ(manager_
                ->Disqualify(team_a_, "7001", us->record.id,
                             {Batch{IdType::kPhone, {uk}}})
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  auto told = manager_->Disqualify(team_a_, "7001", us->record.id,
                                   {Batch{IdType::kPhone, {uk}}}, "GB");
  ASSERT_TRUE(told.ok()) << told.status();
  EXPECT_EQ(told->second, 1);
}

TEST_F(AudienceDomainTest, KilledWorkerJobFinishedByAnotherExactlyOnce) {
  AudienceRecord a = MakeAudience(team_a_);
  JobRecord job = Sync(team_a_, a.id, Operation::kAdd, Emails(0, 5000));
  auto w1 = Worker("w1");
  w1->after_file = [](int64_t applied) { return applied < 3; };  // dies
  ASSERT_TRUE(*w1->RunOnce());
  EXPECT_EQ(store_->GetJob(team_a_.team_id, job.id)->state, JobState::kRunning);
  // Redis restarts too: checkpoints come back from the AOF.
  ASSERT_TRUE(redis_server_->Restart().ok());
  auto w2 = Worker("w2");
  bool took = false;
  for (int i = 0; i < 100 && !took; ++i) {
    auto r = w2->RunOnce();
    took = r.ok() && *r;
  }
  ASSERT_TRUE(took);
  auto done = store_->GetJob(team_a_.team_id, job.id);
  EXPECT_EQ(done->state, JobState::kSucceeded);
  EXPECT_EQ(done->uploaded["EMAIL"], 5000);
  EXPECT_EQ(done->files_uploaded, 5);
  const auto& remote = tiktok_.audiences[TikTokId(team_a_, a.id)];
  EXPECT_EQ(remote.applied.size(), 5000u);
  for (const auto& [d, n] : remote.applied) ASSERT_EQ(n, 1) << d;
  EXPECT_EQ(tiktok_.uploads, 5);
}

// TikTok created the audience but its answer was lost: the retry adopts
// that audience by name instead of creating a second one — and not another
// audience of the team that happens to have the same name.
TEST_F(AudienceDomainTest, LostCreateAnswerIsAdoptedNotDuplicated) {
  AudienceRecord first = MakeAudience(team_a_);  // "Buyers"
  Sync(team_a_, first.id, Operation::kAdd, Emails(0, 1000));
  auto w = Worker("w1");
  Drain(*w);
  const std::string first_tiktok = TikTokId(team_a_, first.id);
  ASSERT_FALSE(first_tiktok.empty());

  AudienceRecord second = MakeAudience(team_a_);  // also "Buyers"
  tiktok_.lose_create_answers = 1;
  JobRecord job = Sync(team_a_, second.id, Operation::kAdd, Emails(5000, 6000));
  for (int i = 0; i < 100; ++i) {
    (void)w->RunOnce();
    auto j = store_->GetJob(team_a_.team_id, job.id);
    if (j.ok() &&
        (j->state == JobState::kSucceeded || j->state == JobState::kFailed)) {
      break;
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
  EXPECT_EQ(store_->GetJob(team_a_.team_id, job.id)->state,
            JobState::kSucceeded);
  const std::string second_tiktok = TikTokId(team_a_, second.id);
  EXPECT_NE(second_tiktok, first_tiktok);
  EXPECT_EQ(tiktok_.audiences.size(), 2u);  // no third create
  const auto& remote = tiktok_.audiences[second_tiktok];
  EXPECT_EQ(remote.members.size(), 1000u);
  for (const auto& [d, n] : remote.applied) ASSERT_EQ(n, 1) << d;
  EXPECT_EQ(tiktok_.audiences[first_tiktok].members.size(), 1000u);
}

// A worker whose claim was superseded (another worker took the job with
// ClaimJob) while it was between files: its next checkpoint write is fenced,
// so it stops with nothing recorded and without acknowledging; the new owner
// finishes the job with every digest applied once.
TEST_F(AudienceDomainTest, SupersededClaimStopsTheWorkerAtItsNextCheckpoint) {
  AudienceRecord a = MakeAudience(team_a_);
  JobRecord job = Sync(team_a_, a.id, Operation::kAdd, Emails(0, 5000));
  auto w1 = Worker("w1");
  w1->after_file = [&](int64_t applied) {
    if (applied == 1) {
      auto other = store_->ClaimJob(team_a_.team_id, job.id, "other");
      EXPECT_TRUE(other.ok()) << other.status();
      EXPECT_EQ(other->epoch, 2);
    }
    return true;
  };
  auto took = w1->RunOnce();
  ASSERT_TRUE(took.ok()) << took.status();
  EXPECT_TRUE(*took);
  EXPECT_EQ(w1->claims_lost(), 1);
  auto mid = store_->GetJob(team_a_.team_id, job.id);
  EXPECT_EQ(mid->state, JobState::kRunning);
  EXPECT_EQ(mid->files_uploaded, 1);
  EXPECT_EQ(mid->claim_owner, "other");
  // File 1 was uploaded but its checkpoint was refused.
  EXPECT_EQ(tiktok_.uploads, 2);
  EXPECT_EQ(store_->GetFile(team_a_.team_id, job.id, IdType::kEmail, 1)->state,
            FileCheckpoint::State::kNone);
  auto pending =
      pool_->Command({"XPENDING", "ttads:audience:jobs", "audience-workers"});
  ASSERT_TRUE(pending.ok());
  EXPECT_EQ(pending->elements[0].integer, 1);  // not acknowledged

  auto w2 = Worker("w2");
  bool done = false;
  for (int i = 0; i < 100 && !done; ++i) {
    auto r = w2->RunOnce();
    done = r.ok() && *r;
  }
  ASSERT_TRUE(done);
  auto finished = store_->GetJob(team_a_.team_id, job.id);
  EXPECT_EQ(finished->state, JobState::kSucceeded);
  EXPECT_EQ(finished->claim_epoch, 3);
  EXPECT_EQ(finished->uploaded["EMAIL"], 5000);
  EXPECT_EQ(finished->files_uploaded, 5);
  const auto& remote = tiktok_.audiences[TikTokId(team_a_, a.id)];
  EXPECT_EQ(remote.applied.size(), 5000u);
  for (const auto& [d, n] : remote.applied) ASSERT_EQ(n, 1) << d;
}

TEST_F(AudienceDomainTest, FencedWritesNeedTheLatestClaim) {
  AudienceRecord a = MakeAudience(team_a_);
  JobRecord job = Sync(team_a_, a.id, Operation::kAdd, Emails(0, 10));
  EXPECT_EQ(store_->ClaimJob(team_a_.team_id, "nope", "w1").status().code(),
            absl::StatusCode::kNotFound);
  auto first = store_->ClaimJob(team_a_.team_id, job.id, "w1");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->epoch, 1);
  EXPECT_EQ(first->attempts, 1);
  FileCheckpoint f;
  f.state = FileCheckpoint::State::kUploaded;
  f.file_path = "p0";
  f.count = 10;
  EXPECT_TRUE(
      store_
          ->PutFile(team_a_.team_id, job.id, IdType::kEmail, 0, f, first->epoch)
          .ok());
  auto second = store_->ClaimJob(team_a_.team_id, job.id, "w2");
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->epoch, 2);
  EXPECT_EQ(second->attempts, 2);

  // Every fenced write of the first claim is refused and changes nothing.
  f.file_path = "p1";
  absl::Status s = store_->PutFile(team_a_.team_id, job.id, IdType::kEmail, 1,
                                   f, first->epoch);
  EXPECT_EQ(s.code(), absl::StatusCode::kAborted);
  EXPECT_TRUE(IsClaimLost(s)) << s;
  EXPECT_TRUE(IsClaimLost(store_->MarkFileApplied(
      team_a_.team_id, job.id, a.id, IdType::kEmail, 0, f, "h", first->epoch)));
  EXPECT_TRUE(IsClaimLost(store_->SetJobState(
      team_a_.team_id, job.id, JobState::kSucceeded, first->epoch)));
  EXPECT_TRUE(IsClaimLost(store_->FailJob(
      team_a_.team_id, job.id, absl::InternalError("x"), first->epoch)));
  ReceiveCounts c;
  c.duplicates = 5;
  EXPECT_TRUE(
      IsClaimLost(store_->AddCounts(team_a_.team_id, job.id, c, first->epoch)));
  EXPECT_EQ(store_->GetFile(team_a_.team_id, job.id, IdType::kEmail, 1)->state,
            FileCheckpoint::State::kNone);
  auto file0 = store_->GetFile(team_a_.team_id, job.id, IdType::kEmail, 0);
  EXPECT_EQ(file0->state, FileCheckpoint::State::kUploaded);
  auto j = store_->GetJob(team_a_.team_id, job.id);
  EXPECT_EQ(j->state, JobState::kQueued);
  EXPECT_EQ(j->files_uploaded, 0);
  EXPECT_EQ(j->duplicates, 0);
  EXPECT_TRUE(j->errors.empty());
  EXPECT_TRUE(store_->History(team_a_.team_id, a.id)->empty());

  // The latest claim writes; unfenced writes (receive phase) still work.
  EXPECT_TRUE(store_
                  ->MarkFileApplied(team_a_.team_id, job.id, a.id,
                                    IdType::kEmail, 0, f, "h", second->epoch)
                  .ok());
  EXPECT_TRUE(store_->AddCounts(team_a_.team_id, job.id, c).ok());
  j = store_->GetJob(team_a_.team_id, job.id);
  EXPECT_EQ(j->files_uploaded, 1);
  EXPECT_EQ(j->duplicates, 5);
  EXPECT_EQ(j->claim_owner, "w2");
}

TEST_F(AudienceDomainTest, OnlyTheOwnerRenewsOrAcknowledgesAnEntry) {
  ASSERT_TRUE(queue_->Enqueue("tm_a", "job1").ok());
  auto taken = queue_->Next("w1", absl::Milliseconds(10));
  ASSERT_TRUE(taken.ok() && taken->has_value());
  const QueuedJob entry = **taken;
  EXPECT_TRUE(*queue_->Renew("w1", entry));
  // Renew by another consumer neither succeeds nor takes the entry.
  EXPECT_FALSE(*queue_->Renew("w2", entry));
  auto owner = [&] {
    auto r = pool_->Command({"XPENDING", "ttads:audience:jobs",
                             "audience-workers", "-", "+", "10"});
    return r->elements.empty() ? std::string() : r->elements[0].elements[1].str;
  };
  EXPECT_EQ(owner(), "w1");
  // A heartbeat keeps it from being claimed past the claim interval (100 ms).
  {
    ClaimHeartbeat beat(queue_.get(), "w1", entry, absl::Milliseconds(30));
    absl::SleepFor(absl::Milliseconds(350));
    auto other = queue_->Next("w2", absl::Milliseconds(10));
    ASSERT_TRUE(other.ok());
    EXPECT_FALSE(other->has_value());
    EXPECT_FALSE(beat.lost());
    EXPECT_GE(beat.renewals(), 5);
  }
  // Without it the entry goes to w2; w1's heartbeat then reports it lost.
  absl::SleepFor(absl::Milliseconds(150));
  auto other = queue_->Next("w2", absl::Milliseconds(10));
  ASSERT_TRUE(other.ok() && other->has_value());
  EXPECT_EQ((*other)->entry_id, entry.entry_id);
  ClaimHeartbeat stale(queue_.get(), "w1", entry, absl::Milliseconds(10));
  for (int i = 0; i < 200 && !stale.lost(); ++i) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  EXPECT_TRUE(stale.lost());
  EXPECT_EQ(owner(), "w2");
  // w1 cannot acknowledge w2's entry; w2 can.
  EXPECT_TRUE(queue_->Ack("w1", entry).ok());
  EXPECT_EQ(owner(), "w2");
  EXPECT_TRUE(queue_->Ack("w2", entry).ok());
  EXPECT_EQ(owner(), "");
  EXPECT_FALSE(*queue_->Renew("w2", entry));
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

// A job record keeps its source as the name it always stored
// ("sync"/"disqualification"), so records written before the source became
// typed read back, and records written now read in a version before.
TEST_F(AudienceDomainTest, JobSourceIsStoredByNameAndOldRecordsRead) {
  const std::string key = store::TeamKey(team_a_.team_id, "job:j_src_1");
  JobRecord job;
  job.id = "j_src_1";
  job.team_id = team_a_.team_id;
  job.audience_id = "a1";
  job.advertiser_id = "7001";
  job.source = JobSource::kDisqualification;
  ASSERT_THAT(store_->PutJob(job), IsOk());
  auto raw = pool_->Command({"HGET", key, "source"});
  ASSERT_THAT(raw, IsOk());
  EXPECT_EQ(raw->str, "disqualification");
  EXPECT_EQ(store_->GetJob(team_a_.team_id, "j_src_1")->source,
            JobSource::kDisqualification);
  // As an earlier version wrote them: the plain names, or no source field.
  ASSERT_THAT(pool_->Command({"HSET", key, "source", "sync"}), IsOk());
  EXPECT_EQ(store_->GetJob(team_a_.team_id, "j_src_1")->source,
            JobSource::kSync);
  ASSERT_THAT(pool_->Command({"HSET", key, "source", "disqualification"}),
              IsOk());
  EXPECT_EQ(store_->GetJob(team_a_.team_id, "j_src_1")->source,
            JobSource::kDisqualification);
  ASSERT_THAT(pool_->Command({"HDEL", key, "source"}), IsOk());
  EXPECT_EQ(store_->GetJob(team_a_.team_id, "j_src_1")->source,
            JobSource::kSync);
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

namespace ttads::audience {
namespace {

// A clock that moves one second each time it is read, so rates and ETAs
// are the same on every run.
std::function<absl::Time()> SteppingClock() {
  auto now = std::make_shared<absl::Time>(absl::FromUnixSeconds(1700000000));
  return [now] {
    *now += absl::Seconds(1);
    return *now;
  };
}

TEST_F(AudienceDomainTest, ProgressGoesFromZeroToAHundredAndTheWatchEnds) {
  store_->set_clock(SteppingClock());
  AudienceRecord a = MakeAudience(team_a_);
  std::vector<std::string> values = Emails(0, 5000);
  for (const auto& dup : Emails(0, 40)) values.push_back(dup);
  values.push_back("not-an-email");
  JobRecord job = Sync(team_a_, a.id, Operation::kAdd, values);
  ASSERT_EQ(job.state, JobState::kQueued);
  JobProgress queued = ProgressOf(job);
  EXPECT_EQ(queued.total, 5041);
  // The invalid value and the duplicates within a chunk are settled on
  // receipt; nothing was uploaded yet.
  EXPECT_GE(queued.done, 1);
  EXPECT_LT(queued.percent, 5);
  EXPECT_FALSE(queued.eta.has_value());

  // One watcher through the hub, polled at each applied file.
  JobWatchHub hub(store_.get(), {});
  std::vector<JobRecord> streamed;
  auto handle = hub.Add(job, [&](const absl::StatusOr<JobRecord>& changed) {
    ASSERT_TRUE(changed.ok()) << changed.status();
    streamed.push_back(*changed);
  });
  ASSERT_TRUE(handle.ok()) << handle.status();

  std::vector<JobProgress> midway;
  auto w = Worker("w1");  // files of 1,000 digests: 5 files
  w->after_file = [&](int64_t) {
    auto now = store_->GetJob(team_a_.team_id, job.id);
    EXPECT_TRUE(now.ok());
    if (now.ok()) midway.push_back(ProgressOf(*now));
    hub.PollOnce();
    return true;
  };
  Drain(*w);
  hub.PollOnce();

  ASSERT_EQ(midway.size(), 5u);
  double last = queued.percent;
  for (const JobProgress& p : midway) {
    EXPECT_EQ(p.total, 5041);
    EXPECT_GE(p.percent, last);
    EXPECT_GT(p.percent, 0);
    EXPECT_LE(p.percent, 100);
    // Measured from the rate since the worker's claim.
    EXPECT_TRUE(p.eta.has_value());
    last = p.percent;
  }
  EXPECT_LT(midway.front().percent, 50);
  EXPECT_GT(*midway.front().eta, absl::ZeroDuration());

  auto final_job = store_->GetJob(team_a_.team_id, job.id);
  ASSERT_TRUE(final_job.ok());
  ASSERT_EQ(final_job->state, JobState::kSucceeded);
  const JobProgress end = ProgressOf(*final_job);
  EXPECT_EQ(end.done, end.total);
  EXPECT_DOUBLE_EQ(end.percent, 100);
  EXPECT_FALSE(end.eta.has_value());
  // done counts what TikTok got plus what was dropped: nothing twice.
  int64_t invalid = 0;
  for (const auto& [reason, n] : final_job->invalid) invalid += n;
  EXPECT_EQ(final_job->uploaded["EMAIL"] + final_job->duplicates + invalid,
            end.total);

  // The stream saw RUNNING states, then SUCCEEDED last, and is over.
  ASSERT_GE(streamed.size(), 5u);
  EXPECT_EQ(streamed.front().state, JobState::kRunning);
  EXPECT_EQ(streamed.back().state, JobState::kSucceeded);
  EXPECT_EQ(hub.watchers(), 0u);
  const size_t delivered = streamed.size();
  hub.PollOnce();
  EXPECT_EQ(streamed.size(), delivered);
}

TEST_F(AudienceDomainTest, ProgressSurvivesATakeoverWithoutCountingTwice) {
  store_->set_clock(SteppingClock());
  AudienceRecord a = MakeAudience(team_a_);
  JobRecord job = Sync(team_a_, a.id, Operation::kAdd, Emails(0, 3000));
  auto w1 = Worker("w1");
  w1->after_file = [](int64_t files) { return files < 1; };  // dies
  ASSERT_TRUE(w1->RunOnce().ok());
  auto half = store_->GetJob(team_a_.team_id, job.id);
  ASSERT_TRUE(half.ok());
  EXPECT_EQ(half->state, JobState::kRunning);
  EXPECT_NEAR(ProgressOf(*half).percent, 100.0 / 3, 1);

  absl::SleepFor(absl::Milliseconds(150));  // past the 100 ms claim idle
  auto w2 = Worker("w2");
  std::vector<JobProgress> seen;
  w2->after_file = [&](int64_t) {
    seen.push_back(ProgressOf(*store_->GetJob(team_a_.team_id, job.id)));
    return true;
  };
  Drain(*w2);
  ASSERT_EQ(seen.size(), 2u);
  // The new claim measures its own rate from where the first one stopped.
  EXPECT_TRUE(seen.front().eta.has_value());
  auto done = store_->GetJob(team_a_.team_id, job.id);
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(done->state, JobState::kSucceeded);
  EXPECT_EQ(done->settled, 3000);
  EXPECT_EQ(done->run_start_settled, 1000);
  EXPECT_DOUBLE_EQ(ProgressOf(*done).percent, 100);
}

TEST_F(AudienceDomainTest, WatchHubPollsEachJobOnceAndIsBounded) {
  AudienceRecord a = MakeAudience(team_a_);
  JobRecord job = Sync(team_a_, a.id, Operation::kAdd, Emails(0, 10));
  JobWatchHub hub(store_.get(), {.max_watchers = 2});
  int first = 0, second = 0;
  absl::Status ended;
  auto h1 = hub.Add(job, [&](const absl::StatusOr<JobRecord>& j) {
    ++first;
    if (!j.ok()) ended = j.status();
  });
  auto h2 = hub.Add(job, [&](const absl::StatusOr<JobRecord>&) { ++second; });
  ASSERT_TRUE(h1.ok() && h2.ok());
  EXPECT_EQ(hub.watched_jobs(), 1u);
  EXPECT_THAT(hub.Add(job, [](const absl::StatusOr<JobRecord>&) {}).status(),
              testing::StatusIs(absl::StatusCode::kResourceExhausted));

  hub.PollOnce();  // nothing changed since the watchers read it
  EXPECT_EQ(first + second, 0);
  ASSERT_TRUE(
      store_->SetJobState(team_a_.team_id, job.id, JobState::kRunning).ok());
  hub.PollOnce();
  EXPECT_EQ(first, 1);
  EXPECT_EQ(second, 1);

  hub.Remove(*h2);
  ASSERT_TRUE(store_->DeleteJob(job).ok());
  hub.PollOnce();
  EXPECT_EQ(second, 1);  // removed: not called again
  EXPECT_EQ(first, 2);
  EXPECT_THAT(ended, testing::StatusIs(absl::StatusCode::kNotFound));
  EXPECT_EQ(hub.watchers(), 0u);
}

}  // namespace
}  // namespace ttads::audience
