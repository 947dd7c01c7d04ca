// What RedisTeamStore leaves in Redis: keys hashed, layout as documented.
#include "libs/auth/redis_team_store.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/auth/api_key.h"
#include "libs/store/key_schema.h"
#include "libs/store/reply.h"
#include "libs/testing/private_redis.h"
#include "libs/testing/status_matchers.h"

namespace ttads::auth {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;
using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

class RedisTeamStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto redis = ttads::testing::PrivateRedis::Start();
    ASSERT_THAT(redis, IsOk());
    redis_ = std::move(*redis);
    pool_ = redis_->pool();
    store_ = std::make_unique<RedisTeamStore>(*pool_);
  }

  // Every key and every value (strings, hash fields/values, set members)
  // in the database, as one text.
  std::string DumpEverything() {
    std::string dump;
    auto keys = store::ScanKeys(*pool_, "*");
    EXPECT_THAT(keys, IsOk());
    for (const std::string& key : *keys) {
      dump += key + "\n";
      std::string type = pool_->Command({"TYPE", key})->str;
      std::vector<std::string> read;
      if (type == "string") read = {"GET", key};
      if (type == "hash") read = {"HGETALL", key};
      if (type == "zset") read = {"ZRANGE", key, "0", "-1"};
      if (type == "set") read = {"SMEMBERS", key};
      EXPECT_FALSE(read.empty()) << type;
      if (read.empty()) continue;
      auto reply = pool_->Command(read);
      EXPECT_THAT(reply, IsOk());
      dump += reply->str + "\n";
      for (const auto& e : reply->elements) dump += e.str + "\n";
    }
    return dump;
  }

  std::unique_ptr<ttads::testing::PrivateRedis> redis_;
  store::RedisPool* pool_ = nullptr;  // redis_'s
  std::unique_ptr<RedisTeamStore> store_;
};

TEST_F(RedisTeamStoreTest, PlaintextKeyStoredNowhereOnlyItsDigest) {
  auto team = store_->CreateTeam("A", kTierStandard, true);
  auto owner = store_->AddMember(team->id, "O", Role::kOwner);
  auto key = store_->IssueApiKey(team->id, owner->id);
  ASSERT_THAT(key, IsOk());
  const std::string secret_part = key->plaintext.substr(6);

  const std::string dump = DumpEverything();
  EXPECT_THAT(dump, Not(HasSubstr(secret_part)));
  EXPECT_THAT(dump, HasSubstr(ApiKeyDigest(key->plaintext)));

  // Also after revocation, and the AOF on disk holds no plaintext either.
  ASSERT_THAT(store_->RevokeApiKey(key->key_id), IsOk());
  EXPECT_THAT(DumpEverything(), Not(HasSubstr(secret_part)));
  ASSERT_THAT(pool_->Command({"SAVE"}), IsOk());
  int files = 0;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(redis_->server().dir())) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream content;
    content << in.rdbuf();
    EXPECT_THAT(content.str(), Not(HasSubstr(secret_part))) << entry.path();
    ++files;
  }
  EXPECT_GT(files, 1);
}

TEST_F(RedisTeamStoreTest, KeyLayoutUsesTenantHashTag) {
  auto team = store_->CreateTeam("A", kTierStandard, true);
  auto owner = store_->AddMember(team->id, "O", Role::kOwner);
  auto key = store_->IssueApiKey(team->id, owner->id);
  ASSERT_THAT(key, IsOk());
  auto keys = store::ScanKeys(*pool_, "*");
  ASSERT_THAT(keys, IsOk());
  const std::string tag = "ttads:{team:" + team->id + "}:";
  EXPECT_THAT(*keys, Contains(tag + "team"));
  EXPECT_THAT(*keys, Contains(tag + "members"));
  EXPECT_THAT(*keys, Contains(tag + "member:" + owner->id));
  EXPECT_THAT(*keys, Contains(tag + "apikeys"));
  EXPECT_THAT(*keys, Contains(tag + "apikey:" + key->key_id));
  EXPECT_THAT(*keys, Contains("ttads:teams"));
  EXPECT_THAT(*keys, Contains("ttads:apikey:" + ApiKeyDigest(key->plaintext)));
  EXPECT_THAT(*keys, Contains("ttads:apikeyid:" + key->key_id));
  EXPECT_EQ(keys->size(), 8u);

  ASSERT_THAT(store_->RevokeApiKey(key->key_id), IsOk());
  auto record = store::HashGetAll(*pool_, tag + "apikey:" + key->key_id);
  ASSERT_THAT(record, IsOk());
  EXPECT_EQ(record->at("revoked"), "true");
  EXPECT_EQ(
      pool_->Command({"EXISTS", "ttads:apikey:" + ApiKeyDigest(key->plaintext)})
          ->integer,
      0);
}

TEST_F(RedisTeamStoreTest, RedisDownIsUnavailableNotUnauthenticated) {
  auto team = store_->CreateTeam("A", kTierStandard, true);
  auto owner = store_->AddMember(team->id, "O", Role::kOwner);
  auto key = store_->IssueApiKey(team->id, owner->id);
  ASSERT_THAT(key, IsOk());
  ASSERT_THAT(redis_->server().Stop(), IsOk());
  EXPECT_THAT(store_->Authenticate(key->plaintext),
              StatusIs(absl::StatusCode::kUnavailable));
  ASSERT_THAT(redis_->server().Restart(), IsOk());
  // Data survives the restart (AOF); at most one UNAVAILABLE on the way.
  auto principal = store_->Authenticate(key->plaintext);
  if (!principal.ok()) principal = store_->Authenticate(key->plaintext);
  ASSERT_THAT(principal, IsOk());
  EXPECT_EQ(principal->team_id, team->id);
}

TEST(ApiKeyTest, FormatAndBearer) {
  std::string key = NewApiKey();
  EXPECT_TRUE(LooksLikeApiKey(key));
  EXPECT_NE(key, NewApiKey());
  EXPECT_FALSE(LooksLikeApiKey("ttads_short"));
  EXPECT_FALSE(LooksLikeApiKey("other_" + key.substr(6)));
  EXPECT_FALSE(LooksLikeApiKey(key + "!"));
  EXPECT_EQ(ApiKeyDigest(key).size(), 64u);
  EXPECT_EQ(BearerToken("Bearer " + key).value_or(""), key);
  EXPECT_EQ(BearerToken("bearer  " + key + " ").value_or(""), key);
  EXPECT_FALSE(BearerToken("Basic abc").has_value());
  EXPECT_FALSE(BearerToken("Bearer ").has_value());
  EXPECT_TRUE(store::IsValidKeyId(NewTeamId()));
  EXPECT_TRUE(store::IsValidKeyId(NewMemberId()));
  EXPECT_TRUE(store::IsValidKeyId(NewKeyId()));
}

}  // namespace
}  // namespace ttads::auth
