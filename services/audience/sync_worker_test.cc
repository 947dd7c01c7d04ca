// Sync workers against the TikTok simulator over the real client, with a
// private redis-server: one owner per job while uploads are slower than the
// claim interval, and a worker that lost its claim stops without recording
// anything (docs/audience.md, "One owner at a time").
#include "services/audience/sync_worker.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/testing/private_redis.h"
#include "libs/testing/status_matchers.h"
#include "libs/tiktok/client.h"
#include "services/audience/audience_registry.h"
#include "services/audience/audience_test_env.h"
#include "services/audience/customer_file.h"
#include "services/audience/job_progress.h"
#include "services/audience/member_sync.h"
#include "services/audience/tiktok_audience_api.h"
#include "tools/tiktok_sim/faults.h"
#include "tools/tiktok_sim/seed.h"
#include "tools/tiktok_sim/sim.h"

namespace ttads::audience {
namespace {

using tiktok_sim::FaultMode;
using tiktok_sim::TikTokSim;
using ::ttads::testing::IsOk;
using ::ttads::testing::IsOkAndHolds;

constexpr char kAdvertiser[] = "7101000000000000001";
constexpr char kUploadPath[] = "/dmp/custom_audience/file/upload/";
constexpr char kStream[] = "ttads:audience:jobs";
constexpr char kGroup[] = "audience-workers";
// Well under one slow upload (kUploadLatencyMs).
constexpr int kClaimIdleMs = 400;
constexpr int kUploadLatencyMs = 1500;

class SimTokens : public TokenSource {
 public:
  explicit SimTokens(std::string token) : token_(std::move(token)) {}
  absl::StatusOr<std::string> Token(const std::string&, const std::string&,
                                    const std::string&,
                                    const std::string&) override {
    return token_;
  }

 private:
  std::string token_;
};

std::vector<std::string> SlowEmails(int n) {
  std::vector<std::string> v;
  for (int i = 0; i < n; ++i) v.push_back(absl::StrCat("slow", i, "@x.com"));
  return v;
}

class SyncWorkerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto redis = testing::PrivateRedis::Start({.pool_size = 8});
    ASSERT_THAT(redis, IsOk());
    redis_ = *std::move(redis);
    auto sim = TikTokSim::Start({});
    ASSERT_THAT(sim, IsOk());
    sim_ = *std::move(sim);
    tiktok::ClientOptions co;
    co.base_url = sim_->base_url();
    co.app_id = "ttads-local-app";
    co.app_secret = "local-sim-secret";
    auto client = tiktok::Client::Create(std::move(co));
    ASSERT_THAT(client, IsOk());
    client_ = *std::move(client);
    api_ = NewClientAudienceApi(client_.get());
    tokens_ =
        std::make_unique<SimTokens>(sim_->IssueAccessToken({kAdvertiser}));
    store_ = std::make_unique<AudienceStore>(redis_->pool());
    queue_ = std::make_unique<RedisJobQueue>(redis_->pool(),
                                             absl::Milliseconds(kClaimIdleMs));
    audiences_ = std::make_unique<AudienceRegistry>(store_.get(), api_.get(),
                                                    tokens_.get());
    sync_ = std::make_unique<MemberSync>(store_.get(), queue_.get(),
                                         audiences_.get(),
                                         identifiers::NormalizerOptions());
    tmp_ = std::filesystem::temp_directory_path() /
           absl::StrCat("sync-worker-test-", ::getpid(), "-", rand());
    std::filesystem::create_directories(tmp_);
  }
  void TearDown() override { std::filesystem::remove_all(tmp_); }

  // 1,000 digests a file (TikTok refuses an APPEND that leaves fewer than
  // 1,000 members), one file per TikTok update.
  std::unique_ptr<SyncWorker> Worker(const std::string& consumer) {
    WorkerOptions wo;
    wo.consumer = consumer;
    wo.temp_dir = tmp_.string();
    wo.max_file_bytes = 13 + kLineBytes * 1000;
    wo.poll = absl::Milliseconds(20);
    wo.retry_pause = absl::Milliseconds(10);
    wo.files_per_update = 1;
    return std::make_unique<SyncWorker>(store_.get(), queue_.get(), api_.get(),
                                        tokens_.get(), wo);
  }

