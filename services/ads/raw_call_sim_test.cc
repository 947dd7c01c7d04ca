// RawCaller over the real TikTok client against the simulator: what the
// caller asks (Ibexa's path, method, headers) is what goes on the wire, as
// the simulator's request log shows.
#include <memory>

#include "gmock/gmock.h"
#include "libs/http/test_client.h"
#include "libs/testing/status_matchers.h"
#include "nlohmann/json.hpp"
#include "services/ads/ads_domain_test_env.h"
#include "services/ads/raw_call.h"
#include "tools/tiktok_sim/seed.h"
#include "tools/tiktok_sim/sim.h"

namespace ttads::ads {
namespace {

using testing::IsOk;
using testing::StatusIs;
namespace seed = ::ttads::tiktok_sim::seed;

class RawCallSimTest : public AdsDomainTest {
 protected:
  void SetUp() override {
    auto sim = tiktok_sim::TikTokSim::Start({});
    ASSERT_THAT(sim, IsOk());
    sim_ = *std::move(sim);
    tiktok::ClientOptions options;
    options.base_url = sim_->base_url();
    options.app_id = "ttads-local-app";
    options.app_secret = "local-sim-secret";
    auto client = tiktok::Client::Create(std::move(options));
    ASSERT_THAT(client, IsOk());
    client_ = *std::move(client);
    api_ = NewClientAdsApi(client_.get());
    connections::Connection c;
    c.connection_id = "conn-sim";
    c.team_id = kTeam;
    c.member_id = "member-sim";
    c.advertisers = {{seed::kAdvertiserTtUser, "Demo"}};
    c.create_time = absl::Now();
    ASSERT_THAT(connections_.Create(
                    c, sim_->IssueAccessToken({seed::kAdvertiserTtUser})),
                IsOk());
    raw_ = std::make_unique<RawCaller>(api_.get(), &tokens_,
                                       std::vector<std::string>{"/ad/get/"});
  }
  void TearDown() override { EXPECT_THAT(sim_->CheckViolations(), IsOk()); }

  // The simulator's last logged API request.
  nlohmann::json LastRequest() {
    http::TestClient http;
    auto r = http.Get(sim_->root_url() + "/_sim/requests");
    nlohmann::json last;
    size_t start = 0;
    while (start < r.body.size()) {
      size_t end = r.body.find('\n', start);
      if (end == std::string::npos) end = r.body.size();
      if (end > start)
        last = nlohmann::json::parse(r.body.substr(start, end - start));
      start = end + 1;
    }
    return last;
  }

  v1::CallTikTokApiRequest Request(const std::string& path,
                                   v1::HttpMethod method) {
    v1::CallTikTokApiRequest req;
    req.set_advertiser_id(seed::kAdvertiserTtUser);
    req.set_path(path);
    req.set_method(method);
    return req;
  }

  std::unique_ptr<tiktok_sim::TikTokSim> sim_;
  std::unique_ptr<tiktok::Client> client_;
  std::unique_ptr<TikTokAdsApi> api_;
  std::unique_ptr<RawCaller> raw_;
};

TEST_F(RawCallSimTest, IbexasPathAndHeadersReachTikTok) {
  v1::CallTikTokApiRequest req = Request("/v1.2/ad/get", v1::HTTP_METHOD_GET);
  (*req.mutable_headers())["X-Debug-Id"] = "7";
  (*req.mutable_headers())["Accept-Language"] = "de-DE";
  (*req.mutable_query())["page_size"] = "5";
  auto answer = raw_->Call(Call("member-sim"), req);
  ASSERT_THAT(answer, IsOk());
  EXPECT_EQ(answer->code(), 0);
  EXPECT_EQ(answer->data().fields().count("list"), 1u);
  nlohmann::json sent = LastRequest();
  EXPECT_EQ(sent["method"], "GET");
  EXPECT_EQ(sent["path"], "/open_api/v1.3/ad/get/");
  EXPECT_EQ(sent["query"]["page_size"], "5");
  EXPECT_EQ(sent["headers"]["X-Debug-Id"], "7");
  EXPECT_EQ(sent["headers"]["Accept-Language"], "de-DE");
}

// PUT goes out as PUT; TikTok's endpoint takes GET, answers 405, and the
// caller gets INVALID_ARGUMENT on `method`, not an internal error.
TEST_F(RawCallSimTest, AMethodTikTokRefusesIsInvalidArgument) {
  sim_->ExpectViolations(1);
  auto answer = raw_->Call(Call("member-sim"),
                           Request("/v1.3/ad/get", v1::HTTP_METHOD_PUT));
  EXPECT_THAT(answer, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(Fields(answer.status()), std::set<std::string>{"method"});
  nlohmann::json sent = LastRequest();
  EXPECT_EQ(sent["method"], "PUT");
  EXPECT_EQ(sent["path"], "/open_api/v1.3/ad/get/");
}

}  // namespace
}  // namespace ttads::ads
