// The team commands on an in-memory team store with a fixed clock; the
// connections of `team show` on a private redis-server.
#include "tools/ttadsctl/team_commands.h"

#include <memory>
#include <string>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/auth/in_memory_team_store.h"
#include "libs/store/key_schema.h"
#include "libs/testing/private_redis.h"
#include "libs/testing/status_matchers.h"
#include "nlohmann/json.hpp"
#include "tools/ttadsctl/store_team_admin.h"

namespace ttads::ttadsctl {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;
using ::ttads::testing::IsOk;
using ::ttads::testing::IsOkAndHolds;
using ::ttads::testing::StatusIs;

// 2026-01-01T00:00:00Z.
constexpr int64_t kNow = 1767225600;

class TeamCommandsTest : public ::testing::Test {
 protected:
  auth::InMemoryTeamStore store_{[] { return absl::FromUnixSeconds(kNow); }};
  StoreTeamAdmin admin_{&store_};
};

TEST_F(TeamCommandsTest, CreatePrintsTheIdAndAnswersTheTeam) {
  auto created = TeamCreate(admin_, "Acme", "enterprise", true);
  ASSERT_THAT(created, IsOk());
  auto teams = store_.ListTeams();
  ASSERT_THAT(teams, IsOk());
  ASSERT_EQ(teams->size(), 1);
  const std::string id = (*teams)[0].id;
  EXPECT_EQ(created->text, id + "\n");
  EXPECT_EQ(created->json, json({{"team",
                                  {{"id", id},
                                   {"name", "Acme"},
                                   {"tier", "enterprise"},
                                   {"subscription_active", true},
                                   {"create_time", "2026-01-01T00:00:00Z"}}}}));
  EXPECT_EQ(created->note, "");
  EXPECT_EQ(created->failure, "");
}

TEST_F(TeamCommandsTest, CreateFailsAsTheStoreDoes) {
  EXPECT_THAT(TeamCreate(admin_, "", "free", false),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(store_.ListTeams(), IsOkAndHolds(::testing::IsEmpty()));
}

TEST_F(TeamCommandsTest, ListHasOneLinePerTeamOldestFirst) {
  auto a = store_.CreateTeam("Acme", "free", true);
  auto b = store_.CreateTeam("Beta Co", "standard", false);
  ASSERT_THAT(a, IsOk());
  ASSERT_THAT(b, IsOk());
  auto list = TeamList(admin_);
  ASSERT_THAT(list, IsOk());
  EXPECT_EQ(list->text, a->id + "\tfree\tsubscribed\tAcme\n" + b->id +
                            "\tstandard\tunsubscribed\tBeta Co\n");
  ASSERT_EQ(list->json["teams"].size(), 2);
  EXPECT_EQ(list->json["teams"][1]["id"], b->id);
  EXPECT_EQ(list->json["teams"][1]["subscription_active"], false);
}

TEST_F(TeamCommandsTest, ListOfNoTeamsIsEmpty) {
  auto list = TeamList(admin_);
  ASSERT_THAT(list, IsOk());
  EXPECT_EQ(list->text, "");
  EXPECT_EQ(list->json, json({{"teams", json::array()}}));
}

TEST_F(TeamCommandsTest, ShowWithoutRedisListsTheMembersButNoConnections) {
  auto team = store_.CreateTeam("Acme", "free", false);
  ASSERT_THAT(team, IsOk());
  auto owner = store_.AddMember(team->id, "Owen", auth::Role::kOwner);
  ASSERT_THAT(owner, IsOk());
  auto show = TeamShow(admin_, /*redis=*/nullptr, team->id);
  ASSERT_THAT(show, IsOk());
  EXPECT_EQ(show->text, "team: " + team->id +
                            "\nname: Acme\ntier: free\n"
                            "subscription_active: false\n"
                            "create_time: 2026-01-01T00:00:00Z\n"
                            "members: 1\n  " +
                            owner->id + "  owner  Owen\n");
  EXPECT_EQ(
      show->json["members"],
      json::array({{{"id", owner->id}, {"name", "Owen"}, {"role", "owner"}}}));
  EXPECT_EQ(show->json["team"]["id"], team->id);
  EXPECT_FALSE(show->json.contains("connections"));
}

TEST_F(TeamCommandsTest, ShowOfAnUnknownTeamIsNotFound) {
  EXPECT_THAT(TeamShow(admin_, nullptr, "tm_nope"),
              StatusIs(absl::StatusCode::kNotFound));
}

// `team show` reading the identity service's connection hashes.
class TeamShowConnectionsTest : public TeamCommandsTest {
 protected:
  void SetUp() override {
    auto redis = ::ttads::testing::PrivateRedis::Start();
    ASSERT_THAT(redis, IsOk());
    redis_ = *std::move(redis);
    auto team = store_.CreateTeam("Acme", "free", false);
    ASSERT_THAT(team, IsOk());
    team_id_ = team->id;
  }

  void Write(const std::vector<std::string>& command) {
    ASSERT_THAT(redis_->pool()->Command(command), IsOk());
  }
  std::string Conn(const std::string& rest) {
    return store::TeamKey(team_id_, "conn:" + rest);
  }

  std::unique_ptr<::ttads::testing::PrivateRedis> redis_;
  std::string team_id_;
};

TEST_F(TeamShowConnectionsTest, NoConnections) {
  auto show = TeamShow(admin_, redis_->pool(), team_id_);
  ASSERT_THAT(show, IsOk());
  EXPECT_THAT(show->text, HasSubstr("members: 0\nconnections: 0\n"));
  EXPECT_EQ(show->json["connections"], json::array());
}

TEST_F(TeamShowConnectionsTest, WhitelistedFieldsOfEachConnectionHashById) {
  Write({"HSET", Conn("c2"), "member_id", "mb_x", "state", "active",
         "advertiser_ids", "[\"7001\",\"7002\"]", "create_time",
         "1767225600000", "token", "ciphertext-x"});
  Write({"HSET", Conn("c1"), "state", "revoked", "advertiser_ids", "not json",
         "create_time", "yesterday", "access_token", "secret-x"});
  // Neither a sub-key nor a key that is no hash is a connection; nor is
  // another team's.
  Write({"HSET", Conn("c1:lock"), "member_id", "mb_lock"});
  Write({"SET", Conn("c3"), "a string"});
  Write({"HSET", store::TeamKey("tm_other", "conn:c9"), "member_id", "mb_o"});

  auto show = TeamShow(admin_, redis_->pool(), team_id_);
  ASSERT_THAT(show, IsOk());
  EXPECT_THAT(show->text,
              HasSubstr("connections: 2\n"
                        "  c1  member_id=-  state=revoked  "
                        "advertiser_ids=not json  create_time=yesterday\n"
                        "  c2  member_id=mb_x  state=active  "
                        "advertiser_ids=[\"7001\",\"7002\"]  "
                        "create_time=1767225600000\n"));
  EXPECT_EQ(show->json["connections"],
            json::array({{{"id", "c1"},
                          {"member_id", ""},
                          {"state", "revoked"},
                          {"advertiser_ids", json::array()},
                          {"create_time", "yesterday"}},
                         {{"id", "c2"},
                          {"member_id", "mb_x"},
                          {"state", "active"},
                          {"advertiser_ids", {"7001", "7002"}},
                          {"create_time", "2026-01-01T00:00:00Z"}}}));
  for (const std::string& out : {show->text, show->json.dump()}) {
    EXPECT_THAT(out, Not(HasSubstr("ciphertext-x")));
    EXPECT_THAT(out, Not(HasSubstr("secret-x")));
    EXPECT_THAT(out, Not(HasSubstr("token")));
    EXPECT_THAT(out, Not(HasSubstr("mb_lock")));
    EXPECT_THAT(out, Not(HasSubstr("mb_o")));
  }
}

TEST_F(TeamShowConnectionsTest, RedisDownIsUnavailable) {
  ASSERT_THAT(redis_->server().Stop(), IsOk());
  EXPECT_THAT(TeamShow(admin_, redis_->pool(), team_id_),
              StatusIs(absl::StatusCode::kUnavailable));
}

}  // namespace
}  // namespace ttads::ttadsctl
