#include "services/preflight/publish_check_cache.h"

#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "libs/server/test_call_context.h"

namespace ttads::preflight {
namespace {

using P = Prerequisite;

constexpr PrerequisiteSet kIdentityOnly = PrerequisiteSet::Of({P::kIdentity});
constexpr PrerequisiteSet kIdentityAndPixel =
    PrerequisiteSet::Of({P::kIdentity, P::kPixel});

server::CallContext Caller(const std::string& member,
                           const std::string& role = "owner") {
  return server::testing::Caller(member, role, "tm_a");
}

Findings Known(PrerequisiteSet known, std::string advertiser = "1001") {
  Findings f;
  f.advertiser_id = std::move(advertiser);
  f.known = known;
  return f;
}

class PublishCheckCacheTest : public ::testing::Test {
 protected:
  PublishCheckCache::Options Opts(absl::Duration ttl, size_t max = 100) {
    return {.ttl = ttl, .max_entries = max, .clock = [this] { return now_; }};
  }

  absl::Time now_ = absl::FromUnixSeconds(1'000'000);
};

TEST_F(PublishCheckCacheTest, KeySeparatesCallerRoleAdvertiserAndBc) {
  const std::string base = PublishCheckCache::Key(Caller("mb_1"), "1001", "");
  EXPECT_EQ(PublishCheckCache::Key(Caller("mb_1"), "1001", ""), base);
  EXPECT_NE(PublishCheckCache::Key(Caller("mb_2"), "1001", ""), base);
  EXPECT_NE(PublishCheckCache::Key(Caller("mb_1", "manager"), "1001", ""),
            base);
  EXPECT_NE(PublishCheckCache::Key(Caller("mb_1"), "1002", ""), base);
  EXPECT_NE(PublishCheckCache::Key(Caller("mb_1"), "1001", "555"), base);
}

TEST_F(PublishCheckCacheTest, ServesWhatItCoversUntilTtl) {
  PublishCheckCache cache(Opts(absl::Seconds(2)));
  EXPECT_EQ(cache.Find("k", kIdentityOnly), nullptr);
  cache.Remember("k", Known(kIdentityAndPixel));

  auto hit = cache.Find("k", kIdentityOnly);
  ASSERT_NE(hit, nullptr);
  EXPECT_EQ(hit->advertiser_id, "1001");
  EXPECT_NE(cache.Find("k", kIdentityAndPixel), nullptr);
  EXPECT_EQ(cache.Find("k", PrerequisiteSet::Of({P::kIdentity, P::kApp})),
            nullptr);
  EXPECT_EQ(cache.Find("other", kIdentityOnly), nullptr);

  now_ += absl::Seconds(2) - absl::Nanoseconds(1);
  EXPECT_NE(cache.Find("k", kIdentityOnly), nullptr);
  now_ += absl::Nanoseconds(1);
  EXPECT_EQ(cache.Find("k", kIdentityOnly), nullptr);
}

TEST_F(PublishCheckCacheTest, RememberReplacesAndRestartsTtl) {
  PublishCheckCache cache(Opts(absl::Seconds(2)));
  cache.Remember("k", Known(kIdentityOnly, "1001"));
  now_ += absl::Seconds(1);
  cache.Remember("k", Known(kIdentityAndPixel, "1002"));
  now_ += absl::Seconds(1);
  auto hit = cache.Find("k", kIdentityAndPixel);
  ASSERT_NE(hit, nullptr);
  EXPECT_EQ(hit->advertiser_id, "1002");
}

TEST_F(PublishCheckCacheTest, NeverStoresUncacheableFindings) {
  PublishCheckCache cache(Opts(absl::Seconds(2)));
  Findings failed = Known(kIdentityOnly);
  failed.cacheable = false;
  cache.Remember("k", failed);
  EXPECT_EQ(cache.Find("k", kIdentityOnly), nullptr);
}

TEST_F(PublishCheckCacheTest, ZeroTtlDisables) {
  PublishCheckCache cache(Opts(absl::ZeroDuration()));
  EXPECT_FALSE(cache.enabled());
  cache.Remember("k", Known(kIdentityOnly));
  EXPECT_EQ(cache.Find("k", kIdentityOnly), nullptr);
  EXPECT_TRUE(PublishCheckCache(Opts(absl::Seconds(1))).enabled());
}

TEST_F(PublishCheckCacheTest, WhenFullDropsExpiredFirstThenEverything) {
  PublishCheckCache cache(Opts(absl::Seconds(2), /*max=*/2));
  cache.Remember("old", Known(kIdentityOnly));
  now_ += absl::Seconds(1);
  cache.Remember("fresh", Known(kIdentityOnly));
  now_ += absl::Seconds(1);  // "old" has expired, "fresh" has not
  cache.Remember("new", Known(kIdentityOnly));
  EXPECT_NE(cache.Find("fresh", kIdentityOnly), nullptr);
  EXPECT_NE(cache.Find("new", kIdentityOnly), nullptr);

  // Full of fresh answers: all are dropped to make room.
  cache.Remember("newest", Known(kIdentityOnly));
  EXPECT_EQ(cache.Find("fresh", kIdentityOnly), nullptr);
  EXPECT_EQ(cache.Find("new", kIdentityOnly), nullptr);
  EXPECT_NE(cache.Find("newest", kIdentityOnly), nullptr);
}

}  // namespace
}  // namespace ttads::preflight