  // A queued ADD job of `n` e-mails for a new audience.
  JobRecord QueueJob(int n) {
    auto a = audiences_->Create(who_, {.advertiser_id = kAdvertiser,
                                       .name = "Slow uploads",
                                       .identifier_types = {1},
                                       .refresh_interval_seconds = 3600});
    EXPECT_THAT(a, IsOk());
    audience_id_ = a->record.id;
    auto session =
        sync_->Begin(who_, kAdvertiser, audience_id_, Operation::kAdd);
    EXPECT_THAT(session, IsOk());
    const std::vector<std::string> values = SlowEmails(n);
    EXPECT_THAT(
        (*session)->AddBatch(IdType::kEmail, values.data(), values.size()),
        IsOk());
    auto job = (*session)->Finish();
    EXPECT_THAT(job, IsOk());
    return *job;
  }

  JobRecord Job(const std::string& id) {
    auto job = store_->GetJob(who_.team_id, id);
    EXPECT_THAT(job, IsOk());
    return job.ok() ? *job : JobRecord();
  }

  // Waits until the job is SUCCEEDED or FAILED (or `timeout` passed).
  JobRecord WaitFinished(const std::string& id, absl::Duration timeout) {
    const absl::Time deadline = absl::Now() + timeout;
    JobRecord job = Job(id);
    while (job.state != JobState::kSucceeded &&
           job.state != JobState::kFailed && absl::Now() < deadline) {
      absl::SleepFor(absl::Milliseconds(20));
      job = Job(id);
    }
    return job;
  }

  // Calls that reached the simulator on `path` (counted on arrival, before
  // any latency fault).
  int64_t Calls(const std::string& path) {
    auto stats = sim_->stats();
    auto it = stats.calls.find(path);
    return it == stats.calls.end() ? 0 : it->second.total;
  }

  // [entry id, consumer] of every pending entry of the job stream.
  std::vector<std::pair<std::string, std::string>> Pending() {
    auto r =
        redis_->pool()->Command({"XPENDING", kStream, kGroup, "-", "+", "10"});
    EXPECT_THAT(r, IsOk());
    std::vector<std::pair<std::string, std::string>> out;
    if (!r.ok()) return out;
    for (const auto& e : r->elements) {
      out.emplace_back(e.elements[0].str, e.elements[1].str);
    }
    return out;
  }

  std::string TikTokAudienceId() {
    return store_->GetAudience(who_.team_id, audience_id_)->tiktok_id;
  }

  std::unique_ptr<testing::PrivateRedis> redis_;
  std::unique_ptr<TikTokSim> sim_;
  std::unique_ptr<tiktok::Client> client_;
  std::unique_ptr<TikTokAudienceApi> api_;
  std::unique_ptr<SimTokens> tokens_;
  std::unique_ptr<AudienceStore> store_;
  std::unique_ptr<RedisJobQueue> queue_;
  std::unique_ptr<AudienceRegistry> audiences_;
  std::unique_ptr<MemberSync> sync_;
  std::filesystem::path tmp_;
  Requester who_{"tm_slow", "mb_1", "owner"};
  std::string audience_id_;
};

