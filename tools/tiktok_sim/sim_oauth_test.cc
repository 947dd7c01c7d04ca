// OAuth, the consent page, and the envelope/auth rules shared by all
// endpoints.

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "libs/http/query.h"
#include "tools/tiktok_sim/sim_test_util.h"

namespace ttads::tiktok_sim {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

class SimOAuthTest : public SimTest {
 protected:
  Reply Exchange(const std::string& code,
                 const std::string& secret = "local-sim-secret") {
    return Post("oauth2/access_token/",
                {{"app_id", "ttads-local-app"},
                 {"secret", secret},
                 {"auth_code", code}},
                "");
  }
};

TEST_F(SimOAuthTest, ConsentPageRedirectsWithASingleUseCode) {
  auto res = client_.Get(
      sim_->root_url() + "/portal/auth?app_id=ttads-local-app&state=xyz" +
      "&redirect_uri=" + http::PercentEncode("http://localhost/cb?x=1") +
      "&advertiser_ids=" + seed::kAdvertiserNoTtUser);
  ASSERT_EQ(res.status, 302);
  std::string location = res.Header("location");
  ASSERT_THAT(location, StartsWith("http://localhost/cb?x=1&auth_code="));
  EXPECT_THAT(location, HasSubstr("&state=xyz"));
  std::string_view path, query;
  http::SplitTarget(location, &path, &query);
  auto params = http::ParseQuery(query);
  std::string code = params.find("auth_code")->second;

  auto first = Exchange(code);
  ASSERT_EQ(first.code(), 0) << first.body;
  EXPECT_EQ(first.http_status, 200);
  EXPECT_THAT(first.data()["advertiser_ids"],
              ElementsAre(seed::kAdvertiserNoTtUser));
  std::string token = first.data()["access_token"];

  auto again = Exchange(code);
  EXPECT_EQ(again.code(), kBadAuthCode);
  EXPECT_EQ(again.http_status, 200);

  auto advertisers = Get(
      "oauth2/advertiser/get/",
      {{"app_id", "ttads-local-app"}, {"secret", "local-sim-secret"}}, token);
  ASSERT_EQ(advertisers.code(), 0) << advertisers.body;
  ASSERT_EQ(advertisers.data()["list"].size(), 1u);
  EXPECT_EQ(advertisers.data()["list"][0]["advertiser_id"],
            seed::kAdvertiserNoTtUser);
}

TEST_F(SimOAuthTest, ConsentPageRejectsUnknownApp) {
  auto res = client_.Get(sim_->root_url() +
                         "/portal/auth?app_id=other&redirect_uri=http://x/");
  EXPECT_EQ(res.status, 400);
}

TEST_F(SimOAuthTest, BadAppAndExpiredOrUnknownCodes) {
  std::string code = sim_->MintAuthCode({seed::kAdvertiserTtUser});
  EXPECT_EQ(Exchange(code, "wrong-secret").code(), kBadApp);
  EXPECT_EQ(Exchange("never-minted").code(), kBadAuthCode);
  std::string expired =
      sim_->MintAuthCode({seed::kAdvertiserTtUser}, std::chrono::seconds(0));
  EXPECT_EQ(Exchange(expired).code(), kBadAuthCode);
  // A failed exchange with a bad app does not burn the code.
  EXPECT_EQ(Exchange(code).code(), 0);
}

TEST_F(SimOAuthTest, RevokedTokenIsRejected) {
  std::string token = sim_->IssueAccessToken({seed::kAdvertiserTtUser});
  auto ok =
      Get("identity/get/", {{"advertiser_id", seed::kAdvertiserTtUser}}, token);
  ASSERT_EQ(ok.code(), 0);
  auto revoke = Post("oauth2/revoke_token/",
                     {{"app_id", "ttads-local-app"},
                      {"secret", "local-sim-secret"},
                      {"access_token", token}},
                     token);
  ASSERT_EQ(revoke.code(), 0) << revoke.body;
  EXPECT_EQ(revoke.data()["app_id"], "ttads-local-app");
  EXPECT_THAT(revoke.data()["advertiser_ids"],
              ElementsAre(seed::kAdvertiserTtUser));
  auto after =
      Get("identity/get/", {{"advertiser_id", seed::kAdvertiserTtUser}}, token);
  EXPECT_EQ(after.code(), kTokenInvalid);
}

// "Revoke a long-term access token": the Access-Token header is required
// besides app_id, secret and access_token in the body.
TEST_F(SimOAuthTest, RevokeWithoutAccessTokenHeaderIsRefusedAndTokenStaysLive) {
  sim_->ExpectViolations(
      5);  // Contract: the missing header, three missing fields, one unknown.
  std::string token = sim_->IssueAccessToken({seed::kAdvertiserTtUser});
  const nlohmann::json body = {{"app_id", "ttads-local-app"},
                               {"secret", "local-sim-secret"},
                               {"access_token", token}};
  EXPECT_EQ(Post("oauth2/revoke_token/", body, "").code(), kTokenEmpty);
  EXPECT_EQ(
      Get("identity/get/", {{"advertiser_id", seed::kAdvertiserTtUser}}, token)
          .code(),
      0);
  for (const char* field : {"app_id", "secret", "access_token"}) {
    nlohmann::json partial = body;
    partial.erase(field);
    auto r = Post("oauth2/revoke_token/", partial, token);
    EXPECT_EQ(r.code(), kParamError) << field;
    EXPECT_THAT(r.json["message"].get<std::string>(), StartsWith(field));
  }
  nlohmann::json extra = body;
  extra["advertiser_id"] = seed::kAdvertiserTtUser;
  auto unknown = Post("oauth2/revoke_token/", extra, token);
  EXPECT_EQ(unknown.code(), kParamError);
  EXPECT_THAT(unknown.json["message"].get<std::string>(),
              StartsWith("advertiser_id"));
  EXPECT_EQ(Post("oauth2/revoke_token/", body, token).code(), 0);
}

TEST_F(SimOAuthTest, ExchangeAndAdvertiserGetNameMissingParameters) {
  sim_->ExpectViolations(
      4);  // Contract: three missing exchange fields, no secret.
  std::string code = sim_->MintAuthCode({seed::kAdvertiserTtUser});
  for (const char* field : {"app_id", "secret", "auth_code"}) {
    nlohmann::json body = {{"app_id", "ttads-local-app"},
                           {"secret", "local-sim-secret"},
                           {"auth_code", code}};
    body.erase(field);
    auto r = Post("oauth2/access_token/", body, "");
    EXPECT_EQ(r.code(), kParamError) << field;
    EXPECT_THAT(r.json["message"].get<std::string>(), StartsWith(field));
  }
  auto no_secret =
      Get("oauth2/advertiser/get/", {{"app_id", "ttads-local-app"}}, token_);
  EXPECT_EQ(no_secret.code(), kParamError);
  EXPECT_THAT(no_secret.json["message"].get<std::string>(),
              StartsWith("secret"));
  // The code was not burnt by the refused attempts.
  EXPECT_EQ(Exchange(code).code(), 0);
}

TEST_F(SimOAuthTest, EnvelopeAndTokenRules) {
  sim_->ExpectViolations(1);  // Contract: the empty token.
  auto ok = Get("identity/get/", {{"advertiser_id", seed::kAdvertiserTtUser}});
  EXPECT_EQ(ok.http_status, 200);
  EXPECT_EQ(ok.code(), 0);
  EXPECT_EQ(ok.json["message"], "OK");
  EXPECT_FALSE(ok.json["request_id"].get<std::string>().empty());

  auto empty =
      Get("identity/get/", {{"advertiser_id", seed::kAdvertiserTtUser}}, "");
  EXPECT_EQ(empty.http_status, 200);
  EXPECT_EQ(empty.code(), kTokenEmpty);
  EXPECT_TRUE(empty.data().is_object() && empty.data().empty());

  EXPECT_EQ(Get("identity/get/", {{"advertiser_id", seed::kAdvertiserTtUser}},
                "act.unknown")
                .code(),
            kTokenInvalid);

  std::string narrow = sim_->IssueAccessToken({seed::kAdvertiserTtUser});
  EXPECT_EQ(
      Get("identity/get/", {{"advertiser_id", seed::kAdvertiserBc}}, narrow)
          .code(),
      kNoPermission);
}

TEST_F(SimOAuthTest, MissingTrailingSlashIsHttp404) {
  auto res = client_.Get(sim_->base_url() + "identity/get?advertiser_id=1",
                         {"Access-Token: " + token_});
  EXPECT_EQ(res.status, 404);
  auto unknown = client_.Get(sim_->base_url() + "no/such/endpoint/");
  EXPECT_EQ(unknown.status, 404);
}

}  // namespace
}  // namespace ttads::tiktok_sim
