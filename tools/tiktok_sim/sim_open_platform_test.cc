// The simulated TikTok user platform over real HTTP: Login Kit OAuth v2
// (consent, code exchange, refresh, revoke), the Display API video list
// (paging, per-page maximum, fields, scopes, error envelope), oEmbed, and
// fault injection on these paths.

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "libs/http/query.h"
#include "libs/testing/status_matchers.h"
#include "tools/tiktok_sim/sim_test_util.h"

namespace ttads::tiktok_sim {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using ::ttads::testing::IsOk;

constexpr char kRedirect[] = "https://app.example/cb";

class SimOpenPlatformTest : public SimTest {
 protected:
  // Follows the consent page; returns the redirect's query parameters.
  http::QueryParams Consent(const std::string& scope,
                            const std::string& extra = "") {
    auto res = client_.Get(
        sim_->root_url() +
        "/v2/auth/authorize/?client_key=ttads-local-app&response_type=code" +
        "&scope=" + http::PercentEncode(scope) + "&redirect_uri=" +
        http::PercentEncode(kRedirect) + "&state=st-1" + extra);
    EXPECT_EQ(res.status, 302) << res.body;
    std::string location = res.Header("location");
    EXPECT_THAT(location, StartsWith(std::string(kRedirect) + "?"));
    std::string_view path, query;
    http::SplitTarget(location, &path, &query);
    return http::ParseQuery(query);
  }

  Reply Form(const std::string& path, const std::string& form) {
    return Parse(client_.Request(
        "POST", sim_->root_url() + path,
        {"Content-Type: application/x-www-form-urlencoded"}, form));
  }

  Reply Exchange(const std::string& code,
                 const std::string& redirect = kRedirect) {
    return Form("/v2/oauth/token/",
                "client_key=ttads-local-app&client_secret=local-sim-secret"
                "&grant_type=authorization_code&code=" +
                    http::PercentEncode(code) +
                    "&redirect_uri=" + http::PercentEncode(redirect));
  }

  Reply Refresh(const std::string& refresh_token) {
    return Form("/v2/oauth/token/",
                "client_key=ttads-local-app&client_secret=local-sim-secret"
                "&grant_type=refresh_token&refresh_token=" +
                    http::PercentEncode(refresh_token));
  }

  Reply List(const std::string& token, const nlohmann::json& body,
             const std::string& fields = "id,create_time,title") {
    std::vector<std::string> headers = {"Content-Type: application/json"};
    if (!token.empty()) headers.push_back("Authorization: Bearer " + token);
    return Parse(client_.Request(
        "POST", sim_->root_url() + "/v2/video/list/?fields=" + fields, headers,
        body.is_null() ? "{}" : body.dump()));
  }

