#include "services/gateway/admission.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/auth/in_memory_team_store.h"
#include "libs/testing/private_redis.h"
#include "libs/testing/status_matchers.h"

namespace ttads::gateway {
namespace {

using ::testing::Field;
using ::ttads::testing::IsOk;
using ::ttads::testing::IsOkAndHolds;
using ::ttads::testing::StatusIs;

class AdmissionTest : public ::testing::Test {
 protected:
  // One redis-server for the suite; each test connects a pool of its own.
  static void SetUpTestSuite() {
    auto redis = testing::PrivateRedis::Start();
    ASSERT_THAT(redis, IsOk());
    redis_ = redis->release();
  }
  static void TearDownTestSuite() {
    delete redis_;
    redis_ = nullptr;
  }
  void SetUp() override {
    auto pool = redis_->Connect();
    ASSERT_THAT(pool, IsOk());
    pool_ = *std::move(pool);
    QuotaConfig config;
    config.limits = {{"free", 1}, {"standard", 3}};
    config.default_tier = "free";
    quota_ = std::make_unique<QuotaCounter>(*pool_, config);
    auto team = teams_.CreateTeam("Acme", "standard", true);
    ASSERT_THAT(team, IsOk());
    team_id_ = team->id;
    auto member = teams_.AddMember(team_id_, "Ann", auth::Role::kOwner);
    ASSERT_THAT(member, IsOk());
    auto key = teams_.IssueApiKey(team_id_, member->id);
    ASSERT_THAT(key, IsOk());
    key_ = key->plaintext;
  }

  static testing::PrivateRedis* redis_;
  std::unique_ptr<store::RedisPool> pool_;
  std::unique_ptr<QuotaCounter> quota_;
  auth::InMemoryTeamStore teams_;
  std::string team_id_;
  std::string key_;
};
testing::PrivateRedis* AdmissionTest::redis_ = nullptr;

TEST_F(AdmissionTest, AKeyThatNeedsTheStoreWaitsForABlockingThread) {
  Admission admission(teams_, *quota_);
  // The in-memory store has no I/O-free cache: not ready on an I/O thread.
  EXPECT_FALSE(admission.Authenticate(key_, /*may_block=*/false).has_value());
  Attempt<auth::Principal> principal = admission.Authenticate(key_, true);
  ASSERT_TRUE(principal.has_value());
  EXPECT_THAT(*principal,
              IsOkAndHolds(Field(&auth::Principal::team_id, team_id_)));
}

TEST_F(AdmissionTest, UnknownAndMalformedKeysAreUnauthenticated) {
  Admission admission(teams_, *quota_);
  for (std::string key : {"ttads_not-a-real-key-at-all", "x", ""}) {
    Attempt<auth::Principal> principal = admission.Authenticate(key, true);
    ASSERT_TRUE(principal.has_value());
    EXPECT_THAT(*principal, StatusIs(absl::StatusCode::kUnauthenticated));
  }
}

TEST_F(AdmissionTest, ChargesUpToTheTierLimitThenRefusesWithoutCounting) {
  Admission admission(teams_, *quota_);
  // Nothing is known yet: the tier and the first lease need I/O.
  EXPECT_FALSE(admission.Charge(team_id_, /*may_block=*/false).has_value());
  for (int i = 1; i <= 3; ++i) {
    Attempt<QuotaUsage> usage = admission.Charge(team_id_, true);
    ASSERT_TRUE(usage.has_value());
    ASSERT_THAT(*usage, IsOk());
    EXPECT_TRUE((*usage)->allowed);
    EXPECT_EQ((*usage)->used, i);
    EXPECT_EQ((*usage)->limit, 3);
    EXPECT_EQ((*usage)->tier, "standard");
  }
  Attempt<QuotaUsage> refused = admission.Charge(team_id_, true);
  ASSERT_TRUE(refused.has_value());
  ASSERT_THAT(*refused, IsOk());
  EXPECT_FALSE((*refused)->allowed);
  EXPECT_EQ((*refused)->used, 3);
}

TEST_F(AdmissionTest, TheTierIsCachedForItsTtl) {
  Admission cached(teams_, *quota_, absl::Hours(1));
  ASSERT_THAT(cached.Charge(team_id_, true).value(), IsOk());
  ASSERT_THAT(teams_.SetTier(team_id_, "free"), IsOk());
  Attempt<QuotaUsage> usage = cached.Charge(team_id_, true);
  ASSERT_TRUE(usage.has_value());
  ASSERT_THAT(*usage, IsOk());
  EXPECT_EQ((*usage)->tier, "standard");  // The cached tier.

  Admission fresh(teams_, *quota_, absl::ZeroDuration());
  usage = fresh.Charge(team_id_, true);
  ASSERT_TRUE(usage.has_value());
  ASSERT_THAT(*usage, IsOk());
  EXPECT_EQ((*usage)->tier, "free");
}

TEST_F(AdmissionTest, AnUnknownTeamIsTheStoresError) {
  Admission admission(teams_, *quota_);
  Attempt<QuotaUsage> usage = admission.Charge("tm_nobody", true);
  ASSERT_TRUE(usage.has_value());
  EXPECT_THAT(*usage, StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(AdmissionTest, AnUnreachableQuotaStoreIsUnavailable) {
  // A quota counter on a private second Redis, which then stops.
  auto other = testing::PrivateRedis::Start();
  ASSERT_THAT(other, IsOk());
  store::RedisOptions opts = (*other)->pool_options();
  opts.timeout = std::chrono::milliseconds(200);
  auto pool = store::RedisPool::Connect(opts);
  ASSERT_THAT(pool, IsOk());
  QuotaCounter lost(**pool, quota_->config());
  ASSERT_THAT((*other)->server().Stop(), IsOk());
  Admission admission(teams_, lost);
  Attempt<QuotaUsage> usage = admission.Charge(team_id_, true);
  ASSERT_TRUE(usage.has_value());
  EXPECT_THAT(*usage,
              StatusIs(absl::StatusCode::kUnavailable,
                       ::testing::HasSubstr("quota store unavailable")));
}

}  // namespace
}  // namespace ttads::gateway