// Every upload takes 1.5 s against a 400 ms claim interval. Before the
// heartbeat, the second worker claimed the job during the first upload
// (both uploaded and applied its files; in one process they shared the
// temporary file and the job failed INTERNAL). Now the owner's claim is
// renewed during the upload: one claim, each file uploaded once, each
// digest applied once.
TEST_F(SyncWorkerTest, UploadSlowerThanClaimIdleKeepsOneOwner) {
  sim_->AddFault({.path_prefix = kUploadPath,
                  .mode = FaultMode::kLatency,
                  .latency_ms = kUploadLatencyMs});
  const JobRecord queued = QueueJob(3000);  // 3 files
  auto w1 = Worker("w1");
  auto w2 = Worker("w2");
  w1->Start();
  w2->Start();
  const absl::Time start = absl::Now();
  JobRecord job = WaitFinished(queued.id, absl::Seconds(30));
  const absl::Duration took = absl::Now() - start;
  w1->Stop();
  w2->Stop();

  EXPECT_EQ(job.state, JobState::kSucceeded)
      << job.error_code << " " << ::testing::PrintToString(job.errors);
  EXPECT_EQ(job.error_code, "");
  EXPECT_TRUE(job.errors.empty()) << ::testing::PrintToString(job.errors);
  // Claimed once: the other worker never took it while the first held it.
  EXPECT_EQ(job.attempts, 1);
  EXPECT_EQ(job.claim_epoch, 1);
  EXPECT_EQ(w1->claims_lost() + w2->claims_lost(), 0);
  EXPECT_EQ(job.uploaded["EMAIL"], 3000);
  EXPECT_EQ(job.files_uploaded, 3);
  // Each file uploaded once, applied once (1 create + 2 updates).
  EXPECT_EQ(Calls(kUploadPath), 3);
  EXPECT_EQ(Calls("/dmp/custom_audience/create/") +
                Calls("/dmp/custom_audience/update/"),
            3);
  const auto stats = sim_->stats();
  ASSERT_EQ(stats.audience.count(TikTokAudienceId()), 1u);
  EXPECT_EQ(stats.audience.at(TikTokAudienceId()).members, 3000u);
  EXPECT_EQ(stats.audience.at(TikTokAudienceId()).digests_received, 3000u);
  EXPECT_EQ(stats.digests_uploaded, 3000u);
  EXPECT_TRUE(Pending().empty());
  EXPECT_TRUE(std::filesystem::is_empty(tmp_));
  // Three uploads of 1.5 s one after another: the claim outlived ~11 claim
  // intervals.
  EXPECT_GE(took, absl::Milliseconds(3 * kUploadLatencyMs));
}

// Retryable failures (here every upload answers 50000) leave the entry
// pending for the next claim, but only max_attempts times: the claim after
// that fails the job instead of handing it round for ever.
TEST_F(SyncWorkerTest, RetryableFailuresEndAfterMaxAttempts) {
  sim_->AddFault({.path_prefix = kUploadPath, .mode = FaultMode::kCode});
  const JobRecord queued = QueueJob(10);
  WorkerOptions wo;
  wo.consumer = "w1";
  wo.temp_dir = tmp_.string();
  wo.poll = absl::Milliseconds(20);
  wo.retry_pause = absl::Milliseconds(10);
  wo.max_attempts = 2;
  SyncWorker w1(store_.get(), queue_.get(), api_.get(), tokens_.get(), wo);
  w1.Start();
  JobRecord job = WaitFinished(queued.id, absl::Seconds(60));
  w1.Stop();
  EXPECT_EQ(job.state, JobState::kFailed);
  EXPECT_EQ(job.attempts, 3);
  EXPECT_EQ(job.error_code, "DEADLINE_EXCEEDED");
  EXPECT_EQ(job.error_reason, "MAX_ATTEMPTS_EXCEEDED");
  EXPECT_TRUE(Pending().empty());
}

