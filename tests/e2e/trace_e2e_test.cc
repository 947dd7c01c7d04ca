// One W3C trace followed through the suite (docs/observability.md,
// "Tracing"): a REST CreateAd with a known `traceparent` goes gateway → ads
// → identity and ads → TikTok (the simulator). The trace id must appear in
// the gateway's access line, in ads' and identity's access lines (each
// naming the hop before it as its parent span), and in the simulator's
// request log, on the /ad/create/ call ads made.
//
// The services run in-process, the way their main() starts them
// (tests/support/ads_stack.h), with the real gateway in front; their log
// lines are captured through libs/log's test sink.
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "libs/http/test_client.h"
#include "libs/log/log.h"
#include "libs/testing/status_matchers.h"
#include "nlohmann/json.hpp"
#include "tests/support/ads_stack.h"
#include "tests/support/inproc_gateway.h"
#include "tests/support/suite_fixture.h"

namespace ttads {
namespace {

using json = nlohmann::json;
using ::ttads::testing::IsOk;

constexpr char kAdvertiser[] = "7101000000000000001";
constexpr char kTraceId[] = "5c1e0f3b9d2a4e7f8a6b4c3d2e1f0a9b";
constexpr char kClientSpan[] = "a1b2c3d4e5f60718";

class TraceE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    log::SetSinkForTesting([this](std::string_view line) {
      std::lock_guard<std::mutex> lock(mu_);
      lines_.push_back(json::parse(line, nullptr, /*allow_exceptions=*/false));
    });
    auto fixture = testing::SuiteFixture::Start();
    ASSERT_THAT(fixture, IsOk());
    fixture_ = *std::move(fixture);
    auto team = fixture_->CreateTeam();
    ASSERT_THAT(team, IsOk());
    team_ = *team;
    auto stack = testing::AdsStack::Start(fixture_->ServiceEnv());
    ASSERT_THAT(stack, IsOk());
    stack_ = *std::move(stack);
    ASSERT_THAT(
        stack_->Connect(fixture_->sim(), team_.owner_key, {kAdvertiser}),
        IsOk());

    auto gateway = testing::InProcessGateway::Start(
        fixture_->redis(), fixture_->teams(),
        {.address = testing::ByName(
             {{"ttads.ads.v1", testing::AddressOf(*stack_->ads)},
              {"ttads.compat.v1", testing::AddressOf(*stack_->ads)},
              {"ttads.preflight.v1", testing::AddressOf(*stack_->preflight)}},
             testing::AddressOf(*stack_->identity))});
    ASSERT_THAT(gateway, IsOk());
    gateway_ = *std::move(gateway);
  }

  void TearDown() override {
    gateway_.reset();
    if (stack_) {
      stack_->ads->kit().runner().Shutdown();
      stack_->preflight->kit().runner().Shutdown();
      stack_->identity->kit().runner().Shutdown();
    }
    log::SetSinkForTesting(nullptr);
  }

  // Captured lines with this message and trace id.
  std::vector<json> Lines(const std::string& msg, const std::string& trace) {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<json> out;
    for (const json& l : lines_) {
      if (l.is_object() && l.value("msg", "") == msg &&
          l.value("trace_id", "") == trace) {
        out.push_back(l);
      }
    }
    return out;
  }

  std::unique_ptr<testing::SuiteFixture> fixture_;
  testing::TestTeam team_;
  std::unique_ptr<testing::AdsStack> stack_;
  std::unique_ptr<testing::InProcessGateway> gateway_;
  std::mutex mu_;
  std::vector<json> lines_;
};

TEST_F(TraceE2eTest, ARestCreateAdIsOneTraceThroughAdsIdentityAndTikTok) {
  http::TestClient client;
  http::TestClient::Result r = client.Request(
      "POST", gateway_->base_url() + "/v1/ads/create",
      {"Authorization: Bearer " + team_.owner_key,
       "Content-Type: application/json", "Idempotency-Key: trace-e2e-1",
       absl::StrCat("traceparent: 00-", kTraceId, "-", kClientSpan, "-01")},
      json{{"advertiser_id", kAdvertiser},
           {"adgroup_id", "7112000000000000101"},
           {"ad_text", "Our new drop is here"},
           {"landing_page_url", "https://example.com/drop"},
           {"video_id", "7108000000000000001"},
           {"call_to_action", "BUY_NOW"}}
          .dump());
  ASSERT_EQ(r.status, 200) << r.body;

  // The gateway: its access line, and the trace in `traceresponse`.
  std::vector<json> gateway_lines = Lines("request", kTraceId);
  ASSERT_EQ(gateway_lines.size(), 1u);
  const json& gw = gateway_lines[0];
  EXPECT_EQ(gw["route"], "/v1/ads/create");
  EXPECT_EQ(gw["status"], 200);
  EXPECT_EQ(gw["parent_span_id"], kClientSpan);
  EXPECT_EQ(gw["request_id"], "trace-e2e-1");
  EXPECT_GT(gw["bytes"].get<int>(), 0);
  EXPECT_EQ(r.Header("traceresponse"),
            absl::StrCat("00-", kTraceId, "-", gw["span_id"].get<std::string>(),
                         "-01"));

  // ads' and identity's access lines, each child of the hop before.
  std::string ads_span;
  std::vector<json> calls = Lines("call", kTraceId);
  for (const json& c : calls) {
    if (c["server"] == "ads" && c["method"] == "CreateAd") {
      EXPECT_EQ(c["code"], "OK");
      EXPECT_EQ(c["parent_span_id"], gw["span_id"]);
      ads_span = c["span_id"];
    }
  }
  ASSERT_FALSE(ads_span.empty()) << "no ads CreateAd line in the trace";
  int identity_calls = 0;
  for (const json& c : calls) {
    if (c["server"] != "identity") continue;
    ++identity_calls;
    EXPECT_EQ(c["parent_span_id"], ads_span) << c;
  }
  EXPECT_GE(identity_calls, 1) << "no identity line in the trace";

  // The simulator's request log: ads' /ad/create/ carried the trace, with
  // ads' span as its parent.
  http::TestClient::Result log =
      client.Get(fixture_->sim().root_url() + "/_sim/requests");
  ASSERT_EQ(log.status, 200);
  bool ad_create_traced = false;
  for (absl::string_view line :
       absl::StrSplit(log.body, '\n', absl::SkipEmpty())) {
    json rec = json::parse(line);
    if (absl::EndsWith(rec.value("path", ""), "/ad/create/")) {
      EXPECT_EQ(rec.value("traceparent", ""),
                absl::StrCat("00-", kTraceId, "-", ads_span, "-01"));
      ad_create_traced = true;
    }
  }
  EXPECT_TRUE(ad_create_traced);
}

}  // namespace
}  // namespace ttads
