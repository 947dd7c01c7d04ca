#ifndef TTADS_TOOLS_TIKTOK_SIM_SIM_TEST_UTIL_H_
#define TTADS_TOOLS_TIKTOK_SIM_SIM_TEST_UTIL_H_

// A gtest fixture that runs the simulator in-process on an ephemeral port
// (demo seed, no throttling) and talks to it over real HTTP.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "libs/http/test_client.h"
#include "nlohmann/json.hpp"
#include "tools/tiktok_sim/seed.h"
#include "tools/tiktok_sim/sim.h"

namespace ttads::tiktok_sim {

class SimTest : public ::testing::Test {
 protected:
  struct Reply {
    int http_status = 0;
    int curl_code = 0;
    nlohmann::json json;  // Parsed body (null if not JSON).
    std::string body;
    int code() const { return json.is_object() ? json.value("code", -1) : -1; }
    const nlohmann::json& data() const { return json["data"]; }
  };

  void SetUp() override;
  // Fails the test on contract violations it did not declare with
  // sim_->ExpectViolations(n).
  void TearDown() override;

  // GET <base>/<rel_path> with `params`: strings as-is, other JSON values
  // JSON-encoded (TikTok's convention for arrays/objects).
  Reply Get(const std::string& rel_path,
            const std::map<std::string, nlohmann::json>& params,
            const std::string& token);
  Reply Get(const std::string& rel_path,
            const std::map<std::string, nlohmann::json>& params) {
    return Get(rel_path, params, token_);
  }
  Reply Post(const std::string& rel_path, const nlohmann::json& body,
             const std::string& token);
  Reply Post(const std::string& rel_path, const nlohmann::json& body) {
    return Post(rel_path, body, token_);
  }
  Reply Upload(const std::string& rel_path,
               const std::vector<http::TestClient::Part>& parts);
  // Control API: `path` like "/_sim/stats".
  Reply Control(const std::string& method, const std::string& path,
                const nlohmann::json& body = nullptr);

  static Reply Parse(const http::TestClient::Result& r);

  std::unique_ptr<TikTokSim> sim_;
  std::string token_;  // Reaches all three demo advertisers.
  http::TestClient client_;
};

// A valid PNG of the given size (stb-readable header; tiny body).
std::string MakePng(int width, int height);

}  // namespace ttads::tiktok_sim

#endif  // TTADS_TOOLS_TIKTOK_SIM_SIM_TEST_UTIL_H_
