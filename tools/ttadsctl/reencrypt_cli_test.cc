// `reencrypt [--apply | --dry-run]` parsed and run on a private
// redis-server holding no tokens.
#include "tools/ttadsctl/reencrypt_cli.h"

#include <memory>
#include <string>

#include "absl/strings/escaping.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/testing/private_redis.h"
#include "libs/testing/status_matchers.h"
#include "nlohmann/json.hpp"
#include "tools/ttadsctl/cli_testing.h"

namespace ttads::ttadsctl {
namespace {

using testing::Captured;
using testing::Parse;
using ::ttads::testing::IsOk;

class ReencryptCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto redis = ::ttads::testing::PrivateRedis::Start();
    ASSERT_THAT(redis, IsOk());
    redis_ = *std::move(redis);
    auto keys = crypto::ParseKeyRing(
        "", "a:" + absl::Base64Escape(std::string(32, 'a')), "a");
    ASSERT_THAT(keys, IsOk());
    keys_ = std::make_unique<crypto::KeyRing>(*std::move(keys));
  }

  // The JSON report of `reencrypt <flags>`.
  nlohmann::json Report(const std::vector<std::string>& flags) {
    CLI::App app;
    ReencryptCli reencrypt(app);
    std::vector<std::string> args = {"reencrypt"};
    args.insert(args.end(), flags.begin(), flags.end());
    Parse(app, args);
    EXPECT_TRUE(reencrypt.parsed());
    Captured captured;
    EXPECT_EQ(
        reencrypt.Run(*redis_->pool(), *keys_, captured.console(/*json=*/true)),
        kExitOk);
    return nlohmann::json::parse(captured.out.str());
  }

  std::unique_ptr<::ttads::testing::PrivateRedis> redis_;
  std::unique_ptr<crypto::KeyRing> keys_;
};

TEST_F(ReencryptCliTest, DryRunUnlessApply) {
  EXPECT_EQ(Report({})["applied"], false);
  EXPECT_EQ(Report({"--dry-run"})["applied"], false);
  nlohmann::json applied = Report({"--apply"});
  EXPECT_EQ(applied["applied"], true);
  EXPECT_EQ(applied["current_key"], "a");
  EXPECT_EQ(applied["tokens"], 0);
}

TEST_F(ReencryptCliTest, ApplyAndDryRunExcludeEachOther) {
  CLI::App app;
  ReencryptCli reencrypt(app);
  EXPECT_THROW(Parse(app, {"reencrypt", "--apply", "--dry-run"}),
               CLI::ExcludesError);
}

}  // namespace
}  // namespace ttads::ttadsctl
