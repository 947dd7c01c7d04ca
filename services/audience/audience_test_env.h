#ifndef TTADS_SERVICES_AUDIENCE_AUDIENCE_TEST_ENV_H_
#define TTADS_SERVICES_AUDIENCE_AUDIENCE_TEST_ENV_H_

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "libs/identifiers/identifiers.h"
#include "libs/store/redis.h"
#include "libs/testing/private_redis.h"
#include "services/audience/audience_registry.h"
#include "services/audience/audience_store.h"
#include "services/audience/disqualifier.h"
#include "services/audience/fake_tiktok_audience_api.h"
#include "services/audience/job_queue.h"
#include "services/audience/member_sync.h"
#include "services/audience/refresh_cycle.h"
#include "services/audience/requester.h"
#include "services/audience/sync_worker.h"

// The audience domain for unit tests: a private redis-server, the real
// store and job queue (100 ms claim interval), FakeTikTokAudienceApi, a
// token source that always answers, and the domain classes over them, with
// helpers that create audiences, sync members and drain the queue.
namespace ttads::audience {

// A TokenSource that answers "tok" for everyone.
class FixedTokens : public TokenSource {
 public:
  absl::StatusOr<std::string> Token(const std::string&, const std::string&,
                                    const std::string&,
                                    const std::string&) override {
    return std::string("tok");
  }
};

// "user<from>@example.com" … "user<to - 1>@example.com".
std::vector<std::string> Emails(int from, int to);
// The lowercase hex digest of e-mail `e` under `n`.
std::string EmailDigest(const identifiers::Normalizer& n, const std::string& e);

class AudienceTestEnv : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Files of 1,000 digests by default: with one file per update, every
  // APPEND after the create then keeps the audience at or above TikTok's
  // 1,000-member floor.
  std::unique_ptr<SyncWorker> Worker(const std::string& name,
                                     int64_t digests_per_file = 1000);
  // An EMAIL audience "Buyers" of advertiser 7001.
  AudienceRecord MakeAudience(const Requester& who, int64_t refresh = 3600);
  // A finished (QUEUED) sync job of `values`, sent in batches of 70 like a
  // client stream.
  JobRecord Sync(const Requester& who, const std::string& audience,
                 Operation op, const std::vector<std::string>& values,
                 IdType type = IdType::kEmail);
  // Runs a worker until the queue is empty.
  void Drain(SyncWorker& w);
  std::string TikTokId(const Requester& who, const std::string& audience);

  std::unique_ptr<testing::PrivateRedis> redis_;
  std::unique_ptr<AudienceStore> store_;
  std::unique_ptr<RedisJobQueue> queue_;
  FakeTikTokAudienceApi tiktok_;
  FixedTokens tokens_;
  // The process-wide normaliser's options (region US).
  identifiers::NormalizerOptions normalizer_options_;
  identifiers::Normalizer normalizer_;
  std::unique_ptr<AudienceRegistry> audiences_;
  // Chunks of 100 digests: several chunks per job (cross-chunk merge).
  std::unique_ptr<MemberSync> sync_;
  std::unique_ptr<Disqualifier> disqualifier_;
  std::unique_ptr<RefreshCycle> refresh_;
  std::filesystem::path tmp_;
  Requester team_a_{"tm_a", "mb_1", "owner"};
  Requester team_b_{"tm_b", "mb_2", "owner"};
};

}  // namespace ttads::audience

#endif  // TTADS_SERVICES_AUDIENCE_AUDIENCE_TEST_ENV_H_
