// Login Kit OAuth v2 (login_kit.h) over real HTTP: consent, code exchange,
// refresh with rotation, revoke, and the refusals of each path.

#include <string>

#include "gmock/gmock.h"
#include "libs/http/query.h"
#include "tools/tiktok_sim/open_platform_test_util.h"

namespace ttads::tiktok_sim {
namespace {

TEST_F(SimOpenPlatformTest, ConsentExchangeRefreshRevoke) {
  auto params = Consent("user.info.basic,video.list");
  ASSERT_EQ(params.count("code"), 1u);
  EXPECT_EQ(params.find("state")->second, "st-1");
  EXPECT_EQ(params.find("scopes")->second, "user.info.basic,video.list");
  std::string code = params.find("code")->second;

  // The redirect_uri must be the one the consent used.
  auto wrong = Exchange(code, "https://other.example/cb");
  EXPECT_EQ(wrong.http_status, 400);
  EXPECT_EQ(wrong.json["error"], "invalid_grant");

  auto tokens = Exchange(code);
  ASSERT_EQ(tokens.http_status, 200) << tokens.body;
  EXPECT_EQ(tokens.json["open_id"], seed::kTikTokUserDemo);
  EXPECT_EQ(tokens.json["scope"], "user.info.basic,video.list");
  EXPECT_EQ(tokens.json["token_type"], "Bearer");
  EXPECT_EQ(tokens.json["expires_in"], 86400);
  EXPECT_EQ(tokens.json["refresh_expires_in"], 365 * 86400);
  std::string access = tokens.json["access_token"];
  std::string refresh = tokens.json["refresh_token"];
  EXPECT_EQ(List(access, {}).http_status, 200);

  // A code works once.
  EXPECT_EQ(Exchange(code).json["error"], "invalid_grant");

  auto refreshed = Refresh(refresh);
  ASSERT_EQ(refreshed.http_status, 200) << refreshed.body;
  EXPECT_NE(refreshed.json["access_token"], access);
  EXPECT_NE(refreshed.json["refresh_token"], refresh);
  EXPECT_EQ(refreshed.json["scope"], "user.info.basic,video.list");
  EXPECT_EQ(sim_->user_token_refreshes(), 1u);
  // The refresh token rotates: the old one is spent.
  EXPECT_EQ(Refresh(refresh).json["error"], "invalid_grant");
  EXPECT_EQ(sim_->user_token_refreshes(), 1u);

  std::string new_access = refreshed.json["access_token"];
  auto revoked = Form("/v2/oauth/revoke/",
                      "client_key=ttads-local-app&client_secret=local-sim-"
                      "secret&token=" +
                          http::PercentEncode(new_access));
  EXPECT_EQ(revoked.http_status, 200) << revoked.body;
  auto after = List(new_access, {});
  EXPECT_EQ(after.http_status, 401);
  EXPECT_EQ(after.json["error"]["code"], "access_token_invalid");
  EXPECT_EQ(Refresh(refreshed.json["refresh_token"]).json["error"],
            "invalid_grant");
}

TEST_F(SimOpenPlatformTest, TokenEndpointRefusals) {
  auto bad_client = Form("/v2/oauth/token/",
                         "client_key=ttads-local-app&client_secret=nope"
                         "&grant_type=refresh_token&refresh_token=x");
  EXPECT_EQ(bad_client.http_status, 401);
  EXPECT_EQ(bad_client.json["error"], "invalid_client");
  EXPECT_FALSE(bad_client.json["log_id"].get<std::string>().empty());
  auto grant = Form("/v2/oauth/token/",
                    "client_key=ttads-local-app&client_secret=local-sim-secret"
                    "&grant_type=password");
  EXPECT_EQ(grant.json["error"], "unsupported_grant_type");
  auto json_body =
      Parse(client_.Request("POST", sim_->root_url() + "/v2/oauth/token/",
                            {"Content-Type: application/json"}, "{}"));
  EXPECT_EQ(json_body.json["error"], "invalid_request");
  EXPECT_EQ(Exchange("never-issued").json["error"], "invalid_grant");
}

TEST_F(SimOpenPlatformTest, ConsentErrorsGoBackToTheRedirect) {
  auto unknown = Consent("video.list,no.such.scope");
  EXPECT_EQ(unknown.find("error")->second, "invalid_scope");
  EXPECT_EQ(unknown.count("code"), 0u);
  auto denied = Consent("video.list", "&deny=1");
  EXPECT_EQ(denied.find("error")->second, "access_denied");
  auto res = client_.Get(sim_->root_url() +
                         "/v2/auth/authorize/?client_key=other&response_type="
                         "code&scope=video.list&redirect_uri=https://x/");
  EXPECT_EQ(res.status, 400);
}

}  // namespace
}  // namespace ttads::tiktok_sim
