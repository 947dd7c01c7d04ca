#include "services/gateway/quota.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "libs/testing/private_redis.h"
#include "libs/testing/status_matchers.h"

namespace ttads::gateway {
namespace {

using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

class QuotaTest : public ::testing::Test {
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
  }
  static testing::PrivateRedis* redis_;
  std::unique_ptr<store::RedisPool> pool_;
};
testing::PrivateRedis* QuotaTest::redis_ = nullptr;

TEST(QuotaTiersTest, Parses) {
  auto tiers = ParseQuotaTiers("free:100, plus:150,enterprise:0");
  ASSERT_THAT(tiers, IsOk());
  EXPECT_EQ(tiers->at("free"), 100);
  EXPECT_EQ(tiers->at("plus"), 150);
  EXPECT_EQ(tiers->at("enterprise"), 0);
  EXPECT_THAT(ParseQuotaTiers("free=100"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseQuotaTiers("free:-1"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseQuotaTiers(""),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(QuotaPeriodTest, EndsOnFirstOfNextMonthUtc) {
  absl::Time t = absl::FromCivil(absl::CivilSecond(2026, 4, 30, 23, 59, 59),
                                 absl::UTCTimeZone());
  EXPECT_EQ(QuotaCounter::PeriodOf(t), "2026-04");
  EXPECT_EQ(QuotaCounter::PeriodEnd(t),
            absl::FromCivil(absl::CivilDay(2026, 5, 1), absl::UTCTimeZone()));
  absl::Time dec =
      absl::FromCivil(absl::CivilDay(2026, 12, 5), absl::UTCTimeZone());
  EXPECT_EQ(QuotaCounter::PeriodEnd(dec),
            absl::FromCivil(absl::CivilDay(2027, 1, 1), absl::UTCTimeZone()));
}

TEST_F(QuotaTest, CountsUpToTheLimitAndRefusedCallsDoNotCount) {
  QuotaCounter counter(*pool_,
                       {{{"plus", 3}, {"free", 1}}, "free", "https://x"});
  // The counter expires at the end of its period, so use the real month.
  absl::Time now = absl::Now();
  std::string key =
      absl::StrCat("ttads:{team:tm_count}:quota:", QuotaCounter::PeriodOf(now));
  std::string period_end = absl::FormatTime(
      "%Y-%m-%d", QuotaCounter::PeriodEnd(now), absl::UTCTimeZone());
  for (int i = 1; i <= 3; ++i) {
    auto u = counter.Charge("tm_count", "plus", now);
    ASSERT_THAT(u, IsOk());
    EXPECT_TRUE(u->allowed);
    EXPECT_EQ(u->used, i);
    EXPECT_EQ(u->limit, 3);
    EXPECT_EQ(u->tier, "plus");
    EXPECT_EQ(u->period_end, period_end);
  }
  for (int i = 0; i < 2; ++i) {
    auto u = counter.Charge("tm_count", "plus", now);
    ASSERT_THAT(u, IsOk());
    EXPECT_FALSE(u->allowed);
    EXPECT_EQ(u->used, 3);
  }
  auto raw = pool_->Command({"GET", key});
  ASSERT_THAT(raw, IsOk());
  EXPECT_EQ(raw->str, "3");
  auto ttl = pool_->Command({"TTL", key});
  ASSERT_THAT(ttl, IsOk());
  EXPECT_GT(ttl->integer, 0);
  EXPECT_LE(ttl->integer, 32 * 24 * 3600);
  // Next month starts from zero; teams are separate.
  absl::Time may = QuotaCounter::PeriodEnd(now);
  auto u = counter.Charge("tm_count", "plus", may);
  ASSERT_THAT(u, IsOk());
  EXPECT_EQ(u->used, 1);
  u = counter.Charge("tm_other", "plus", now);
  ASSERT_THAT(u, IsOk());
  EXPECT_EQ(u->used, 1);
}

TEST_F(QuotaTest, UnknownTierUsesDefaultAndZeroIsUnlimited) {
  QuotaCounter counter(*pool_, {{{"free", 1}, {"enterprise", 0}}, "free", ""});
  absl::Time now = absl::Now();
  auto u = counter.Charge("tm_unknown", "mystery", now);
  ASSERT_THAT(u, IsOk());
  EXPECT_EQ(u->tier, "free");
  EXPECT_TRUE(u->allowed);
  u = counter.Charge("tm_unknown", "mystery", now);
  ASSERT_THAT(u, IsOk());
  EXPECT_FALSE(u->allowed);
  for (int i = 0; i < 5; ++i) {
    u = counter.Charge("tm_big", "enterprise", now);
    ASSERT_THAT(u, IsOk());
    EXPECT_TRUE(u->allowed);
  }
  EXPECT_EQ(u->used, 5);
  EXPECT_EQ(u->limit, 0);  // unlimited
}

// What the gateway does per request: memory first, Redis when needed.
absl::StatusOr<QuotaUsage> ChargeLikeTheGateway(QuotaCounter& counter,
                                                absl::string_view team,
                                                absl::string_view tier,
                                                absl::Time now) {
  if (auto u = counter.TryChargeFromLease(team, tier, now)) return *u;
  return counter.Charge(team, tier, now);
}

int64_t CountInRedis(store::RedisPool& pool, const std::string& team,
                     absl::Time now) {
  auto raw = pool.Command({"GET", absl::StrCat("ttads:{team:", team, "}:quota:",
                                               QuotaCounter::PeriodOf(now))});
  int64_t n = 0;
  if (raw.ok() && raw->type == store::RedisReply::Type::kString) {
    EXPECT_TRUE(absl::SimpleAtoi(raw->str, &n));
  }
  return n;
}

TEST_F(QuotaTest, BusyTeamIsCountedExactlyFromLeasesWithFewRedisCalls) {
  QuotaCounter counter(*pool_, {{{"enterprise", 0}}, "enterprise", ""});
  absl::Time now = absl::Now();
  for (int i = 1; i <= 1000; ++i) {
    auto u = ChargeLikeTheGateway(counter, "tm_busy", "enterprise", now);
    ASSERT_THAT(u, IsOk());
    ASSERT_TRUE(u->allowed);
    ASSERT_EQ(u->used, i);  // Every response reports the exact count.
  }
  // Leases grow 1, 2, 4 ... 256: a dozen Redis calls, not a thousand.
  EXPECT_LE(counter.redis_calls(), 12);
  EXPECT_GE(CountInRedis(*pool_, "tm_busy", now), 1000);
  counter.ReleaseLeases();
  EXPECT_EQ(CountInRedis(*pool_, "tm_busy", now), 1000);
}

TEST_F(QuotaTest, LimitIsExactAcrossGatewaysSharingRedis) {
  QuotaConfig config{{{"plus", 150}}, "plus", ""};
  QuotaCounter a(*pool_, config);
  QuotaCounter b(*pool_, config);
  absl::Time now = absl::Now();
  int allowed = 0;
  int64_t last_used = 0;
  for (int i = 0; i < 200; ++i) {
    QuotaCounter& gateway = (i % 3 == 0) ? b : a;
    auto u = ChargeLikeTheGateway(gateway, "tm_shared", "plus", now);
    ASSERT_THAT(u, IsOk());
    if (u->allowed) {
      ++allowed;
      EXPECT_LE(u->used, 150);
    } else {
      last_used = u->used;
    }
  }
  EXPECT_EQ(allowed, 150);
  EXPECT_EQ(last_used, 150);
  EXPECT_EQ(CountInRedis(*pool_, "tm_shared", now), 150);
  a.ReleaseLeases();
  b.ReleaseLeases();
  EXPECT_EQ(CountInRedis(*pool_, "tm_shared", now), 150);
}

TEST_F(QuotaTest, StaleLeaseIsGivenBackAndRefusalIsRemembered) {
  QuotaConfig config{{{"plus", 40}, {"enterprise", 0}}, "plus", ""};
  config.lease_ttl = absl::Seconds(1);
  QuotaCounter counter(*pool_, config);
  absl::Time now = absl::Now();
  for (int i = 0; i < 7; ++i) {  // Leases of 1, 2, 4: nothing left over.
    ASSERT_THAT(ChargeLikeTheGateway(counter, "tm_stale", "enterprise", now),
                IsOk());
  }
  ASSERT_THAT(ChargeLikeTheGateway(counter, "tm_stale", "enterprise", now),
              IsOk());  // A lease of 8, 7 left unused.
  EXPECT_EQ(CountInRedis(*pool_, "tm_stale", now), 15);
  // Two seconds later the lease is stale: its 7 units go back to Redis
  // before the next (single-unit) lease is taken.
  absl::Time later = now + absl::Seconds(2);
  auto u = ChargeLikeTheGateway(counter, "tm_stale", "enterprise", later);
  ASSERT_THAT(u, IsOk());
  EXPECT_EQ(u->used, 9);
  EXPECT_EQ(CountInRedis(*pool_, "tm_stale", now), 9);

  // At the limit the refusal is kept for lease_ttl without asking Redis.
  for (int i = 0; i < 40; ++i) {
    ASSERT_TRUE(ChargeLikeTheGateway(counter, "tm_full", "plus", now)->allowed);
  }
  ASSERT_FALSE(ChargeLikeTheGateway(counter, "tm_full", "plus", now)->allowed);
  int64_t calls = counter.redis_calls();
  for (int i = 0; i < 100; ++i) {
    auto refused = ChargeLikeTheGateway(counter, "tm_full", "plus", now);
    ASSERT_THAT(refused, IsOk());
    EXPECT_FALSE(refused->allowed);
    EXPECT_EQ(refused->used, 40);
  }
  EXPECT_EQ(counter.redis_calls(), calls);
  // After lease_ttl it asks again (an operator may have reset the count).
  ASSERT_THAT(pool_->Command({"SET",
                              absl::StrCat("ttads:{team:tm_full}:quota:",
                                           QuotaCounter::PeriodOf(now)),
                              "10"}),
              IsOk());
  u = ChargeLikeTheGateway(counter, "tm_full", "plus", later);
  ASSERT_THAT(u, IsOk());
  EXPECT_TRUE(u->allowed);
  EXPECT_EQ(u->used, 11);
  EXPECT_EQ(counter.redis_calls(), calls + 1);
}

}  // namespace
}  // namespace ttads::gateway
