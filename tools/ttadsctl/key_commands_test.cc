// The API-key commands' logic on an in-memory team store whose clock the
// test sets.
#include "tools/ttadsctl/key_commands.h"

#include <string>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/testing/status_matchers.h"
#include "nlohmann/json.hpp"
#include "tools/ttadsctl/store_team_admin.h"
#include "tools/ttadsctl/team_store_fixture.h"

namespace ttads::ttadsctl {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;
using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

// 2026-01-01T00:00:00Z.
const absl::Time kPast = absl::FromUnixSeconds(1767225600);

class KeyCommandsTest : public testing::AcmeTeamTest {
 protected:
  KeyCommandsTest() : AcmeTeamTest(/*with_owner=*/true) { now_ = kPast; }
};

TEST_F(KeyCommandsTest, IssuePrintsTheKeyOnceAndNamesItsIdOnStderr) {
  auto issued = KeyIssue(admin_, team_id_, member_id_);
  ASSERT_THAT(issued, IsOk());
  const std::string key = issued->json["key"];
  auto principal = store_.Authenticate(key);
  ASSERT_THAT(principal, IsOk());
  EXPECT_EQ(principal->member_id, member_id_);
  EXPECT_EQ(issued->text, key + "\n");
  EXPECT_EQ(issued->json, json({{"key_id", principal->key_id},
                                {"team_id", team_id_},
                                {"member_id", member_id_},
                                {"key", key}}));
  EXPECT_EQ(issued->note,
            "key id: " + principal->key_id + " (the key is shown only once)\n");
}

TEST_F(KeyCommandsTest, IssueForAnUnknownMemberIsNotFound) {
  EXPECT_THAT(KeyIssue(admin_, team_id_, "mb_nope"),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(KeyCommandsTest, RevokePrintsNothingOnStdout) {
  auto issued = store_.IssueApiKey(team_id_, member_id_);
  ASSERT_THAT(issued, IsOk());
  auto revoked = KeyRevoke(admin_, /*team_id=*/"", issued->key_id);
  ASSERT_THAT(revoked, IsOk());
  EXPECT_EQ(revoked->text, "");
  EXPECT_EQ(revoked->json,
            json({{"key_id", issued->key_id}, {"revoked", true}}));
  EXPECT_EQ(revoked->note, "revoked " + issued->key_id + "\n");
  EXPECT_THAT(store_.Authenticate(issued->plaintext),
              StatusIs(absl::StatusCode::kUnauthenticated));
}

TEST_F(KeyCommandsTest, RevokeOfAnotherTeamsKeyIsNotFoundAndKeepsIt) {
  auto issued = store_.IssueApiKey(team_id_, member_id_);
  ASSERT_THAT(issued, IsOk());
  auto other = store_.CreateTeam("Other", "free", false);
  ASSERT_THAT(other, IsOk());
  EXPECT_THAT(KeyRevoke(admin_, other->id, issued->key_id),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(store_.Authenticate(issued->plaintext), IsOk());
}

TEST_F(KeyCommandsTest, RotateAnswersTheNewKeyAndWhenTheOldOneEnds) {
  auto issued = store_.IssueApiKey(team_id_, member_id_);
  ASSERT_THAT(issued, IsOk());
  auto rotated = KeyRotate(admin_, team_id_, issued->key_id, absl::Hours(2));
  ASSERT_THAT(rotated, IsOk());
  const std::string key = rotated->json["key"];
  auto principal = store_.Authenticate(key);
  ASSERT_THAT(principal, IsOk());
  EXPECT_EQ(rotated->text, key + "\n");
  EXPECT_EQ(rotated->json,
            json({{"key_id", principal->key_id},
                  {"team_id", team_id_},
                  {"member_id", member_id_},
                  {"key", key},
                  {"previous_key_id", issued->key_id},
                  {"previous_expire_time", "2026-01-01T02:00:00Z"}}));
  EXPECT_EQ(rotated->note,
            "key id: " + principal->key_id + " (the key is shown only once); " +
                issued->key_id + " works until 2026-01-01T02:00:00Z\n");
}

TEST_F(KeyCommandsTest, ASecondRotationIsAFailedPrecondition) {
  auto issued = store_.IssueApiKey(team_id_, member_id_);
  ASSERT_THAT(issued, IsOk());
  ASSERT_THAT(KeyRotate(admin_, "", issued->key_id, absl::Hours(1)), IsOk());
  EXPECT_THAT(KeyRotate(admin_, "", issued->key_id, absl::Hours(1)),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST_F(KeyCommandsTest, ListNamesEachKeysStateButNeverAKey) {
  auto active = store_.IssueApiKey(team_id_, member_id_);
  auto revoked = store_.IssueApiKey(team_id_, member_id_);
  auto expired = store_.IssueApiKey(team_id_, member_id_);
  auto expiring = store_.IssueApiKey(team_id_, member_id_);
  ASSERT_THAT(active, IsOk());
  ASSERT_THAT(revoked, IsOk());
  ASSERT_THAT(expired, IsOk());
  ASSERT_THAT(expiring, IsOk());
  ASSERT_THAT(store_.RevokeApiKey(revoked->key_id), IsOk());
  // Rotated on 2026-01-01 with an hour of overlap: expired by now.
  auto expired_next = store_.RotateApiKey(expired->key_id, absl::Hours(1));
  ASSERT_THAT(expired_next, IsOk());
  // Rotated with the clock a day ahead: still in its overlap.
  now_ = absl::Now() + absl::Hours(24);
  auto expiring_next = store_.RotateApiKey(expiring->key_id, absl::Hours(1));
  ASSERT_THAT(expiring_next, IsOk());

  auto list = KeyList(admin_, team_id_);
  ASSERT_THAT(list, IsOk());
  const std::string until =
      TimeText(*store_.ListApiKeys(team_id_)->at(3).expire_time);
  const std::string t = "2026-01-01T00:00:00Z";
  EXPECT_EQ(list->text,
            active->key_id + "\t" + member_id_ + "\t" + t + "\tactive\n" +
                revoked->key_id + "\t" + member_id_ + "\t" + t + "\trevoked\n" +
                expired->key_id + "\t" + member_id_ + "\t" + t +
                "\texpired\tuntil 2026-01-01T01:00:00Z\n" + expiring->key_id +
                "\t" + member_id_ + "\t" + t + "\texpiring\tuntil " + until +
                "\n" + expired_next->successor.key_id + "\t" + member_id_ +
                "\t" + t + "\tactive\n" + expiring_next->successor.key_id +
                "\t" + member_id_ + "\t" + TimeText(*now_) + "\tactive\n");
  const json& keys = list->json["keys"];
  ASSERT_EQ(keys.size(), 6);
  EXPECT_EQ(keys[0], json({{"key_id", active->key_id},
                           {"member_id", member_id_},
                           {"create_time", t},
                           {"revoked", false},
                           {"state", "active"}}));
  EXPECT_EQ(keys[1]["state"], "revoked");
  EXPECT_EQ(keys[1]["revoked"], true);
  EXPECT_EQ(keys[2],
            json({{"key_id", expired->key_id},
                  {"member_id", member_id_},
                  {"create_time", t},
                  {"revoked", false},
                  {"state", "expired"},
                  {"expire_time", "2026-01-01T01:00:00Z"},
                  {"successor_key_id", expired_next->successor.key_id}}));
  EXPECT_EQ(keys[3]["state"], "expiring");
  EXPECT_EQ(keys[3]["expire_time"], until);
  for (const auto& key :
       {active->plaintext, revoked->plaintext, expired->plaintext,
        expiring->plaintext, expired_next->successor.plaintext,
        expiring_next->successor.plaintext}) {
    EXPECT_THAT(list->text + list->json.dump(), Not(HasSubstr(key)));
  }
}

TEST_F(KeyCommandsTest, ListOfAnUnknownTeamIsNotFound) {
  EXPECT_THAT(KeyList(admin_, "tm_nope"),
              StatusIs(absl::StatusCode::kNotFound));
}

}  // namespace
}  // namespace ttads::ttadsctl
