#ifndef TTADS_TOOLS_TIKTOK_SIM_OPEN_PLATFORM_TEST_UTIL_H_
#define TTADS_TOOLS_TIKTOK_SIM_OPEN_PLATFORM_TEST_UTIL_H_

// The fixture of the user-platform tests (login_kit_test.cc,
// display_api_test.cc, oembed_test.cc, sound_upload_test.cc,
// dispatch_open_platform_test.cc): SimTest with helpers that drive Login
// Kit and the Display API over real HTTP.

#include <string>
#include <string_view>
#include <vector>

#include "gmock/gmock.h"
#include "libs/http/query.h"
#include "nlohmann/json.hpp"
#include "tools/tiktok_sim/sim_test_util.h"

namespace ttads::tiktok_sim {

inline constexpr char kRedirect[] = "https://app.example/cb";

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
    EXPECT_THAT(location, ::testing::StartsWith(std::string(kRedirect) + "?"));
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

}  // namespace ttads::tiktok_sim

#endif  // TTADS_TOOLS_TIKTOK_SIM_OPEN_PLATFORM_TEST_UTIL_H_
