// The flags before the command and the settings they override.
#include "tools/ttadsctl/global_flags.h"

#include <filesystem>
#include <fstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/testing/status_matchers.h"
#include "tools/ttadsctl/cli_testing.h"

namespace ttads::ttadsctl {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;
using testing::Parse;
using ::ttads::testing::IsOkAndHolds;
using ::ttads::testing::StatusIs;

class GlobalFlagsTest : public ::testing::Test {
 protected:
  // A file holding `text`, in the test's temporary directory.
  std::string File(const std::string& name, const std::string& text) {
    const std::string path = ::testing::TempDir() + "/global_flags_" + name;
    std::ofstream(path) << text;
    return path;
  }

  CLI::App app_;
  GlobalFlags flags_{app_};
};

TEST_F(GlobalFlagsTest, DefaultsOverrideNothing) {
  Parse(app_, {});
  EXPECT_FALSE(flags_.json());
  EXPECT_EQ(flags_.api_timeout(), absl::Seconds(10));
  EXPECT_FALSE(flags_.redis_direct());
  EXPECT_THAT(flags_.Overrides(), IsOkAndHolds(IsEmpty()));
}

TEST_F(GlobalFlagsTest, FlagsGivenOverrideTheirSettings) {
  Parse(app_, {"-o", "json", "--redis=redis.internal:6380", "--redis-username",
               "ops", "--audience-address=aud:50051", "--api-timeout-ms=250"});
  EXPECT_TRUE(flags_.json());
  EXPECT_EQ(flags_.api_timeout(), absl::Milliseconds(250));
  EXPECT_THAT(flags_.Overrides(),
              IsOkAndHolds(ElementsAre(
                  Pair("TTADS_AUDIENCE_ADDRESS", "aud:50051"),
                  Pair("TTADS_REDIS_ADDRESS", "redis.internal:6380"),
                  Pair("TTADS_REDIS_USERNAME", "ops"))));
}

TEST_F(GlobalFlagsTest, FileFlagsGiveTheFirstLineAndWinOverTheValueFlag) {
  Parse(app_, {"--redis-password=on-the-command-line",
               "--redis-password-file=" + File("pw", "s3cret\r\nsecond\n"),
               "--api-key-file=" + File("key", "ttads_abc")});
  EXPECT_THAT(flags_.Overrides(), IsOkAndHolds(ElementsAre(
                                      Pair("TTADS_API_KEY", "ttads_abc"),
                                      Pair("TTADS_REDIS_PASSWORD", "s3cret"))));
}

TEST_F(GlobalFlagsTest, UnreadableFileIsInvalidArgumentNamingIt) {
  const std::string path = File("gone", "x");
  Parse(app_, {"--redis-sentinel-password-file=" + path});
  std::filesystem::remove(path);
  EXPECT_THAT(flags_.Overrides(), StatusIs(absl::StatusCode::kInvalidArgument,
                                           HasSubstr("cannot read " + path)));
}

TEST_F(GlobalFlagsTest, TlsFlagOrTlsFilesTurnTlsOn) {
  Parse(app_, {"--redis-tls"});
  EXPECT_THAT(flags_.Overrides(),
              IsOkAndHolds(ElementsAre(Pair("TTADS_REDIS_TLS", "true"))));
}

TEST_F(GlobalFlagsTest, TlsCaFileImpliesTls) {
  Parse(app_, {"--redis-tls-ca-file=/etc/ca.pem"});
  EXPECT_THAT(flags_.Overrides(),
              IsOkAndHolds(
                  ElementsAre(Pair("TTADS_REDIS_TLS", "true"),
                              Pair("TTADS_REDIS_TLS_CA_FILE", "/etc/ca.pem"))));
}

TEST_F(GlobalFlagsTest, TlsCertFileImpliesTls) {
  Parse(app_, {"--redis-tls-cert-file=/etc/c.pem"});
  EXPECT_THAT(flags_.Overrides(),
              IsOkAndHolds(ElementsAre(
                  Pair("TTADS_REDIS_TLS", "true"),
                  Pair("TTADS_REDIS_TLS_CERT_FILE", "/etc/c.pem"))));
}

TEST_F(GlobalFlagsTest, RedisDirectExcludesTheAdminAddress) {
  EXPECT_THROW(Parse(app_, {"--redis-direct", "--admin-address=id:50051"}),
               CLI::ExcludesError);
}

TEST_F(GlobalFlagsTest, RedisDirect) {
  Parse(app_, {"--redis-direct"});
  EXPECT_TRUE(flags_.redis_direct());
}

TEST_F(GlobalFlagsTest, OutputAndTimeoutAreChecked) {
  EXPECT_THROW(Parse(app_, {"--output", "xml"}), CLI::ValidationError);
  EXPECT_THROW(Parse(app_, {"--api-timeout-ms=0"}), CLI::ValidationError);
}

}  // namespace
}  // namespace ttads::ttadsctl
