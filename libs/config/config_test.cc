#include "libs/config/config.h"

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/testing/status_matchers.h"

namespace ttads::config {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

// A base64 32-byte key made for this test only.
constexpr char kTestKey[] = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

class ConfigFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("config_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& text) {
    std::string path = (dir_ / "ttads.env").string();
    std::ofstream(path) << text;
    return path;
  }

  std::filesystem::path dir_;
};

Schema TestSchema() {
  Schema s;
  s.Add(Key::String("TTADS_NAME").Default("svc"));
  s.Add(Key::Int("TTADS_POOL", 1, 256).Default("8"));
  s.Add(Key::Bool("TTADS_FLAG").Default("false"));
  s.Add(Key::Enum("TTADS_LEVEL", {"debug", "info"}).Default("info"));
  s.Add(Key::HostPort("TTADS_ADDR").Default("127.0.0.1:1"));
  s.Add(Key::Url("TTADS_URL").Default("http://localhost/x/"));
  s.Add(Key::String("TTADS_PASSWORD").Secret());
  s.Add(Key::Base64Key32("TTADS_KEY").Required());
  return s;
}

TEST_F(ConfigFileTest, DefaultsFileThenEnvironment) {
  std::string path = Write(
      "# comment\n"
      "\n"
      "TTADS_NAME=from-file\n"
      "export TTADS_POOL = 16\n"
      "TTADS_FLAG=\"yes\"\n"
      "TTADS_KEY=" +
      std::string(kTestKey) + "\n");
  auto config = Load(TestSchema(), path,
                     {{"TTADS_POOL", "32"}, {"TTADS_UNRELATED", "ignored"}});
  ASSERT_THAT(config, IsOk());
  EXPECT_EQ(config->GetString("TTADS_NAME"), "from-file");
  EXPECT_EQ(config->source("TTADS_NAME"), Config::Source::kFile);
  EXPECT_EQ(config->GetInt("TTADS_POOL"), 32);
  EXPECT_EQ(config->source("TTADS_POOL"), Config::Source::kEnvironment);
  EXPECT_TRUE(config->GetBool("TTADS_FLAG"));
  EXPECT_EQ(config->GetString("TTADS_LEVEL"), "info");
  EXPECT_EQ(config->source("TTADS_LEVEL"), Config::Source::kDefault);
  EXPECT_FALSE(config->IsSet("TTADS_PASSWORD"));
}

TEST_F(ConfigFileTest, UnknownFileKeyNamesKeyAndLine) {
  std::string path = Write("TTADS_NAME=x\n\nTTADS_TYPO=1\n");
  auto config = Load(TestSchema(), path, {{"TTADS_KEY", kTestKey}});
  EXPECT_THAT(config,
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("ttads.env:3: TTADS_TYPO: unknown key")));
}

TEST_F(ConfigFileTest, MisspeltFileKeyNamesTheClosestDeclaredKey) {
  std::string path = Write("TTADS_PASWORD=x\nTTADS_SOMETHING_ELSE=1\n");
  auto config = Load(TestSchema(), path, {{"TTADS_KEY", kTestKey}});
  EXPECT_THAT(config,
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("ttads.env:1: TTADS_PASWORD: unknown key; "
                                 "did you mean TTADS_PASSWORD?")));
  // Nothing declared is close: no suggestion.
  EXPECT_THAT(config, StatusIs(absl::StatusCode::kInvalidArgument,
                               HasSubstr("ttads.env:2: TTADS_SOMETHING_ELSE: "
                                         "unknown key")));
  EXPECT_THAT(std::string(config.status().message()),
              Not(HasSubstr("TTADS_SOMETHING_ELSE: unknown key; did")));
}