// The job's queue entry is taken from w1 (as a worker whose heartbeat was
// cut off would lose it) while w1's first upload is in flight. w1's
// heartbeat notices; when the upload returns w1 stops: no checkpoint, no
// apply, no FAILED state, no acknowledgement. The new owner then finishes
// the job with every digest applied once.
TEST_F(SyncWorkerTest, WorkerWhoseClaimIsTakenStopsWithoutCheckpoint) {
  sim_->AddFault({.path_prefix = kUploadPath,
                  .mode = FaultMode::kLatency,
                  .latency_ms = kUploadLatencyMs,
                  .count = 1});
  const JobRecord queued = QueueJob(3000);
  auto w1 = Worker("w1");
  absl::StatusOr<bool> w1_result = false;
  std::thread t([&] { w1_result = w1->RunOnce(); });
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (Calls(kUploadPath) == 0 && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  ASSERT_EQ(Calls(kUploadPath), 1);  // in flight for 1.5 s
  auto pending = Pending();
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].second, "w1");
  // Another consumer takes the entry; the job's fence is left alone, so only
  // the heartbeat can tell w1.
  auto stolen = redis_->pool()->Command(
      {"XCLAIM", kStream, kGroup, "w2", "0", pending[0].first, "JUSTID"});
  ASSERT_THAT(stolen, IsOk());
  t.join();

  ASSERT_THAT(w1_result, IsOkAndHolds(true));
  EXPECT_EQ(w1->claims_lost(), 1);
  // It finished its in-flight upload only: still one upload call (checked
  // below), no checkpoint, no further file.
  auto file0 = store_->GetFile(who_.team_id, queued.id, IdType::kEmail, 0);
  ASSERT_THAT(file0, IsOk());
  EXPECT_EQ(file0->state, FileCheckpoint::State::kNone);
  JobRecord job = Job(queued.id);
  EXPECT_EQ(job.state, JobState::kRunning);
  EXPECT_EQ(job.files_uploaded, 0);
  EXPECT_EQ(Calls(kUploadPath), 1);
  EXPECT_EQ(Calls("/dmp/custom_audience/create/"), 0);
  EXPECT_EQ(Calls("/dmp/custom_audience/update/"), 0);
  pending = Pending();
  ASSERT_EQ(pending.size(), 1u);  // not acknowledged by w1
  EXPECT_EQ(pending[0].second, "w2");
  EXPECT_TRUE(std::filesystem::is_empty(tmp_));

  // w2 claims it once it is idle past the claim interval and finishes it.
  auto w2 = Worker("w2");
  w2->Start();
  job = WaitFinished(queued.id, absl::Seconds(30));
  w2->Stop();
  EXPECT_EQ(job.state, JobState::kSucceeded)
      << ::testing::PrintToString(job.errors);
  EXPECT_EQ(job.attempts, 2);
  EXPECT_EQ(job.claim_epoch, 2);
  EXPECT_EQ(job.claim_owner, "w2");
  EXPECT_EQ(job.files_uploaded, 3);
  EXPECT_EQ(job.uploaded["EMAIL"], 3000);
  EXPECT_EQ(Calls(kUploadPath), 4);  // w1's dropped upload + w2's three
  const auto stats = sim_->stats();
  EXPECT_EQ(stats.audience.at(TikTokAudienceId()).members, 3000u);
  EXPECT_EQ(stats.audience.at(TikTokAudienceId()).digests_received, 3000u);
  EXPECT_TRUE(Pending().empty());
}

}  // namespace
}  // namespace ttads::audience

