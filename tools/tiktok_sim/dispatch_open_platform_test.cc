// Fault injection on the user platform's paths (dispatch_open_platform.cc):
// faults answer in each path's own error shape and are counted.

#include "libs/http/test_client.h"
#include "tools/tiktok_sim/open_platform_test_util.h"

namespace ttads::tiktok_sim {
namespace {

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

}  // namespace
}  // namespace ttads::tiktok_sim
