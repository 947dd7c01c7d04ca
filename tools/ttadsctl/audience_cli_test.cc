// `audience job show|watch` parsed, and run against an address where no
// service listens (the service itself: ttadsctl_audience_test).
#include "tools/ttadsctl/audience_cli.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/testing/free_port.h"
#include "libs/testing/status_matchers.h"
#include "tools/ttadsctl/cli_testing.h"

namespace ttads::ttadsctl {
namespace {

using testing::Captured;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::Parse;
using ::testing::StartsWith;
using ::ttads::testing::IsOk;

class AudienceCliTest : public ::testing::Test {
 protected:
  // A connection to a port nothing listens on.
  ApiConnection Nowhere() {
    auto port = ::ttads::testing::FreePort();
    EXPECT_THAT(port, IsOk());
    return {.address = "127.0.0.1:" + std::to_string(port.value_or(1)),
            .api_key = "ttads_k",
            .timeout = absl::Seconds(5)};
  }

  CLI::App app_;
  AudienceCli audience_{app_};
  Captured captured_;
};

TEST_F(AudienceCliTest, GroupsAreAudienceAndJob) {
  EXPECT_THAT(
      audience_.groups(),
      ElementsAre(app_.get_subcommand("audience"),
                  app_.get_subcommand("audience")->get_subcommand("job")));
}

TEST_F(AudienceCliTest, ShowAndWatchTakeAJobId) {
  EXPECT_THROW(Parse(app_, {"audience", "job", "show"}), CLI::RequiredError);
  CLI::App app;
  AudienceCli audience(app);
  Parse(app, {"audience", "job", "watch", "job_1"});
  EXPECT_TRUE(audience.parsed());
}

TEST_F(AudienceCliTest, ShowOfAnUnreachableServiceNamesItsAddress) {
  const ApiConnection api = Nowhere();
  Parse(app_, {"audience", "job", "show", "job_1"});
  EXPECT_TRUE(audience_.parsed());
  EXPECT_EQ(audience_.Run(api, captured_.console()), kExitFailed);
  EXPECT_THAT(captured_.err.str(), StartsWith("ttadsctl: " + api.address));
  EXPECT_THAT(captured_.err.str(), HasSubstr("(UNAVAILABLE)\n"));
  EXPECT_EQ(captured_.out.str(), "");
}

TEST_F(AudienceCliTest, WatchOfAnUnreachableServiceFails) {
  const ApiConnection api = Nowhere();
  Parse(app_, {"audience", "job", "watch", "job_1"});
  EXPECT_EQ(audience_.Run(api, captured_.console()), kExitFailed);
  EXPECT_THAT(captured_.err.str(), HasSubstr("(UNAVAILABLE)\n"));
  EXPECT_EQ(captured_.out.str(), "");
}

}  // namespace
}  // namespace ttads::ttadsctl