TEST_F(ConfigFileTest, BadFileValueNamesKeyAndLine) {
  std::string path = Write("TTADS_POOL=x\n");
  auto config = Load(TestSchema(), path, {{"TTADS_KEY", kTestKey}});
  EXPECT_THAT(config, StatusIs(absl::StatusCode::kInvalidArgument,
                               HasSubstr(":1: TTADS_POOL: must be an integer "
                                         "in [1, 256], got \"x\"")));
}

TEST_F(ConfigFileTest, LineWithoutEqualsIsError) {
  std::string path = Write("TTADS_NAME\n");
  auto config = Load(TestSchema(), path, {{"TTADS_KEY", kTestKey}});
  EXPECT_THAT(config, StatusIs(absl::StatusCode::kInvalidArgument,
                               HasSubstr(":1: expected KEY=value")));
}

TEST(ConfigTest, MissingFileIsError) {
  auto config =
      Load(TestSchema(), "/nonexistent/ttads.env", {{"TTADS_KEY", kTestKey}});
  EXPECT_THAT(config, StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(ConfigTest, RequiredKeyMissing) {
  auto config = Load(TestSchema(), "", {});
  EXPECT_THAT(config, StatusIs(absl::StatusCode::kInvalidArgument,
                               HasSubstr("TTADS_KEY: is required")));
}

TEST(ConfigTest, EachValidatorRejectsBadValues) {
  const std::map<std::string, std::string> cases = {
      {"TTADS_POOL", "0"},          {"TTADS_POOL", "257"},
      {"TTADS_FLAG", "maybe"},      {"TTADS_LEVEL", "trace"},
      {"TTADS_ADDR", "nohostport"}, {"TTADS_ADDR", "host:99999"},
      {"TTADS_URL", "ftp://x/"},    {"TTADS_URL", "http://"},
  };
  for (const auto& [key, value] : cases) {
    auto config =
        Load(TestSchema(), "", {{"TTADS_KEY", kTestKey}, {key, value}});
    EXPECT_THAT(config,
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(key)))
        << key << "=" << value;
  }
  // Several at once are all reported.
  auto both = Load(
      TestSchema(), "",
      {{"TTADS_KEY", kTestKey}, {"TTADS_POOL", "x"}, {"TTADS_LEVEL", "y"}});
  EXPECT_THAT(both, StatusIs(absl::StatusCode::kInvalidArgument,
                             ::testing::AllOf(HasSubstr("TTADS_POOL"),
                                              HasSubstr("TTADS_LEVEL"))));
}

TEST(ConfigTest, AcceptsValidForms) {
  auto config = Load(TestSchema(), "",
                     {{"TTADS_KEY", kTestKey},
                      {"TTADS_ADDR", "[::1]:0"},
                      {"TTADS_URL", "https://business-api.tiktok.com/x/"},
                      {"TTADS_FLAG", "ON"}});
  ASSERT_THAT(config, IsOk());
  EXPECT_TRUE(config->GetBool("TTADS_FLAG"));
}

TEST(ConfigTest, SecretsNeverPrinted) {
  const std::string password = "hunter2-test-only";
  auto config = Load(TestSchema(), "",
                     {{"TTADS_KEY", kTestKey}, {"TTADS_PASSWORD", password}});
  ASSERT_THAT(config, IsOk());
  const std::string described = config->Describe();
  EXPECT_THAT(described, HasSubstr("TTADS_PASSWORD=<redacted>"));
  EXPECT_THAT(described, HasSubstr("TTADS_NAME=svc"));
  EXPECT_THAT(described, Not(HasSubstr(password)));
  EXPECT_THAT(described, Not(HasSubstr(kTestKey)));
  EXPECT_THAT(config->SecretValues(),
              ::testing::UnorderedElementsAre(password, kTestKey));

  // A bad secret is reported without its value.
  auto bad = Load(TestSchema(), "", {{"TTADS_KEY", "c2hvcnQtc2VjcmV0"}});
  EXPECT_THAT(bad, StatusIs(absl::StatusCode::kInvalidArgument,
                            HasSubstr("TTADS_KEY: must be base64 of exactly "
                                      "32 bytes")));
  EXPECT_THAT(std::string(bad.status().message()),
              Not(HasSubstr("c2hvcnQtc2VjcmV0")));
}

TEST(ConfigTest, EnvironmentKeyNoBinaryReadsIsAWarningWithASuggestion) {
  // TTADS_PASWORD is misspelt (TestSchema declares TTADS_PASSWORD);
  // TTADS_REDIS_ADRESS is a misspelt common key, which this binary does not
  // declare but others read.
  auto config = Load(TestSchema(), "",
                     {{"TTADS_KEY", kTestKey},
                      {"TTADS_PASWORD", "x"},
                      {"TTADS_REDIS_ADRESS", "127.0.0.1:1"},
                      {"TTADS_QQQQQQQQQQQQ", "1"}});
  ASSERT_THAT(config, IsOk());
  EXPECT_THAT(
      config->warnings(),
      ElementsAre(
          "TTADS_PASWORD: set in the environment but no ttads binary reads "
          "it; did you mean TTADS_PASSWORD?",
          "TTADS_QQQQQQQQQQQQ: set in the environment but no ttads binary "
          "reads it",
          "TTADS_REDIS_ADRESS: set in the environment but no ttads binary "
          "reads it; did you mean TTADS_REDIS_ADDRESS?"));
  // The misspelt value is not used.
  EXPECT_FALSE(config->IsSet("TTADS_PASSWORD"));
}

TEST(ConfigTest, KeysOfOtherBinariesAndOtherVariablesAreNotReported) {
  // A shared environment (run/ttads.env, a ConfigMap) carries every
  // binary's keys; TestSchema declares none of these.
  auto config = Load(TestSchema(), "",
                     {{"TTADS_KEY", kTestKey},
                      {"TTADS_GATEWAY_THREADS", "4"},
                      {"TTADS_AUDIENCE_WORKERS", "2"},
                      {"TTADS_REDIS_ADDRESS", "127.0.0.1:6390"},
                      {"TTADS_CONFIG", "/etc/ttads.env"},
                      {"PATH", "/usr/bin"},
                      {"TTADS", "x"}});
  ASSERT_THAT(config, IsOk());
  EXPECT_THAT(config->warnings(), IsEmpty());
}

TEST(ConfigTest, GrpcTargetsAreHostPortsOrGrpcTargetUris) {
  const Key key = Key::GrpcTarget("TTADS_ADS_ADDRESS");
  for (const char* good :
       {"ads:50053", "ads.ttads.svc.cluster.local:50053", "[::1]:50053",
        "dns:///ads-headless:50053", "dns:ads:50053",
        "dns://10.0.0.10:53/ads:50053", "ipv4:127.0.0.1:7001",
        "ipv4:127.0.0.1:7001,127.0.0.2:7002", "ipv6:[::1]:7001,[::1]:7002",
        "unix:/run/ttads/ads.sock"}) {
    EXPECT_EQ(key.Check(good), std::nullopt) << good;
  }
  for (const char* bad : {"ads", "dns:///ads", "dns://resolver-without-path",
                          "ipv4:", "ipv4:127.0.0.1", "ipv4:127.0.0.1:7001,",
                          "ipv4:[::1]:7001", "ipv6:127.0.0.1:7001", "unix:",
                          "http://ads:50053", "ipv4:127.0.0.1:99999"}) {
    auto error = key.Check(bad);
    ASSERT_TRUE(error.has_value()) << bad;
    EXPECT_THAT(*error, HasSubstr("gRPC target")) << bad;
  }
}

TEST(ConfigDeathTest, UndeclaredKeyAborts) {
  auto config = Load(TestSchema(), "", {{"TTADS_KEY", kTestKey}});
  ASSERT_THAT(config, IsOk());
  EXPECT_DEATH(config->GetString("TTADS_NOPE"), "TTADS_NOPE");
}

}  // namespace
}  // namespace ttads::config
