// CachedAssetSource against a fake wrapped source and a private
// redis-server.
#include "services/preflight/cached_asset_source.h"

#include <map>
#include <memory>
#include <string>
#include <utility>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/status/grpc_status.h"
#include "libs/status/status.h"
#include "libs/store/redis.h"
#include "libs/testing/redis_server.h"
#include "libs/testing/status_matchers.h"

namespace ttads::preflight {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::Gt;
using ::testing::Le;
using ::ttads::testing::IsOk;
using ::ttads::testing::IsOkAndHolds;
using ::ttads::testing::StatusIs;

constexpr char kTeam[] = "tm_a";
constexpr char kAdv[] = "1001";

// Answers `answer` (or, when `answers` has one for the type, that) and
// counts its calls per type.
class FakeAssets : public AssetSource {
 public:
  absl::StatusOr<AssetList> List(const AssetQuery& query,
                                 AssetType type) override {
    ++calls[type];
    last_query = query;
    auto it = answers.find(type);
    return it == answers.end() ? answer : it->second;
  }

  absl::StatusOr<AssetList> answer = AssetList{};
  std::map<AssetType, absl::StatusOr<AssetList>> answers;
  std::map<AssetType, int> calls;
  AssetQuery last_query;
};

AssetList Pixels() {
  AssetList list;
  list.usable.push_back({"px_1", "Main pixel", "C0DE1"});
  list.unusable.push_back({"px_2", "Old pixel", "C0DE2"});
  return list;
}

AssetQuery Query(std::string business_center_id = "") {
  return {.team_id = kTeam,
          .advertiser_id = kAdv,
          .access_token = "tok",
          .business_center_id = std::move(business_center_id)};
}

auto HoldsPixels() {
  return IsOkAndHolds(
      AllOf(Field(&AssetList::usable,
                  ElementsAre(FoundAsset{"px_1", "Main pixel", "C0DE1"})),
            Field(&AssetList::unusable,
                  ElementsAre(FoundAsset{"px_2", "Old pixel", "C0DE2"}))));
}

class CachedAssetSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = testing::RedisServer::Start();
    ASSERT_THAT(server, IsOk());
    redis_server_ = *std::move(server);
    store::RedisOptions options;
    options.port = redis_server_->port();
    auto pool = store::RedisPool::Connect(options);
    ASSERT_THAT(pool, IsOk());
    redis_ = *std::move(pool);
    cache_ = std::make_unique<CachedAssetSource>(
        &inner_, redis_.get(), CachedAssetSourceOptions{.ttl = kTtl});
  }

  // The reply to a command on the private Redis.
  store::RedisReply Redis(const std::vector<std::string>& args) {
    auto reply = redis_->Command(args);
    EXPECT_THAT(reply, IsOk());
    return reply.ok() ? *reply : store::RedisReply{};
  }

  static constexpr absl::Duration kTtl = absl::Seconds(60);
  FakeAssets inner_;
  std::unique_ptr<testing::RedisServer> redis_server_;
  std::unique_ptr<store::RedisPool> redis_;
  std::unique_ptr<CachedAssetSource> cache_;
};

TEST(CachedAssetSourceKeyTest, NamesTeamAdvertiserTypeAndCatalogBc) {
  EXPECT_EQ(CachedAssetSource::CacheKey("tm_a", "1001", AssetType::kPixel, ""),
            "ttads:{team:tm_a}:cache:assets:1001:pixel");
  EXPECT_EQ(CachedAssetSource::CacheKey("tm_a", "1001", AssetType::kApp, ""),
            "ttads:{team:tm_a}:cache:assets:1001:app");
  EXPECT_EQ(
      CachedAssetSource::CacheKey("tm_a", "1001", AssetType::kLeadForm, ""),
      "ttads:{team:tm_a}:cache:assets:1001:leadForm");
  EXPECT_EQ(
      CachedAssetSource::CacheKey("tm_a", "1001", AssetType::kCatalog, "555"),
      "ttads:{team:tm_a}:cache:assets:1001:catalog:555");
  // The Business Center only separates catalogs.
  EXPECT_EQ(
      CachedAssetSource::CacheKey("tm_a", "1001", AssetType::kPixel, "555"),
      "ttads:{team:tm_a}:cache:assets:1001:pixel");
}

TEST(AssetListJsonTest, RoundTripsAndRefusesOtherShapes) {
  EXPECT_THAT(ParseAssetList(SerializeAssetList(Pixels())), HoldsPixels());
  EXPECT_THAT(ParseAssetList(R"({"usable":[],"unusable":[]})"),
              IsOkAndHolds(Field(&AssetList::usable, ::testing::IsEmpty())));
  for (const char* bad : {"", "not json", "[]", R"({"usable":[["a","b"]]})",
                          R"({"usable":[[1,2,3]]})", R"({"usable":{}})"}) {
    EXPECT_THAT(ParseAssetList(bad), StatusIs(absl::StatusCode::kDataLoss))
        << bad;
  }
}

TEST_F(CachedAssetSourceTest, MissAsksInnerAndStoresWithTtlThenHitServes) {
  inner_.answer = Pixels();
  EXPECT_THAT(cache_->List(Query(), AssetType::kPixel), HoldsPixels());
  EXPECT_EQ(inner_.calls[AssetType::kPixel], 1);
  EXPECT_EQ(inner_.last_query.access_token, "tok");

  const std::string key =
      CachedAssetSource::CacheKey(kTeam, kAdv, AssetType::kPixel, "");
  store::RedisReply stored = Redis({"GET", key});
  ASSERT_EQ(stored.type, store::RedisReply::Type::kString);
  EXPECT_EQ(stored.str, SerializeAssetList(Pixels()));
  EXPECT_THAT(Redis({"PTTL", key}).integer,
              AllOf(Gt(0), Le(absl::ToInt64Milliseconds(kTtl))));

  inner_.answer = absl::UnavailableError("must not be asked");
  EXPECT_THAT(cache_->List(Query(), AssetType::kPixel), HoldsPixels());
  EXPECT_EQ(inner_.calls[AssetType::kPixel], 1);
}