  std::string UserToken(std::vector<std::string> scopes = {"video.list"}) {
    return sim_->IssueUserAccessToken(seed::kTikTokUserDemo, scopes);
  }
};

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

TEST_F(SimOpenPlatformTest, ListWithoutVideoListScopeIsNotAuthorized) {
  // The user agreed to user.info.basic only.
  auto params = Consent("user.info.basic,video.list", "&grant=user.info.basic");
  EXPECT_EQ(params.find("scopes")->second, "user.info.basic");
  auto tokens = Exchange(params.find("code")->second);
  auto res = List(tokens.json["access_token"], {});
  EXPECT_EQ(res.http_status, 401);
  EXPECT_EQ(res.json["error"]["code"], "scope_not_authorized");
  EXPECT_FALSE(res.json["error"]["log_id"].get<std::string>().empty());
}

TEST_F(SimOpenPlatformTest, SoundUploadChecksTokenScopePartSizeAndSignature) {
  const std::string url = sim_->root_url() + "/v2/share/sound/upload/";
  const std::string with_scope = sim_->IssueUserAccessToken(
      seed::kTikTokUserDemo, {"user.info.basic", "share.sound.create"});
  const std::string without = sim_->IssueUserAccessToken(
      seed::kTikTokUserDemo, {"user.info.basic", "video.list"});
  std::string wav("RIFF\x24\0\0\0WAVEfmt ", 16);
  wav += std::string(64, '\0');
  auto send = [&](const std::string& token, const std::string& part,
                  const std::string& bytes) {
    return Parse(client_.PostMultipart(
        url, {{part, bytes, std::string("a.mp3"), "audio/mpeg"}},
        {"Authorization: Bearer " + token}));
  };
  auto ok = send(with_scope, "sound", wav);
  ASSERT_EQ(ok.http_status, 200) << ok.body;
  EXPECT_EQ(ok.json["error"]["code"], "ok");
  const std::string id = ok.json["data"]["share_id"];
  EXPECT_EQ(sim_->WithState([&](SimState& s) {
    return s.open.sounds.at(id).format;  // By signature, not the .mp3 name.
  }),
            "wav");
  EXPECT_EQ(send(without, "sound", wav).json["error"]["code"],
            "scope_not_authorized");
  EXPECT_EQ(send("nope", "sound", wav).json["error"]["code"],
            "access_token_invalid");
  EXPECT_EQ(send(with_scope, "file", wav).json["error"]["code"],
            "invalid_params");
  EXPECT_EQ(send(with_scope, "sound", "just text").json["error"]["code"],
            "invalid_params");
  auto big = send(with_scope, "sound", wav + std::string(50'000'000, 'a'));
  EXPECT_EQ(big.http_status, 400);
  EXPECT_THAT(big.json["error"]["message"].get<std::string>(),
              HasSubstr("50 MB"));
  EXPECT_EQ(sim_->WithState([](SimState& s) { return s.open.sounds.size(); }),
            1u);
}

TEST_F(SimOpenPlatformTest, CursorPagesEveryPostOnceNewestFirst) {
  std::string token = UserToken();
  std::vector<std::string> ids;
  std::vector<int64_t> times;
  std::vector<bool> more;
  nlohmann::json body = {{"max_count", 20}};
  for (int page = 0; page < 5; ++page) {
    auto res = List(token, body);
    ASSERT_EQ(res.http_status, 200) << res.body;
    EXPECT_EQ(res.json["error"]["code"], "ok");
    for (const auto& v : res.data()["videos"]) {
      ids.push_back(v["id"]);
      times.push_back(v["create_time"]);
      EXPECT_FALSE(v.contains("share_url"));  // Only the fields asked for.
    }
    more.push_back(res.data()["has_more"]);
    if (!res.data()["has_more"]) break;
    body["cursor"] = res.data()["cursor"];
  }
  EXPECT_EQ(more, (std::vector<bool>{true, true, false}));
  ASSERT_EQ(ids.size(), static_cast<size_t>(seed::kDemoUserPosts));
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size());
  EXPECT_EQ(ids.front(), seed::DemoPostId(seed::kDemoUserPosts));
  EXPECT_EQ(ids.back(), seed::DemoPostId(1));
  EXPECT_TRUE(std::is_sorted(times.rbegin(), times.rend()));

  // Default page size is 10; a post published now comes first.
  auto post = sim_->PublishVideoPost(seed::kTikTokUserDemo, "Fresh");
  ASSERT_THAT(post, IsOk());
  auto first = List(token, nlohmann::json::object(), "id,title,share_url");
  ASSERT_EQ(first.data()["videos"].size(), 10u);
  EXPECT_EQ(first.data()["videos"][0]["id"], post->id);
  EXPECT_EQ(
      first.data()["videos"][0]["share_url"],
      absl::StrCat("https://www.tiktok.com/@ttads.demo/video/", post->id));
}

