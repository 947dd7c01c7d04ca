// `key issue|revoke|rotate|list` parsed and run on an in-memory team store.
#include "tools/ttadsctl/key_cli.h"

#include <string>

#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/testing/status_matchers.h"
#include "tools/ttadsctl/cli_testing.h"
#include "tools/ttadsctl/store_team_admin.h"
#include "tools/ttadsctl/team_store_fixture.h"

namespace ttads::ttadsctl {
namespace {

using testing::Captured;
using ::testing::HasSubstr;
using testing::Parse;
using ::ttads::testing::IsOk;

class KeyCliTest : public testing::AcmeTeamTest {
 protected:
  KeyCliTest() : AcmeTeamTest(/*with_owner=*/true) {}

  int Run(const std::vector<std::string>& args) {
    Parse(app_, args);
    return key_.Run(admin_, captured_.console());
  }

  // The team's only key.
  auth::ApiKeyInfo OnlyKey() {
    auto keys = store_.ListApiKeys(team_id_);
    EXPECT_THAT(keys, IsOk());
    EXPECT_EQ(keys.ok() ? keys->size() : 0, 1);
    return keys.ok() && !keys->empty() ? keys->front() : auth::ApiKeyInfo{};
  }

  CLI::App app_;
  KeyCli key_{app_};
  Captured captured_;
};

TEST_F(KeyCliTest, IssuePrintsTheKeyAndItsIdOnStderr) {
  EXPECT_EQ(Run({"key", "issue", "--team", team_id_, "--member", member_id_}),
            kExitOk);
  EXPECT_TRUE(key_.parsed());
  const auth::ApiKeyInfo key = OnlyKey();
  EXPECT_EQ(key.member_id, member_id_);
  auto principal = store_.Authenticate(
      captured_.out.str().substr(0, captured_.out.str().size() - 1));
  ASSERT_THAT(principal, IsOk());
  EXPECT_EQ(principal->key_id, key.key_id);
  EXPECT_THAT(captured_.err.str(), HasSubstr("key id: " + key.key_id));
}

TEST_F(KeyCliTest, ListAndRevoke) {
  auto issued = store_.IssueApiKey(team_id_, member_id_);
  ASSERT_THAT(issued, IsOk());
  EXPECT_EQ(Run({"key", "revoke", "--key-id", issued->key_id}), kExitOk);
  EXPECT_TRUE(OnlyKey().revoked);
  EXPECT_EQ(captured_.err.str(), "revoked " + issued->key_id + "\n");

  CLI::App app;
  KeyCli key(app);
  Captured list;
  Parse(app, {"key", "list", "--team", team_id_});
  EXPECT_EQ(key.Run(admin_, list.console()), kExitOk);
  EXPECT_THAT(list.out.str(), HasSubstr(issued->key_id));
  EXPECT_THAT(list.out.str(), HasSubstr("\trevoked"));
}

TEST_F(KeyCliTest, RotateKeepsTheOldKeyForTheOverlap) {
  auto issued = store_.IssueApiKey(team_id_, member_id_);
  ASSERT_THAT(issued, IsOk());
  const absl::Time before = absl::Now();
  EXPECT_EQ(
      Run({"key", "rotate", "--key-id", issued->key_id, "--overlap", "90m"}),
      kExitOk);
  auto keys = store_.ListApiKeys(team_id_);
  ASSERT_THAT(keys, IsOk());
  ASSERT_EQ(keys->size(), 2);
  const auth::ApiKeyInfo& old = keys->front();
  ASSERT_TRUE(old.expire_time.has_value());
  EXPECT_GE(*old.expire_time, before + absl::Minutes(90));
  EXPECT_LT(*old.expire_time, before + absl::Hours(24));
  EXPECT_EQ(old.successor_key_id, keys->back().key_id);
}

TEST_F(KeyCliTest, RotateDefaultsToADayOfOverlap) {
  auto issued = store_.IssueApiKey(team_id_, member_id_);
  ASSERT_THAT(issued, IsOk());
  const absl::Time before = absl::Now();
  EXPECT_EQ(Run({"key", "rotate", "--key-id", issued->key_id}), kExitOk);
  auto keys = store_.ListApiKeys(team_id_);
  ASSERT_THAT(keys, IsOk());
  ASSERT_TRUE(keys->front().expire_time.has_value());
  EXPECT_GE(*keys->front().expire_time, before + absl::Hours(24));
}

TEST_F(KeyCliTest,
       RotateWithAnOverlapThatIsNoDurationIsUsageAndChangesNothing) {
  auto issued = store_.IssueApiKey(team_id_, member_id_);
  ASSERT_THAT(issued, IsOk());
  EXPECT_EQ(Run({"key", "rotate", "--key-id", issued->key_id, "--overlap",
                 "a while"}),
            kExitUsage);
  EXPECT_EQ(captured_.err.str(),
            "ttadsctl: --overlap: not a duration: \"a while\" (e.g. 90m, "
            "24h, 0s)\n");
  EXPECT_FALSE(OnlyKey().expire_time.has_value());
}

TEST_F(KeyCliTest, RequiredFlags) {
  EXPECT_THROW(Parse(app_, {"key", "issue", "--team", team_id_}),
               CLI::RequiredError);
}

}  // namespace
}  // namespace ttads::ttadsctl