TEST_F(CachedAssetSourceTest, SharesAListAcrossInstancesThroughRedis) {
  inner_.answer = Pixels();
  ASSERT_THAT(cache_->List(Query(), AssetType::kPixel), IsOk());
  FakeAssets other_inner;
  other_inner.answer = absl::UnavailableError("must not be asked");
  CachedAssetSource other_replica(&other_inner, redis_.get());
  EXPECT_THAT(other_replica.List(Query(), AssetType::kPixel), HoldsPixels());
  EXPECT_EQ(other_inner.calls[AssetType::kPixel], 0);
}

TEST_F(CachedAssetSourceTest, TypesAndBusinessCentersHaveTheirOwnEntries) {
  inner_.answer = Pixels();
  ASSERT_THAT(cache_->List(Query(), AssetType::kPixel), IsOk());
  inner_.answer = AssetList{};
  ASSERT_THAT(cache_->List(Query(), AssetType::kApp), IsOk());
  ASSERT_THAT(cache_->List(Query("555"), AssetType::kCatalog), IsOk());
  ASSERT_THAT(cache_->List(Query("556"), AssetType::kCatalog), IsOk());
  ASSERT_THAT(cache_->List(Query("555"), AssetType::kCatalog), IsOk());
  EXPECT_EQ(inner_.calls[AssetType::kApp], 1);
  EXPECT_EQ(inner_.calls[AssetType::kCatalog], 2);
  EXPECT_EQ(Redis({"EXISTS", CachedAssetSource::CacheKey(
                                 kTeam, kAdv, AssetType::kCatalog, "556")})
                .integer,
            1);
}

TEST_F(CachedAssetSourceTest, ErrorsAreNeverCached) {
  inner_.answer = status::WithErrorInfo(
      absl::UnavailableError("TikTok is down"), "TIKTOK_UNAVAILABLE");
  EXPECT_THAT(cache_->List(Query(), AssetType::kPixel),
              StatusIs(absl::StatusCode::kUnavailable,
                       ::testing::HasSubstr("TikTok is down")));
  EXPECT_EQ(status::ReasonOf(cache_->List(Query(), AssetType::kPixel).status()),
            "TIKTOK_UNAVAILABLE");
  EXPECT_EQ(inner_.calls[AssetType::kPixel], 2);
  EXPECT_EQ(Redis({"EXISTS", CachedAssetSource::CacheKey(
                                 kTeam, kAdv, AssetType::kPixel, "")})
                .integer,
            0);

  // Recovery shows on the next call.
  inner_.answer = Pixels();
  EXPECT_THAT(cache_->List(Query(), AssetType::kPixel), HoldsPixels());
  EXPECT_EQ(inner_.calls[AssetType::kPixel], 3);
}

TEST_F(CachedAssetSourceTest, CatalogWithoutBusinessCenterBypassesRedis) {
  // Even an entry under the BC-less key is neither read nor written.
  const std::string key =
      CachedAssetSource::CacheKey(kTeam, kAdv, AssetType::kCatalog, "");
  ASSERT_EQ(Redis({"SET", key, SerializeAssetList(Pixels())}).str, "OK");
  inner_.answer = status::WithErrorInfo(absl::FailedPreconditionError("no bc"),
                                        "NO_BUSINESS_CENTER");
  EXPECT_THAT(cache_->List(Query(), AssetType::kCatalog),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  inner_.answer = AssetList{};
  EXPECT_THAT(cache_->List(Query(), AssetType::kCatalog),
              IsOkAndHolds(Field(&AssetList::usable, ::testing::IsEmpty())));
  EXPECT_EQ(inner_.calls[AssetType::kCatalog], 2);
  EXPECT_EQ(Redis({"GET", key}).str, SerializeAssetList(Pixels()));
}

TEST_F(CachedAssetSourceTest, MalformedEntryIsAMissAndIsReplaced) {
  const std::string key =
      CachedAssetSource::CacheKey(kTeam, kAdv, AssetType::kPixel, "");
  ASSERT_EQ(Redis({"SET", key, "{not json"}).str, "OK");
  inner_.answer = Pixels();
  EXPECT_THAT(cache_->List(Query(), AssetType::kPixel), HoldsPixels());
  EXPECT_EQ(inner_.calls[AssetType::kPixel], 1);
  EXPECT_EQ(Redis({"GET", key}).str, SerializeAssetList(Pixels()));
}

TEST_F(CachedAssetSourceTest, EntryOfAnotherTypeIsAMiss) {
  const std::string key =
      CachedAssetSource::CacheKey(kTeam, kAdv, AssetType::kPixel, "");
  ASSERT_THAT(redis_->Command({"RPUSH", key, "x"}), IsOk());
  inner_.answer = Pixels();
  EXPECT_THAT(cache_->List(Query(), AssetType::kPixel), HoldsPixels());
  EXPECT_EQ(inner_.calls[AssetType::kPixel], 1);
}

TEST_F(CachedAssetSourceTest, RedisDownFallsBackToInner) {
  ASSERT_THAT(redis_server_->Stop(), IsOk());
  inner_.answer = Pixels();
  EXPECT_THAT(cache_->List(Query(), AssetType::kPixel), HoldsPixels());
  EXPECT_THAT(cache_->List(Query(), AssetType::kPixel), HoldsPixels());
  EXPECT_EQ(inner_.calls[AssetType::kPixel], 2);
}

}  // namespace
}  // namespace ttads::preflight