// The same workers against FakeTikTokAudienceApi (no network): files,
// counts and TikTok's member floor, kills and Redis restarts, lost answers
// and superseded claims.
namespace ttads::audience {
namespace {

using ::testing::ElementsAre;
using ::ttads::testing::IsOk;
using ::ttads::testing::IsOkAndHolds;

// A clock that moves one second each time it is read, so rates and ETAs
// are the same on every run.
std::function<absl::Time()> SteppingClock() {
  auto now = std::make_shared<absl::Time>(absl::FromUnixSeconds(1700000000));
  return [now] {
    *now += absl::Seconds(1);
    return *now;
  };
}

using SyncWorkerFakeTikTokTest = AudienceTestEnv;

TEST_F(SyncWorkerFakeTikTokTest,
       AddWritesSplitFilesWithHeaderAndCountsEverything) {
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
  ASSERT_THAT(done, IsOk());
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
  EXPECT_TRUE(
      remote.members.count(EmailDigest(normalizer_, "user5@example.com")));
  for (const auto& [d, n] : remote.applied) EXPECT_EQ(n, 1) << d;

  auto view = audiences_->Get(team_a_, "7001", a.id);
  ASSERT_THAT(view, IsOk());
  EXPECT_EQ(view->size, 2400);
  EXPECT_EQ(view->history.size(), 3u);
}

TEST_F(SyncWorkerFakeTikTokTest, RemoveAndTheThousandMemberFloor) {
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
TEST_F(SyncWorkerFakeTikTokTest, AppendBelowTheFloorFailsTheJob) {
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
TEST_F(SyncWorkerFakeTikTokTest, FilesCarryTheAudiencesCalculateType) {
  auto multi = audiences_->Create(
      team_a_,
      {.advertiser_id = "7001", .name = "Multi", .identifier_types = {1, 2}});
  ASSERT_THAT(multi, IsOk());
  Sync(team_a_, multi->record.id, Operation::kAdd, Emails(0, 1000));
  auto maid = audiences_->Create(
      team_a_,
      {.advertiser_id = "7001", .name = "Devices", .identifier_types = {5}});
  ASSERT_THAT(maid, IsOk());
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

TEST_F(SyncWorkerFakeTikTokTest, KilledWorkerJobFinishedByAnotherExactlyOnce) {
  AudienceRecord a = MakeAudience(team_a_);
  JobRecord job = Sync(team_a_, a.id, Operation::kAdd, Emails(0, 5000));
  auto w1 = Worker("w1");
  w1->after_file = [](int64_t applied) { return applied < 3; };  // dies
  ASSERT_THAT(w1->RunOnce(), IsOkAndHolds(true));
  EXPECT_EQ(store_->GetJob(team_a_.team_id, job.id)->state, JobState::kRunning);
  // Redis restarts too: checkpoints come back from the AOF.
  ASSERT_THAT(redis_->server().Restart(), IsOk());
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
TEST_F(SyncWorkerFakeTikTokTest, LostCreateAnswerIsAdoptedNotDuplicated) {
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
TEST_F(SyncWorkerFakeTikTokTest,
       SupersededClaimStopsTheWorkerAtItsNextCheckpoint) {
  AudienceRecord a = MakeAudience(team_a_);
  JobRecord job = Sync(team_a_, a.id, Operation::kAdd, Emails(0, 5000));
  auto w1 = Worker("w1");
  w1->after_file = [&](int64_t applied) {
    if (applied == 1) {
      auto other = store_->ClaimJob(team_a_.team_id, job.id, "other");
      EXPECT_THAT(other, IsOk());
      EXPECT_EQ(other->epoch, 2);
    }
    return true;
  };
  ASSERT_THAT(w1->RunOnce(), IsOkAndHolds(true));
  EXPECT_EQ(w1->claims_lost(), 1);
  auto mid = store_->GetJob(team_a_.team_id, job.id);
  EXPECT_EQ(mid->state, JobState::kRunning);
  EXPECT_EQ(mid->files_uploaded, 1);
  EXPECT_EQ(mid->claim_owner, "other");
  // File 1 was uploaded but its checkpoint was refused.
  EXPECT_EQ(tiktok_.uploads, 2);
  EXPECT_EQ(store_->GetFile(team_a_.team_id, job.id, IdType::kEmail, 1)->state,
            FileCheckpoint::State::kNone);
  auto pending = redis_->pool()->Command(
      {"XPENDING", "ttads:audience:jobs", "audience-workers"});
  ASSERT_THAT(pending, IsOk());
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

TEST_F(SyncWorkerFakeTikTokTest,
       ProgressSurvivesATakeoverWithoutCountingTwice) {
  store_->set_clock(SteppingClock());
  AudienceRecord a = MakeAudience(team_a_);
  JobRecord job = Sync(team_a_, a.id, Operation::kAdd, Emails(0, 3000));
  auto w1 = Worker("w1");
  w1->after_file = [](int64_t files) { return files < 1; };  // dies
  ASSERT_THAT(w1->RunOnce(), IsOk());
  auto half = store_->GetJob(team_a_.team_id, job.id);
  ASSERT_THAT(half, IsOk());
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
  ASSERT_THAT(done, IsOk());
  EXPECT_EQ(done->state, JobState::kSucceeded);
  EXPECT_EQ(done->settled, 3000);
  EXPECT_EQ(done->run_start_settled, 1000);
  EXPECT_DOUBLE_EQ(ProgressOf(*done).percent, 100);
}

}  // namespace
}  // namespace ttads::audience
