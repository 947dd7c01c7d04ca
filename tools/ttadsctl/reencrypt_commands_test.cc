// `reencrypt`'s logic on a private redis-server holding tokens written by
// the connection store.
#include "tools/ttadsctl/reencrypt_commands.h"

#include <memory>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/connections/connection_store.h"
#include "libs/testing/private_redis.h"
#include "libs/testing/status_matchers.h"
#include "nlohmann/json.hpp"

namespace ttads::ttadsctl {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::ttads::testing::IsOk;
using ::ttads::testing::IsOkAndHolds;
using ::ttads::testing::StatusIs;

const std::string kKeyA = "a:" + absl::Base64Escape(std::string(32, 'a'));
const std::string kKeyB = "b:" + absl::Base64Escape(std::string(32, 'b'));
const std::string kKeyC = "c:" + absl::Base64Escape(std::string(32, 'c'));

crypto::KeyRing Ring(const std::string& keys, const std::string& current) {
  return *crypto::ParseKeyRing("", keys, current);
}

class ReencryptCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto redis = ::ttads::testing::PrivateRedis::Start();
    ASSERT_THAT(redis, IsOk());
    redis_ = *std::move(redis);
  }

  // A connection of team1 whose token is encrypted under `ring`'s current
  // key.
  void AddConnection(const std::string& id, const crypto::KeyRing& ring) {
    connections::Connection c;
    c.team_id = "team1";
    c.connection_id = id;
    c.member_id = "m1";
    c.create_time = absl::FromUnixMillis(1767225600000);
    ASSERT_THAT(
        connections::RedisConnectionStore(redis_->pool(), ring).Create(c, "t"),
        IsOk());
  }

  std::unique_ptr<::ttads::testing::PrivateRedis> redis_;
};

TEST_F(ReencryptCommandsTest, NoTokensIsANoteFreeSuccess) {
  auto report = Reencrypt(*redis_->pool(), Ring(kKeyA, "a"), /*apply=*/false);
  ASSERT_THAT(report, IsOk());
  EXPECT_EQ(report->text,
            "applied: false\ncurrent_key: a\nrecords: 0\ntokens: 0\n"
            "already_current: 0\nreencrypted: 0\npending: 0\n"
            "changed_meanwhile: 0\nfailures: 0\n");
  EXPECT_EQ(report->json, json({{"applied", false},
                                {"current_key", "a"},
                                {"records", 0},
                                {"tokens", 0},
                                {"by_key", json::object()},
                                {"already_current", 0},
                                {"reencrypted", 0},
                                {"pending", 0},
                                {"changed_meanwhile", 0},
                                {"failures", json::array()}}));
  EXPECT_EQ(report->note, "");
  EXPECT_EQ(report->failure, "");
}

TEST_F(ReencryptCommandsTest, ADryRunCountsAndSaysHowToApply) {
  AddConnection("c1", Ring(kKeyA, "a"));
  AddConnection("c2", Ring(kKeyA, "a"));
  AddConnection("c3", Ring(kKeyB, "b"));
  const crypto::KeyRing ring = Ring(kKeyA + "," + kKeyB, "b");
  auto dry = Reencrypt(*redis_->pool(), ring, /*apply=*/false);
  ASSERT_THAT(dry, IsOk());
  EXPECT_EQ(dry->text,
            "applied: false\ncurrent_key: b\nrecords: 3\ntokens: 3\n"
            "  key a: 2\n  key b: 1\n"
            "already_current: 1\nreencrypted: 0\npending: 2\n"
            "changed_meanwhile: 0\nfailures: 0\n");
  EXPECT_EQ(dry->json["by_key"], json({{"a", 2}, {"b", 1}}));
  EXPECT_EQ(dry->json["pending"], 2);
  EXPECT_EQ(dry->note,
            "dry run: nothing written; run again with --apply to move 2 "
            "token(s) to key \"b\"\n");
  EXPECT_EQ(dry->failure, "");

  auto applied = Reencrypt(*redis_->pool(), ring, /*apply=*/true);
  ASSERT_THAT(applied, IsOk());
  EXPECT_THAT(applied->text, HasSubstr("applied: true\n"));
  EXPECT_THAT(applied->text, HasSubstr("reencrypted: 2\npending: 0\n"));
  EXPECT_EQ(applied->json["reencrypted"], 2);
  EXPECT_EQ(applied->note, "");
  EXPECT_EQ(applied->failure, "");
  // Only "b" is needed now.
  EXPECT_THAT(connections::RedisConnectionStore(redis_->pool(), Ring(kKeyB, ""))
                  .AccessToken("team1", "c1"),
              IsOkAndHolds("t"));
}

TEST_F(ReencryptCommandsTest, TokensThatDoNotDecryptAreListedAndAFailure) {
  AddConnection("c1", Ring(kKeyA, "a"));
  auto report = Reencrypt(*redis_->pool(), Ring(kKeyC, "c"), /*apply=*/true);
  ASSERT_THAT(report, IsOk());
  EXPECT_THAT(report->text,
              HasSubstr("failures: 1\n  ttads:{team:team1}:conn:c1"
                        " token: "));
  EXPECT_THAT(report->text, HasSubstr("key id \"a\""));
  ASSERT_EQ(report->json["failures"].size(), 1);
  EXPECT_EQ(report->failure,
            "1 token(s) do not decrypt with the configured keys (listed "
            "above); they were left as they are");
  EXPECT_THAT(connections::RedisConnectionStore(redis_->pool(), Ring(kKeyA, ""))
                  .AccessToken("team1", "c1"),
              IsOkAndHolds("t"));
}

TEST_F(ReencryptCommandsTest, RedisDownIsUnavailable) {
  ASSERT_THAT(redis_->server().Stop(), IsOk());
  EXPECT_THAT(Reencrypt(*redis_->pool(), Ring(kKeyA, "a"), false),
              StatusIs(absl::StatusCode::kUnavailable));
}

}  // namespace
}  // namespace ttads::ttadsctl
