#include "services/audience/audience_test_env.h"

#include <unistd.h>

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "libs/testing/status_matchers.h"
#include "services/audience/customer_file.h"

namespace ttads::audience {

using ::ttads::testing::IsOk;

std::vector<std::string> Emails(int from, int to) {
  std::vector<std::string> v;
  for (int i = from; i < to; ++i) {
    v.push_back(absl::StrCat("user", i, "@example.com"));
  }
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

void AudienceTestEnv::SetUp() {
  auto redis = testing::PrivateRedis::Start({.pool_size = 4});
  ASSERT_THAT(redis, IsOk());
  redis_ = *std::move(redis);
  store_ = std::make_unique<AudienceStore>(redis_->pool());
  queue_ =
      std::make_unique<RedisJobQueue>(redis_->pool(), absl::Milliseconds(100));
  normalizer_ = identifiers::Normalizer(normalizer_options_);
  audiences_ =
      std::make_unique<AudienceRegistry>(store_.get(), &tiktok_, &tokens_);
  sync_ = std::make_unique<MemberSync>(store_.get(), queue_.get(),
                                       audiences_.get(), normalizer_options_,
                                       /*chunk_digests=*/100);
  disqualifier_ = std::make_unique<Disqualifier>(store_.get(), audiences_.get(),
                                                 normalizer_options_);
  refresh_ = std::make_unique<RefreshCycle>(store_.get(), queue_.get());
  tmp_ = std::filesystem::temp_directory_path() /
         absl::StrCat("aud-test-", ::getpid(), "-", rand());
  std::filesystem::create_directories(tmp_);
}

void AudienceTestEnv::TearDown() { std::filesystem::remove_all(tmp_); }

std::unique_ptr<SyncWorker> AudienceTestEnv::Worker(const std::string& name,
                                                    int64_t digests_per_file) {
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

AudienceRecord AudienceTestEnv::MakeAudience(const Requester& who,
                                             int64_t refresh) {
  auto a = audiences_->Create(who, {.advertiser_id = "7001",
                                    .name = "Buyers",
                                    .identifier_types = {1},
                                    .refresh_interval_seconds = refresh});
  EXPECT_THAT(a, IsOk());
  return a.ok() ? a->record : AudienceRecord();
}

JobRecord AudienceTestEnv::Sync(const Requester& who,
                                const std::string& audience, Operation op,
                                const std::vector<std::string>& values,
                                IdType type) {
  auto session = sync_->Begin(who, "7001", audience, op);
  EXPECT_THAT(session, IsOk());
  if (!session.ok()) return JobRecord();
  for (size_t i = 0; i < values.size(); i += 70) {
    const size_t n = std::min<size_t>(70, values.size() - i);
    EXPECT_THAT((*session)->AddBatch(type, &values[i], n), IsOk());
  }
  auto job = (*session)->Finish();
  EXPECT_THAT(job, IsOk());
  return job.ok() ? *job : JobRecord();
}

void AudienceTestEnv::Drain(SyncWorker& w) {
  for (int i = 0; i < 100; ++i) {
    auto r = w.RunOnce();
    if (r.ok() && !*r) return;
  }
}

std::string AudienceTestEnv::TikTokId(const Requester& who,
                                      const std::string& audience) {
  return store_->GetAudience(who.team_id, audience)->tiktok_id;
}

}  // namespace ttads::audience
