// Rotating the token-encryption key on a private redis-server: tokens
// stored under the old key keep working once a new key encrypts, the
// re-encrypt pass moves them all to the new key, and the old key can then
// be dropped (docs/operations.md).
#include "libs/connections/token_reencrypt.h"

#include <memory>
#include <string>

#include "absl/strings/escaping.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/connections/connection_store.h"
#include "libs/connections/tiktok_account_store.h"
#include "libs/testing/private_redis.h"
#include "libs/testing/status_matchers.h"

namespace ttads::connections {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;
using ::testing::SizeIs;
using ::ttads::testing::IsOk;
using ::ttads::testing::IsOkAndHolds;
using ::ttads::testing::StatusIs;

std::string B64(char fill) { return absl::Base64Escape(std::string(32, fill)); }

crypto::KeyRing Ring(const std::string& legacy, const std::string& keys,
                     const std::string& current) {
  auto ring = crypto::ParseKeyRing(legacy, keys, current);
  EXPECT_THAT(ring, IsOk());
  return *std::move(ring);
}

class TokenReencryptTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto redis = ttads::testing::PrivateRedis::Start();
    ASSERT_THAT(redis, IsOk());
    private_redis_ = *std::move(redis);
    redis_ = private_redis_->pool();
  }

  static Connection Conn(const std::string& team, const std::string& id) {
    Connection c;
    c.connection_id = id;
    c.team_id = team;
    c.member_id = "m1";
    c.advertisers = {{"7001", "Shop"}};
    c.create_time = absl::FromUnixMillis(1700000000000);
    return c;
  }
  static TikTokAccount Account(const std::string& team, const std::string& id) {
    TikTokAccount a;
    a.connection_id = id;
    a.team_id = team;
    a.member_id = "m1";
    a.open_id = "open-1";
    a.create_time = absl::FromUnixMillis(1767225600000);
    return a;
  }

  // The key id the raw stored value names.
  std::string StoredKeyId(const std::string& key, const std::string& field) {
    auto raw = redis_->Command({"HGET", key, field});
    EXPECT_THAT(raw, IsOk());
    auto id = crypto::KeyRing::KeyIdOf(raw->str);
    EXPECT_THAT(id, IsOk());
    return id.ok() ? *id : "";
  }

  // Every token the fixture stores decrypts with `ring`.
  void ExpectAllDecrypt(const crypto::KeyRing& ring) {
    RedisConnectionStore conns(redis_, ring);
    RedisTikTokAccountStore accounts(redis_, ring);
    EXPECT_THAT(conns.AccessToken("team1", "c1"), IsOkAndHolds("tok-c1"));
    EXPECT_THAT(conns.AccessToken("team2", "c2"), IsOkAndHolds("tok-c2"));
    auto tokens = accounts.Tokens("team1", "a1");
    ASSERT_THAT(tokens, IsOk());
    EXPECT_EQ(tokens->access_token, "acc-a1");
    EXPECT_EQ(tokens->refresh_token, "ref-a1");
  }

  std::unique_ptr<ttads::testing::PrivateRedis> private_redis_;
  store::RedisPool* redis_ = nullptr;  // private_redis_'s
};

TEST_F(TokenReencryptTest, LegacyKeyToNamedKeyWithoutReconnecting) {
  // Before key ids: one TTADS_TOKEN_ENCRYPTION_KEY.
  const crypto::KeyRing before = Ring(B64('L'), "", "");
  {
    RedisConnectionStore conns(redis_, before);
    RedisTikTokAccountStore accounts(redis_, before);
    ASSERT_THAT(conns.Create(Conn("team1", "c1"), "tok-c1"), IsOk());
    ASSERT_THAT(
        accounts.Create(Account("team1", "a1"),
                        {.access_token = "acc-a1", .refresh_token = "ref-a1"}),
        IsOk());
    // A revoked connection has no token: nothing to move.
    ASSERT_THAT(conns.Create(Conn("team1", "gone"), "tok-gone"), IsOk());
    ASSERT_THAT(conns.MarkRevoked("team1", "gone", absl::Now()), IsOk());
  }
  // Not a connection record: skipped.
  ASSERT_THAT(redis_->Command({"SET", "ttads:{team:team1}:conn:c1:lock", "x"}),
              IsOk());

  // Key "k2" becomes current; the legacy key stays to decrypt.
  const crypto::KeyRing during = Ring(B64('L'), "k2:" + B64('b'), "k2");
  {
    RedisConnectionStore conns(redis_, during);
    ASSERT_THAT(conns.Create(Conn("team2", "c2"), "tok-c2"), IsOk());
  }
  ExpectAllDecrypt(during);
  EXPECT_EQ(StoredKeyId(ConnectionKey("team2", "c2"), "token"), "k2");
  EXPECT_EQ(StoredKeyId(ConnectionKey("team1", "c1"), "token"),
            crypto::kLegacyKeyId);

  // A dry run counts and proves every token decrypts, writing nothing.
  auto dry = ReencryptTokens(*redis_, during, /*apply=*/false);
  ASSERT_THAT(dry, IsOk());
  EXPECT_FALSE(dry->applied);
  EXPECT_EQ(dry->records, 4);  // c1, gone, c2, a1
  EXPECT_EQ(dry->tokens, 4);
  EXPECT_THAT(dry->by_key, ElementsAre(Pair("k2", 1), Pair("legacy", 3)));
  EXPECT_EQ(dry->pending, 3);
  EXPECT_EQ(dry->already_current, 1);
  EXPECT_EQ(dry->reencrypted, 0);
  EXPECT_THAT(dry->failures, IsEmpty());
  EXPECT_EQ(StoredKeyId(ConnectionKey("team1", "c1"), "token"),
            crypto::kLegacyKeyId);

  auto applied = ReencryptTokens(*redis_, during, /*apply=*/true);
  ASSERT_THAT(applied, IsOk());
  EXPECT_EQ(applied->reencrypted, 3);
  EXPECT_EQ(applied->already_current, 1);
  EXPECT_EQ(applied->pending, 0);
  EXPECT_THAT(applied->failures, IsEmpty());
  EXPECT_EQ(StoredKeyId(ConnectionKey("team1", "c1"), "token"), "k2");
  EXPECT_EQ(StoredKeyId(TikTokAccountKey("team1", "a1"), "access"), "k2");
  EXPECT_EQ(StoredKeyId(TikTokAccountKey("team1", "a1"), "refresh"), "k2");

  // Idempotent.
  auto again = ReencryptTokens(*redis_, during, /*apply=*/true);
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(again->reencrypted, 0);
  EXPECT_EQ(again->already_current, 4);

  // The legacy key can go: everything still decrypts under k2 alone.
  ExpectAllDecrypt(Ring("", "k2:" + B64('b'), ""));
}

