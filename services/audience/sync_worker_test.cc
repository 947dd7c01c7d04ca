// Sync workers against the TikTok simulator over the real client, with a
// private redis-server: one owner per job while uploads are slower than the
// claim interval, and a worker that lost its claim stops without recording
// anything (docs/audience.md, "One owner at a time").
#include "services/audience/sync_worker.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "libs/testing/redis_server.h"
#include "libs/tiktok/client.h"
#include "services/audience/audience_manager.h"
#include "services/audience/customer_file.h"
#include "services/audience/tiktok_audience_api.h"
#include "tools/tiktok_sim/faults.h"
#include "tools/tiktok_sim/seed.h"
#include "tools/tiktok_sim/sim.h"

namespace ttads::audience {
namespace {

using tiktok_sim::FaultMode;
using tiktok_sim::TikTokSim;

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

std::vector<std::string> Emails(int n) {
  std::vector<std::string> v;
  for (int i = 0; i < n; ++i) v.push_back(absl::StrCat("slow", i, "@x.com"));
  return v;
}

class SyncWorkerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = testing::RedisServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    redis_server_ = *std::move(server);
    store::RedisOptions o;
    o.port = redis_server_->port();
    o.pool_size = 8;
    auto pool = store::RedisPool::Connect(o);
    ASSERT_TRUE(pool.ok()) << pool.status();
    pool_ = *std::move(pool);
    auto sim = TikTokSim::Start({});
    ASSERT_TRUE(sim.ok()) << sim.status();
    sim_ = *std::move(sim);
    tiktok::ClientOptions co;
    co.base_url = sim_->base_url();
    co.app_id = "ttads-local-app";
    co.app_secret = "local-sim-secret";
    auto client = tiktok::Client::Create(std::move(co));
    ASSERT_TRUE(client.ok()) << client.status();
    client_ = *std::move(client);
    api_ = NewClientAudienceApi(client_.get());
    tokens_ =
        std::make_unique<SimTokens>(sim_->IssueAccessToken({kAdvertiser}));
    store_ = std::make_unique<AudienceStore>(pool_.get());
    queue_ = std::make_unique<RedisJobQueue>(pool_.get(),
                                             absl::Milliseconds(kClaimIdleMs));
    manager_ = std::make_unique<AudienceManager>(store_.get(), queue_.get(),
                                                 api_.get(), tokens_.get(),
                                                 ManagerOptions());
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
    auto a = manager_->Create(who_, kAdvertiser, "Slow uploads", {1}, 3600);
    EXPECT_TRUE(a.ok()) << a.status();
    audience_id_ = a->record.id;
    auto session =
        manager_->BeginSync(who_, kAdvertiser, audience_id_, Operation::kAdd);
    EXPECT_TRUE(session.ok()) << session.status();
    const std::vector<std::string> values = Emails(n);
    EXPECT_TRUE((*session)
                    ->AddBatch(IdType::kEmail, values.data(), values.size())
                    .ok());
    auto job = (*session)->Finish();
    EXPECT_TRUE(job.ok()) << job.status();
    return *job;
  }

  JobRecord Job(const std::string& id) {
    auto job = store_->GetJob(who_.team_id, id);
    EXPECT_TRUE(job.ok()) << job.status();
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
    auto r = pool_->Command({"XPENDING", kStream, kGroup, "-", "+", "10"});
    EXPECT_TRUE(r.ok()) << r.status();
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

  std::unique_ptr<testing::RedisServer> redis_server_;
  std::unique_ptr<store::RedisPool> pool_;
  std::unique_ptr<TikTokSim> sim_;
  std::unique_ptr<tiktok::Client> client_;
  std::unique_ptr<TikTokAudienceApi> api_;
  std::unique_ptr<SimTokens> tokens_;
  std::unique_ptr<AudienceStore> store_;
  std::unique_ptr<RedisJobQueue> queue_;
  std::unique_ptr<AudienceManager> manager_;
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
  auto stolen = pool_->Command(
      {"XCLAIM", kStream, kGroup, "w2", "0", pending[0].first, "JUSTID"});
  ASSERT_TRUE(stolen.ok()) << stolen.status();
  t.join();

  ASSERT_TRUE(w1_result.ok()) << w1_result.status();
  EXPECT_TRUE(*w1_result);
  EXPECT_EQ(w1->claims_lost(), 1);
  // It finished its in-flight upload only: still one upload call (checked
  // below), no checkpoint, no further file.
  auto file0 = store_->GetFile(who_.team_id, queued.id, IdType::kEmail, 0);
  ASSERT_TRUE(file0.ok()) << file0.status();
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
