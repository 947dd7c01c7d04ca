// The gateway's /docs page in a real browser (Debian's headless Chromium,
// driven by docs_page/docs_page.mjs): the page loads from this gateway
// alone under its Content-Security-Policy, lists the seeds' paths from
// /openapi.json, and a "Try it out" call authorized with a team's API key
// through the page's Authorize dialog reaches the identity service and
// answers 200. The suite runs in-process (identity, preflight, ads against
// the TikTok simulator, and the gateway in front). Skipped without chromium
// or node.
#include <stdio.h>
#include <sys/wait.h>

#include <array>
#include <iostream>
#include <map>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/testing/status_matchers.h"
#include "nlohmann/json.hpp"
#include "tests/support/ads_stack.h"
#include "tests/support/inproc_gateway.h"
#include "tests/support/suite_fixture.h"
#include "tools/tiktok_sim/seed.h"

namespace ttads {
namespace {

using json = nlohmann::json;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::ttads::testing::IsOk;
namespace seed = ::ttads::tiktok_sim::seed;

// Runs `command`; its stdout and exit code.
std::pair<std::string, int> RunCommand(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return {"", -1};
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0)
    out.append(buf.data(), n);
  int status = pclose(pipe);
  return {out, WIFEXITED(status) ? WEXITSTATUS(status) : -1};
}

class DocsPageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto fixture = testing::SuiteFixture::Start();
    ASSERT_THAT(fixture, IsOk());
    fixture_ = *std::move(fixture);
    auto stack = testing::AdsStack::Start(fixture_->ServiceEnv());
    ASSERT_THAT(stack, IsOk());
    stack_ = *std::move(stack);
    auto team = fixture_->CreateTeam();
    ASSERT_THAT(team, IsOk());
    key_ = team->owner_key;
    ASSERT_THAT(
        stack_->Connect(fixture_->sim(), key_, {seed::kAdvertiserTtUser}),
        IsOk());

    // Each service at the process that serves it; the others nowhere (their
    // routes answer 503, which this test does not call).
    const std::map<std::string, std::string> served = {
        {"ttads.identity.v1", testing::AddressOf(*stack_->identity)},
        {"ttads.preflight.v1", testing::AddressOf(*stack_->preflight)},
        {"ttads.ads.v1", testing::AddressOf(*stack_->ads)},
        {"ttads.compat.v1", testing::AddressOf(*stack_->ads)}};
    auto gateway =
        testing::InProcessGateway::Start(fixture_->redis(), fixture_->teams(),
                                         {.address = testing::ByName(served)});
    ASSERT_THAT(gateway, IsOk());
    gateway_ = *std::move(gateway);
    base_ = gateway_->base_url();
  }

  void TearDown() override { gateway_.reset(); }

  std::unique_ptr<testing::SuiteFixture> fixture_;
  std::unique_ptr<testing::AdsStack> stack_;
  std::string key_;
  std::unique_ptr<testing::InProcessGateway> gateway_;
  std::string base_;
};

TEST_F(DocsPageTest, ListsTheSeedsPathsAndTriesACallWithTheKey) {
  auto [out, code] = RunCommand(
      absl::StrCat("bash '", TTADS_DOCS_PAGE_DIR, "/run.sh' '", base_, "' '",
                   key_, "' '", seed::kAdvertiserTtUser, "'"));
  if (code == 77) GTEST_SKIP() << "chromium or node is not installed";
  ASSERT_EQ(code, 0) << out;
  json report = json::parse(out, nullptr, /*allow_exceptions=*/false);
  ASSERT_FALSE(report.is_discarded()) << out;
  ASSERT_TRUE(report["error"].is_null()) << report.dump(2);
  std::cout << "browser steps (ms): " << report["stepsMs"].dump() << "\n";

  // The page and its headers.
  EXPECT_EQ(report["pageStatus"], 200);
  EXPECT_EQ(report["pageHeaders"]["content-type"], "text/html; charset=utf-8");
  EXPECT_THAT(
      report["pageHeaders"]["content-security-policy"].get<std::string>(),
      HasSubstr("script-src 'self'"));
  EXPECT_THAT(report["foreignRequests"], IsEmpty()) << report.dump(2);
  EXPECT_THAT(report["cspViolations"], IsEmpty()) << report.dump(2);
  EXPECT_THAT(report["pageErrors"], IsEmpty()) << report.dump(2);

  // The seeds' paths (Wevion, Zernio, Adspirer) are listed.
  for (const char* path :
       {"/api/v1/tiktok/identities/check", "/api/v1/tiktok/publish-check",
        "/v1/connect/tiktok-ads", "/v1/ads/create",
        "/api/v1/tools/add_tiktok_ad/execute"}) {
    EXPECT_THAT(report["paths"], Contains(path));
  }

  // "Try it out" with the key from the Authorize dialog.
  const json& tried = report["tryIt"];
  EXPECT_EQ(tried["request"]["authorization"], "Bearer " + key_);
  EXPECT_EQ(tried["request"]["status"], 200);
  EXPECT_EQ(tried["shownStatus"], "200");
  json shown = json::parse(tried["shownBody"].get<std::string>(), nullptr,
                           /*allow_exceptions=*/false);
  EXPECT_EQ(shown["hasIdentity"], true) << tried.dump(2);
}

}  // namespace
}  // namespace ttads
