// The admin API over REST: the gateway in-process (routes from the
// contracts' google.api.http annotations) in front of the real identity
// server, which hosts AdminService.
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/http/test_client.h"
#include "libs/testing/status_matchers.h"
#include "nlohmann/json.hpp"
#include "services/identity/identity_config.h"
#include "services/identity/identity_server.h"
#include "tests/support/inproc_gateway.h"
#include "tests/support/service_start.h"
#include "tests/support/suite_fixture.h"

namespace ttads::admin {
namespace {

using ::ttads::testing::IsOk;

using json = nlohmann::json;

class AdminRestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto fixture = testing::SuiteFixture::Start();
    ASSERT_THAT(fixture, IsOk());
    fixture_ = *std::move(fixture);
    auto server = testing::StartService<identity::IdentityServer>(
        identity::IdentitySchema(), fixture_->ServiceEnv());
    ASSERT_THAT(server, IsOk());
    identity_ = *std::move(server);

    auto gateway = testing::InProcessGateway::Start(
        fixture_->redis(), fixture_->teams(),
        {.address = testing::AllAt(testing::AddressOf(*identity_))});
    ASSERT_THAT(gateway, IsOk());
    gateway_ = *std::move(gateway);
    base_ = gateway_->base_url();

    auto team = fixture_->CreateTeam();
    ASSERT_THAT(team, IsOk());
    customer_ = *team;
    auto ops = fixture_->teams().CreateTeam("Operators", "enterprise", true);
    ASSERT_THAT(ops, IsOk());
    auto op = fixture_->teams().AddMember(ops->id, "Ops", auth::Role::kAdmin);
    ASSERT_THAT(op, IsOk());
    auto key = fixture_->teams().IssueApiKey(ops->id, op->id);
    ASSERT_THAT(key, IsOk());
    admin_key_ = key->plaintext;
  }

  void TearDown() override {
    gateway_.reset();
    if (identity_) identity_->kit().runner().Shutdown();
  }

  http::TestClient::Result Call(const std::string& method,
                                const std::string& path, const std::string& key,
                                const std::string& body = "") {
    std::vector<std::string> headers = {"Authorization: Bearer " + key};
    if (!body.empty()) headers.push_back("Content-Type: application/json");
    return client_.Request(method, base_ + path, headers, body);
  }

  std::unique_ptr<testing::SuiteFixture> fixture_;
  std::unique_ptr<identity::IdentityServer> identity_;
  std::unique_ptr<testing::InProcessGateway> gateway_;
  std::string base_;
  http::TestClient client_;
  testing::TestTeam customer_;
  std::string admin_key_;
};

TEST_F(AdminRestTest, OperatorManagesTeamsMembersAndKeysOverRest) {
  auto created = Call("POST", "/v1/admin/teams", admin_key_,
                      R"({"displayName":"Acme","tier":"FREE"})");
  ASSERT_EQ(created.status, 200) << created.body;
  EXPECT_EQ(json::parse(created.body)["tier"], "TIER_FREE");
  const std::string team_id =
      json::parse(created.body)["teamId"].get<std::string>();

  auto member =
      Call("POST", "/v1/admin/teams/" + team_id + "/members", admin_key_,
           R"({"displayName":"Ann","role":"ROLE_OWNER"})");
  ASSERT_EQ(member.status, 200) << member.body;
  const std::string member_id =
      json::parse(member.body)["memberId"].get<std::string>();

  auto key = Call("POST", "/v1/admin/teams/" + team_id + "/api-keys",
                  admin_key_, json{{"memberId", member_id}}.dump());
  ASSERT_EQ(key.status, 200) << key.body;
  const json issued = json::parse(key.body);
  const std::string key_id = issued["apiKey"]["keyId"].get<std::string>();
  EXPECT_EQ(issued["apiKey"]["state"], "API_KEY_STATE_ACTIVE");

  auto rotated = Call(
      "POST", "/v1/admin/teams/" + team_id + "/api-keys/" + key_id + ":rotate",
      admin_key_, R"({"overlap":"600s"})");
  ASSERT_EQ(rotated.status, 200) << rotated.body;
  const json r = json::parse(rotated.body);
  EXPECT_EQ(r["previousApiKey"]["state"], "API_KEY_STATE_EXPIRING");
  EXPECT_EQ(r["previousApiKey"]["successorKeyId"], r["apiKey"]["keyId"]);

  // The list never carries a key's text.
  auto listed =
      Call("GET", "/v1/admin/teams/" + team_id + "/api-keys", admin_key_);
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_EQ(json::parse(listed.body)["apiKeys"].size(), 2u);
  EXPECT_EQ(listed.body.find(issued["secret"].get<std::string>()),
            std::string::npos);
  EXPECT_EQ(listed.body.find(r["secret"].get<std::string>()),
            std::string::npos);

  // An ordinary key is refused; a bad overlap names the field.
  auto refused = Call("GET", "/v1/admin/teams", customer_.owner_key);
  EXPECT_EQ(refused.status, 403) << refused.body;
  auto bad = Call("POST",
                  "/v1/admin/teams/" + team_id + "/api-keys/" +
                      r["apiKey"]["keyId"].get<std::string>() + ":rotate",
                  admin_key_, R"({"overlap":"-5s"})");
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_NE(bad.body.find("overlap"), std::string::npos) << bad.body;
}

// The tier is an enum: its names (full or short) are accepted; any other
// string is INVALID_ARGUMENT naming the field, and creates nothing.
TEST_F(AdminRestTest, TierTakesTheEnumsNamesAndRefusesOthers) {
  auto full = Call("POST", "/v1/admin/teams", admin_key_,
                   R"({"displayName":"Full","tier":"TIER_ENTERPRISE"})");
  ASSERT_EQ(full.status, 200) << full.body;
  EXPECT_EQ(json::parse(full.body)["tier"], "TIER_ENTERPRISE");
  auto before = Call("GET", "/v1/admin/teams", admin_key_);
  ASSERT_EQ(before.status, 200) << before.body;
  for (const char* body : {R"({"displayName":"Gold","tier":"gold"})",
                           R"({"displayName":"Gold","tier":"TIER_GOLD"})",
                           R"({"displayName":"Gold","tier":"free"})"}) {
    auto refused = Call("POST", "/v1/admin/teams", admin_key_, body);
    EXPECT_EQ(refused.status, 400) << body << " " << refused.body;
    const json answer = json::parse(refused.body);
    EXPECT_EQ(answer["code"], "INVALID_ARGUMENT") << refused.body;
    bool names_tier = false;
    for (const json& detail : answer["details"]) {
      if (!detail.contains("fieldViolations")) continue;
      for (const json& v : detail["fieldViolations"]) {
        names_tier = names_tier || v["field"].get<std::string>().find("tier") !=
                                       std::string::npos;
      }
    }
    EXPECT_TRUE(names_tier) << refused.body;
  }
  auto after = Call("GET", "/v1/admin/teams", admin_key_);
  EXPECT_EQ(json::parse(after.body)["teams"].size(),
            json::parse(before.body)["teams"].size());
}

}  // namespace
}  // namespace ttads::admin
