#include "libs/config/usage.h"

#include "absl/flags/flag.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/config/common_settings.h"

ABSL_FLAG(std::string, usage_test_flag, "flag-default",
          "a flag of this test binary");

namespace ttads::config {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(UsageTest, ListsEveryKeyWithDefaultAndMeaning) {
  Schema schema = CommonServiceSchema(50052, 9102);
  schema.Add(Key::Int("TTADS_PREFLIGHT_RESULT_CACHE_MS", 0, 60000)
                 .Default("2000")
                 .Help("reuse of a computed check"));
  const std::string text =
      Usage("ttads-preflight", "ttads-preflight: the publish check", schema);
  EXPECT_THAT(text, HasSubstr("ttads-preflight: the publish check\n"));
  EXPECT_THAT(text, HasSubstr("Usage: ttads-preflight [flags]"));
  for (const Key& key : schema.keys()) {
    EXPECT_THAT(text, HasSubstr("  " + key.name() + " (")) << key.name();
    EXPECT_THAT(text, HasSubstr("      " + key.help() + "\n")) << key.name();
  }
  EXPECT_THAT(text,
              HasSubstr("  TTADS_PREFLIGHT_RESULT_CACHE_MS (integer 0..60000, "
                        "default 2000)\n      reuse of a computed check\n"));
  EXPECT_THAT(text, HasSubstr("  TTADS_LISTEN_ADDRESS (host:port, default "
                              "0.0.0.0:50052)"));
  EXPECT_THAT(text, HasSubstr("  TTADS_TIKTOK_APP_SECRET (text, no default, "
                              "required, secret)"));
  EXPECT_THAT(text, HasSubstr("  TTADS_LOG_LEVEL (one of debug, info, warn, "
                              "error, default info, required)"));
}

TEST(UsageTest, ListsTheBinarysOwnFlagsOnly) {
  const std::string text = Usage("t", "about", Schema());
  EXPECT_THAT(text, HasSubstr("  --usage_test_flag (default \"flag-default\")"
                              "\n      a flag of this test binary\n"));
  EXPECT_THAT(text, HasSubstr("  --help\n"));
  EXPECT_THAT(text, Not(HasSubstr("--flagfile")));
  EXPECT_THAT(text, Not(HasSubstr("Configuration")));  // no keys
}

TEST(UsageTest, HelpRequested) {
  auto asks = [](std::vector<std::string> args) {
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    return HelpRequested(static_cast<int>(argv.size()), argv.data());
  };
  EXPECT_TRUE(asks({"bin", "--help"}));
  EXPECT_TRUE(asks({"bin", "--config=x", "-h"}));
  EXPECT_TRUE(asks({"bin", "--helpfull"}));
  EXPECT_FALSE(asks({"bin"}));
  EXPECT_FALSE(asks({"bin", "--config=--help"}));
  EXPECT_FALSE(asks({"bin", "--", "--help"}));
}

TEST(UsageDeathTest, ExitWithHelpIfAskedPrintsAndExitsZero) {
  std::string program = "/usr/local/bin/ttads-x";
  std::string help = "--help";
  char* argv[] = {program.data(), help.data()};
  Schema schema;
  schema.Add(Key::Bool("TTADS_X_ON").Default("false").Help("switch"));
  EXPECT_EXIT(ExitWithHelpIfAsked(2, argv, "ttads-x: a test", schema),
              ::testing::ExitedWithCode(0), "");
  // Without --help it returns.
  ExitWithHelpIfAsked(1, argv, "ttads-x: a test", schema);
}

}  // namespace
}  // namespace ttads::config