TEST_F(SimOpenPlatformTest, BadListRequestsAreInvalidParams) {
  std::string token = UserToken();
  for (const auto& body :
       {nlohmann::json{{"max_count", 21}}, nlohmann::json{{"max_count", 0}},
        nlohmann::json{{"max_count", "5"}}, nlohmann::json{{"cursor", -1}}}) {
    auto res = List(token, body);
    EXPECT_EQ(res.http_status, 400) << body;
    EXPECT_EQ(res.json["error"]["code"], "invalid_params") << body;
  }
  EXPECT_EQ(List(token, {}, "id,nope").json["error"]["code"], "invalid_params");
  EXPECT_EQ(List(token, {}, "").json["error"]["code"], "invalid_params");
  auto anonymous = List("", {});
  EXPECT_EQ(anonymous.http_status, 401);
  EXPECT_EQ(anonymous.json["error"]["code"], "access_token_invalid");
}

TEST_F(SimOpenPlatformTest, ExpiredAccessTokenIsInvalid) {
  sim_->WithState([](SimState& s) {
    s.open.access_token_ttl = std::chrono::seconds(0);
    return 0;
  });
  auto res = List(UserToken(), {});
  EXPECT_EQ(res.http_status, 401);
  EXPECT_EQ(res.json["error"]["code"], "access_token_invalid");
}

TEST_F(SimOpenPlatformTest, FaultsUseTheV2Envelope) {
  std::string token = UserToken();
  sim_->AddFault({.path_prefix = "/v2/video/list/",
                  .mode = FaultMode::kCode,
                  .code = kRateLimited,
                  .count = 1});
  auto throttled = List(token, {});
  EXPECT_EQ(throttled.http_status, 429);
  EXPECT_EQ(throttled.json["error"]["code"], "rate_limit_exceeded");
  sim_->AddFault({.path_prefix = "/v2/video/list/",
                  .mode = FaultMode::kHttpStatus,
                  .http_status = 503,
                  .count = 1});
  auto unavailable = List(token, {});
  EXPECT_EQ(unavailable.http_status, 503);
  EXPECT_EQ(unavailable.json["error"]["code"], "internal_error");
  sim_->AddFault({.path_prefix = "/v2/oauth/token/",
                  .mode = FaultMode::kDrop,
                  .count = 1});
  // A fresh connection: libcurl silently re-sends a request once when a
  // reused one closes without an answer (docs/simulator.md).
  http::TestClient fresh;
  EXPECT_NE(fresh
                .Request("POST", sim_->root_url() + "/v2/oauth/token/",
                         {"Content-Type: application/x-www-form-urlencoded"},
                         "client_key=x")
                .curl_code,
            0);
  EXPECT_EQ(List(token, {}).http_status, 200);
  EXPECT_EQ(sim_->stats().calls["/v2/video/list/"].total, 3);
  EXPECT_EQ(sim_->stats().calls["/v2/video/list/"].ok, 1);
}

TEST_F(SimOpenPlatformTest, OEmbedAnswersForPublicPostUrlsOnly) {
  std::string url = absl::StrCat("https://www.tiktok.com/@ttads.demo/video/",
                                 seed::DemoPostId(3));
  auto res = Parse(client_.Get(sim_->root_url() +
                               "/oembed?url=" + http::PercentEncode(url)));
  ASSERT_EQ(res.http_status, 200) << res.body;
  EXPECT_EQ(res.json["type"], "video");
  EXPECT_EQ(res.json["title"], "Demo post #3");
  EXPECT_EQ(res.json["author_name"], "ttads Demo Creator");
  EXPECT_EQ(res.json["provider_name"], "TikTok");
  EXPECT_THAT(res.json["html"].get<std::string>(), HasSubstr(url));
  EXPECT_FALSE(res.json["thumbnail_url"].get<std::string>().empty());

  auto not_video = Parse(
      client_.Get(sim_->root_url() + "/oembed?url=" +
                  http::PercentEncode("https://www.tiktok.com/@ttads.demo")));
  EXPECT_EQ(not_video.http_status, 400);
  auto unknown = Parse(client_.Get(
      sim_->root_url() + "/oembed?url=" +
      http::PercentEncode(
          "https://www.tiktok.com/@ttads.demo/video/7399999999999999999")));
  EXPECT_EQ(unknown.http_status, 404);
}

}  // namespace
}  // namespace ttads::tiktok_sim