TEST_F(TokenReencryptTest, NamedKeyAToBAndAnUnknownIdIsAClearError) {
  const crypto::KeyRing a = Ring("", "a:" + B64('a'), "a");
  {
    RedisConnectionStore conns(redis_, a);
    RedisTikTokAccountStore accounts(redis_, a);
    ASSERT_THAT(conns.Create(Conn("team1", "c1"), "tok-c1"), IsOk());
    ASSERT_THAT(conns.Create(Conn("team2", "c2"), "tok-c2"), IsOk());
    ASSERT_THAT(
        accounts.Create(Account("team1", "a1"),
                        {.access_token = "acc-a1", .refresh_token = "ref-a1"}),
        IsOk());
  }
  // Removing "a" before re-encrypting: a clear error, nothing changed.
  const crypto::KeyRing only_c = Ring("", "c:" + B64('c'), "c");
  RedisConnectionStore wrong(redis_, only_c);
  EXPECT_THAT(wrong.AccessToken("team1", "c1"),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("key id \"a\"")));
  auto refused = ReencryptTokens(*redis_, only_c, /*apply=*/true);
  ASSERT_THAT(refused, IsOk());
  EXPECT_EQ(refused->reencrypted, 0);
  EXPECT_THAT(refused->failures, SizeIs(4));
  EXPECT_THAT(refused->failures[0], HasSubstr("key id \"a\""));
  EXPECT_EQ(StoredKeyId(ConnectionKey("team1", "c1"), "token"), "a");

  const crypto::KeyRing ab = Ring("", "a:" + B64('a') + ",b:" + B64('b'), "b");
  ExpectAllDecrypt(ab);
  auto moved = ReencryptTokens(*redis_, ab, /*apply=*/true);
  ASSERT_THAT(moved, IsOk());
  EXPECT_EQ(moved->reencrypted, 4);
  ExpectAllDecrypt(Ring("", "b:" + B64('b'), ""));
}

// A token a service rewrites between the pass's read and write (a refresh)
// is left as the service wrote it.
TEST_F(TokenReencryptTest, ConcurrentRewriteIsNotOverwritten) {
  const crypto::KeyRing a = Ring("", "a:" + B64('a'), "a");
  RedisConnectionStore old_store(redis_, a);
  ASSERT_THAT(old_store.Create(Conn("team1", "c1"), "tok-old"), IsOk());
  const crypto::KeyRing ab = Ring("", "a:" + B64('a') + ",b:" + B64('b'), "b");
  auto service_value =
      ab.Encrypt("tok-refreshed", ConnectionTokenAd("team1", "c1"));
  ASSERT_THAT(service_value, IsOk());
  auto report = ReencryptTokens(
      *redis_, ab, /*apply=*/true,
      [&](const std::string& key, const std::string& field) {
        ASSERT_THAT(redis_->Command({"HSET", key, field, *service_value}),
                    IsOk());
      });
  ASSERT_THAT(report, IsOk());
  EXPECT_EQ(report->changed_meanwhile, 1);
  EXPECT_EQ(report->reencrypted, 0);
  EXPECT_THAT(RedisConnectionStore(redis_, ab).AccessToken("team1", "c1"),
              IsOkAndHolds("tok-refreshed"));
}

}  // namespace
}  // namespace ttads::connections
