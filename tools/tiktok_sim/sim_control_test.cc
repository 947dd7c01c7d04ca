// Control API (/_sim/) and fault injection.

#include <curl/curl.h>

#include "gmock/gmock.h"
#include "tools/tiktok_sim/sim_test_util.h"

namespace ttads::tiktok_sim {
namespace {

using SimControlTest = SimTest;

nlohmann::json AdCreateBody() {
  return {{"advertiser_id", seed::kAdvertiserTtUser},
          {"adgroup_id", seed::AdGroupId(1, 1)},
          {"creatives",
           {{{"ad_name", "Fault test"},
             {"ad_format", "SINGLE_VIDEO"},
             {"identity_type", "TT_USER"},
             {"identity_id", seed::kIdentityTtUser},
             {"tiktok_item_id", seed::kItemTtUser1},
             {"ad_text", "Fault test"},
             {"call_to_action", "LEARN_MORE"}}}}};
}

TEST_F(SimControlTest, CodeFaultFiresCountTimesOnMatchingPaths) {
  auto added = Control("POST", "/_sim/faults",
                       {{"path_prefix", "/identity/"},
                        {"mode", "code"},
                        {"code", 40100},
                        {"count", 1}});
  ASSERT_EQ(added.http_status, 200) << added.body;
  nlohmann::json q = {{"advertiser_id", seed::kAdvertiserTtUser}};
  EXPECT_EQ(
      Get("identity/get/", {{"advertiser_id", seed::kAdvertiserTtUser}}).code(),
      kRateLimited);
  EXPECT_EQ(
      Get("identity/get/", {{"advertiser_id", seed::kAdvertiserTtUser}}).code(),
      0);
  auto stats = Control("GET", "/_sim/stats");
  EXPECT_EQ(stats.json["calls"]["/identity/get/"]["total"], 2);
  EXPECT_EQ(stats.json["calls"]["/identity/get/"]["ok"], 1);
}

TEST_F(SimControlTest, CallsAreCountedPerTokenAndFaultsReportFirings) {
  const std::string other = sim_->IssueAccessToken({seed::kAdvertiserTtUser});
  auto calls_of = [&](const std::string& t) {
    return sim_->WithState([&](SimState& s) { return s.tokens[t].calls; });
  };
  const uint64_t mine_before = calls_of(token_);
  const int rule = sim_->AddFault(
      {.path_prefix = "/pixel/", .mode = FaultMode::kCode, .count = 1});
  EXPECT_EQ(
      Get("pixel/list/", {{"advertiser_id", seed::kAdvertiserTtUser}}).code(),
      50000);
  EXPECT_EQ(
      Get("pixel/list/", {{"advertiser_id", seed::kAdvertiserTtUser}}).code(),
      0);
  // Faulted calls count too: the token reached the endpoint.
  EXPECT_EQ(calls_of(token_), mine_before + 2);
  EXPECT_EQ(calls_of(other), 0u);
  EXPECT_EQ(
      Get("pixel/list/", {{"advertiser_id", seed::kAdvertiserTtUser}}, other)
          .code(),
      0);
  EXPECT_EQ(calls_of(other), 1u);
  const nlohmann::json faults = sim_->Faults();
  ASSERT_EQ(faults.size(), 1u);
  EXPECT_EQ(faults[0]["id"], rule);
  EXPECT_EQ(faults[0]["fired"], 1);
}

TEST_F(SimControlTest, HttpStatusAndDropFaults) {
  FaultRule r;
  r.path_prefix = "/open_api/v1.3/pixel/";
  r.mode = FaultMode::kHttpStatus;
  r.http_status = 503;
  r.count = 1;
  sim_->AddFault(r);
  auto res = Get("pixel/list/", {{"advertiser_id", seed::kAdvertiserTtUser}});
  EXPECT_EQ(res.http_status, 503);

  ASSERT_EQ(Control("POST", "/_sim/faults",
                    {{"path_prefix", "/app/"}, {"mode", "drop"}})
                .http_status,
            200);
  auto dropped = Get("app/list/", {{"advertiser_id", seed::kAdvertiserTtUser}});
  EXPECT_NE(dropped.curl_code, 0);
  EXPECT_EQ(dropped.http_status, 0);
  ASSERT_EQ(Control("DELETE", "/_sim/faults").http_status, 200);
  EXPECT_EQ(
      Get("app/list/", {{"advertiser_id", seed::kAdvertiserTtUser}}).code(), 0);
}

TEST_F(SimControlTest, ApplyThenTimeoutCreatesTheAdButDropsTheAnswer) {
  ASSERT_EQ(Control("POST", "/_sim/faults",
                    {{"path_prefix", "/ad/create/"},
                     {"mode", "apply_then_timeout"},
                     {"count", 1}})
                .http_status,
            200);
  // A fresh connection: libcurl silently re-sends a request once when a
  // *reused* connection closes without any answer, which would hide the drop
  // (and, against real TikTok, could duplicate a write).
  http::TestClient fresh;
  auto res = Parse(fresh.Request(
      "POST", sim_->base_url() + "ad/create/",
      {"Content-Type: application/json", "Access-Token: " + token_},
      AdCreateBody().dump()));
  EXPECT_NE(res.curl_code, 0);
  EXPECT_EQ(sim_->stats().ads, 5u);  // 4 seeded + the one that "timed out".

  FaultRule held;
  held.path_prefix = "/ad/create/";
  held.mode = FaultMode::kApplyThenTimeout;
  held.latency_ms = 5000;
  held.count = 1;
  sim_->AddFault(held);
  http::TestClient fresh2;
  auto timed_out = Parse(fresh2.Request(
      "POST", sim_->base_url() + "ad/create/",
      {"Content-Type: application/json", "Access-Token: " + token_},
      AdCreateBody().dump(), /*timeout_ms=*/300));
  EXPECT_EQ(timed_out.curl_code, CURLE_OPERATION_TIMEDOUT);
  EXPECT_EQ(sim_->stats().ads, 6u);
}

TEST_F(SimControlTest, LatencyFaultsUseTimersForManyConcurrentRequests) {
  FaultRule slow;
  slow.path_prefix = "/identity/get/";
  slow.mode = FaultMode::kLatency;
  slow.latency_ms = 300;
  sim_->AddFault(slow);

  constexpr int kRequests = 1000;
  CURLM* multi = curl_multi_init();
  std::vector<CURL*> handles;
  std::string url = sim_->base_url() +
                    "identity/get/?advertiser_id=" + seed::kAdvertiserTtUser;
  curl_slist* headers =
      curl_slist_append(nullptr, ("Access-Token: " + token_).c_str());
  std::vector<std::string> bodies(kRequests);
  for (int i = 0; i < kRequests; ++i) {
    CURL* h = curl_easy_init();
    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 20000L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(
        h, CURLOPT_WRITEFUNCTION,
        +[](char* d, size_t s, size_t n, void* u) -> size_t {
          static_cast<std::string*>(u)->append(d, s * n);
          return s * n;
        });
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &bodies[i]);
    curl_multi_add_handle(multi, h);
    handles.push_back(h);
  }
  int running = 0;
  do {
    curl_multi_perform(multi, &running);
    if (running) curl_multi_poll(multi, nullptr, 0, 1000, nullptr);
  } while (running);
  int ok = 0;
  for (int i = 0; i < kRequests; ++i) {
    auto j = nlohmann::json::parse(bodies[i], nullptr, false);
    ok += !j.is_discarded() && j.value("code", -1) == 0;
    curl_multi_remove_handle(multi, handles[i]);
    curl_easy_cleanup(handles[i]);
  }
  curl_slist_free_all(headers);
  curl_multi_cleanup(multi);
  EXPECT_EQ(ok, kRequests);
  EXPECT_EQ(sim_->stats().calls["/identity/get/"].ok, kRequests);
}

TEST_F(SimControlTest, TierThrottlesWith40100) {
  ASSERT_EQ(Control("POST", "/_sim/tier", {{"tier", "basic"}}).http_status,
            200);
  EXPECT_EQ(Control("POST", "/_sim/tier", {{"tier", "gold"}}).http_status, 400);
  bool throttled = false;
  // 10 QPS: 200 loopback calls cannot all fit in separate 1-second windows.
  for (int i = 0; i < 200 && !throttled; ++i) {
    throttled =
        Get("identity/get/", {{"advertiser_id", seed::kAdvertiserTtUser}})
            .code() == kRateLimited;
  }
  EXPECT_TRUE(throttled);
}

TEST_F(SimControlTest, ResetMintStateAndStats) {
  auto code = Control("POST", "/_sim/auth_codes",
                      {{"advertiser_ids", {seed::kAdvertiserBc}}});
  ASSERT_EQ(code.http_status, 200) << code.body;
  auto exchanged = Post("oauth2/access_token/",
                        {{"app_id", "ttads-local-app"},
                         {"secret", "local-sim-secret"},
                         {"auth_code", code.json["auth_code"]}},
                        "");
  EXPECT_EQ(exchanged.code(), 0) << exchanged.body;

  auto state = Control(
      "GET", std::string("/_sim/state?advertiser_id=") + seed::kAdvertiserBc);
  ASSERT_EQ(state.http_status, 200);
  EXPECT_EQ(state.json["identities"].size(), 2u);
  EXPECT_EQ(state.json["campaigns"].size(), 8u);
  EXPECT_EQ(Control("GET", "/_sim/state?advertiser_id=nope").http_status, 404);

  ASSERT_EQ(Control("POST", "/_sim/reset").http_status, 200);
  EXPECT_EQ(sim_->stats().identities, 0u);
  // Tokens are gone with the state.
  EXPECT_EQ(
      Get("identity/get/", {{"advertiser_id", seed::kAdvertiserTtUser}}).code(),
      kTokenInvalid);
  ASSERT_EQ(Control("POST", "/_sim/reset", {{"seed", "demo"}}).http_status,
            200);
  EXPECT_EQ(sim_->stats().identities, 5u);
  EXPECT_EQ(Control("POST", "/_sim/reset", {{"seed", "bogus"}}).http_status,
            400);
  auto stats = Control("GET", "/_sim/stats");
  EXPECT_EQ(stats.json["objects"]["ads"], 4);
  EXPECT_EQ(Control("GET", "/_sim/nothing").http_status, 404);
}

}  // namespace
}  // namespace ttads::tiktok_sim
