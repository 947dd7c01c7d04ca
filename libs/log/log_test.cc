#include "libs/log/log.h"

#include <mutex>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/config/config.h"
#include "libs/log/log_config.h"
#include "libs/testing/status_matchers.h"
#include "libs/trace/trace_context.h"

namespace ttads::log {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

class LogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SetSinkForTesting([this](std::string_view line) {
      std::lock_guard<std::mutex> lock(mu_);
      lines_.emplace_back(line);
    });
    Init("testsvc", Level::kInfo);
  }
  void TearDown() override { SetSinkForTesting(nullptr); }

  std::vector<std::string> Lines() {
    std::lock_guard<std::mutex> lock(mu_);
    return lines_;
  }
  nlohmann::json Last() {
    auto lines = Lines();
    EXPECT_FALSE(lines.empty());
    return lines.empty() ? nlohmann::json()
                         : nlohmann::json::parse(lines.back());
  }

  std::mutex mu_;
  std::vector<std::string> lines_;
};

TEST_F(LogTest, OneJsonObjectPerLineWithStandardFields) {
  Info("ad created", {{"ad_id", "123"}, {"count", 3}, {"ok", true}});
  ASSERT_EQ(Lines().size(), 1u);
  const std::string raw = Lines()[0];
  EXPECT_EQ(raw.back(), '\n');
  EXPECT_EQ(raw.find('\n'), raw.size() - 1);
  nlohmann::json line = Last();
  EXPECT_EQ(line["level"], "info");
  EXPECT_EQ(line["msg"], "ad created");
  EXPECT_EQ(line["service"], "testsvc");
  EXPECT_EQ(line["ad_id"], "123");
  EXPECT_EQ(line["count"], 3);
  EXPECT_EQ(line["ok"], true);
  EXPECT_FALSE(line.contains("request_id"));
  const std::string ts = line["ts"];
  EXPECT_EQ(ts.size(), 24u);  // 2026-01-02T03:04:05.678Z
  EXPECT_EQ(ts.back(), 'Z');
}

TEST_F(LogTest, LevelFilters) {
  SetLevel(Level::kWarn);
  Info("hidden");
  Debug("hidden");
  Warn("shown");
  Error("shown too");
  ASSERT_EQ(Lines().size(), 2u);
  EXPECT_EQ(Last()["level"], "error");
}

TEST_F(LogTest, RequestIdScopesNestAndStayOnTheirThread) {
  {
    ScopedRequestId outer("req-outer");
    Info("a");
    EXPECT_EQ(Last()["request_id"], "req-outer");
    {
      ScopedRequestId inner("req-inner");
      Info("b");
      EXPECT_EQ(Last()["request_id"], "req-inner");
      std::thread([] { Info("other thread"); }).join();
      EXPECT_FALSE(Last().contains("request_id"));
    }
    Info("c");
    EXPECT_EQ(Last()["request_id"], "req-outer");
    Info("explicit", {{"request_id", "given"}});
    EXPECT_EQ(Last()["request_id"], "given");
  }
  Info("d");
  EXPECT_FALSE(Last().contains("request_id"));
  EXPECT_EQ(CurrentRequestId(), "");
}

TEST_F(LogTest, SecretWrapperAndRedact) {
  const std::string token = "act.test-only-token-value";
  Info("connected", {{"access_token", Secret{token}}});
  EXPECT_EQ(Last()["access_token"], "[REDACTED]");
  EXPECT_THAT(Lines().back(), Not(HasSubstr(token)));
  EXPECT_EQ(Redact(token), "[REDACTED]");
  EXPECT_EQ(Redact(""), "");
}

TEST_F(LogTest, RegisteredSecretsAreNeverEmitted) {
  const std::string secret = "test-app-secret-\"quoted\"-value";
  RegisterSecret(secret);
  Info("oops " + secret, {{"detail", "x" + secret + "y"},
                          {secret, 1},
                          {"nested", {{"deep", secret}}}});
  const std::string line = Lines().back();
  EXPECT_THAT(line, Not(HasSubstr("test-app-secret")));
  EXPECT_THAT(line, HasSubstr("[REDACTED]"));
  EXPECT_NO_THROW(nlohmann::json::parse(line));
  EXPECT_EQ(Last()["detail"], "x[REDACTED]y");
}

TEST_F(LogTest, InvalidUtf8DoesNotThrow) {
  Info("bad \xff\xfe bytes", {{"v", std::string("\xc3")}});
  EXPECT_NO_THROW(Last());
}

TEST_F(LogTest, InitFromConfigRegistersSecretsAndLevel) {
  config::Schema schema;
  schema.Add(
      config::Key::Enum("TTADS_LOG_LEVEL", {"debug", "info", "warn", "error"})
          .Default("info"));
  schema.Add(config::Key::String("TTADS_REDIS_PASSWORD").Secret());
  auto cfg = config::Load(schema, "",
                          {{"TTADS_LOG_LEVEL", "debug"},
                           {"TTADS_REDIS_PASSWORD", "redis-pw-test-only"}});
  ASSERT_THAT(cfg, IsOk());
  InitFromConfig("cfgsvc", *cfg);
  Debug("dialing", {{"password", "redis-pw-test-only"}});
  EXPECT_EQ(Last()["service"], "cfgsvc");
  EXPECT_EQ(Last()["password"], "[REDACTED]");
}

TEST_F(LogTest, InitFromConfigLogsTheConfigurationWarnings) {
  config::Schema schema;
  config::AddLogKeys(schema);
  auto cfg = config::Load(schema, "", {{"TTADS_LOG_LEVLE", "debug"}});
  ASSERT_THAT(cfg, IsOk());
  InitFromConfig("cfgsvc", *cfg);
  ASSERT_EQ(Lines().size(), 1u);
  EXPECT_EQ(Last()["level"], "warn");
  EXPECT_EQ(Last()["warning"],
            "TTADS_LOG_LEVLE: set in the environment but no ttads binary "
            "reads it; did you mean TTADS_LOG_LEVEL?");
}

TEST_F(LogTest, InitFromTypedSettings) {
  InitFrom("typed", config::LogSettings{.level = "error",
                                        .secrets = {"typed-secret-only"}});
  Warn("dropped");
  Error("kept", {{"detail", "typed-secret-only"}});
  ASSERT_EQ(Lines().size(), 1u);
  EXPECT_EQ(Last()["service"], "typed");
  EXPECT_EQ(Last()["detail"], "[REDACTED]");
}

TEST_F(LogTest, LinesCarryTheCurrentTraceWhileOneIsActive) {
  Info("before");
  EXPECT_FALSE(Last().contains("trace_id"));
  trace::TraceContext span = trace::ContinueOrStart(
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "");
  {
    trace::ScopedTrace scope(&span);
    Warn("inside");
    EXPECT_EQ(Last()["trace_id"], "4bf92f3577b34da6a3ce929d0e0e4736");
    EXPECT_EQ(Last()["span_id"], std::string(span.span_id_view()));
    std::thread([] { Info("elsewhere"); }).join();
    EXPECT_FALSE(Last().contains("trace_id"));
    Info("explicit", {{"trace_id", "given"}});
    EXPECT_EQ(Last()["trace_id"], "given");
  }
  Info("after");
  EXPECT_FALSE(Last().contains("trace_id"));
}

TEST(AccessSampleTest, HundredKeepsAllZeroNoneAndBetweenSome) {
  SetAccessLogSamplePercent(100);
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(SampleAccess());
  SetAccessLogSamplePercent(0);
  for (int i = 0; i < 100; ++i) ASSERT_FALSE(SampleAccess());
  SetAccessLogSamplePercent(50);
  int kept = 0;
  for (int i = 0; i < 10000; ++i) kept += SampleAccess() ? 1 : 0;
  EXPECT_GT(kept, 0);
  EXPECT_LT(kept, 10000);
  SetAccessLogSamplePercent(250);
  EXPECT_EQ(AccessLogSamplePercent(), 100);
}

TEST_F(LogTest, InitFromConfigSetsTheAccessSampleRate) {
  config::Schema schema;
  config::AddLogKeys(schema);
  auto cfg =
      config::Load(schema, "", {{"TTADS_ACCESS_LOG_SAMPLE_PERCENT", "7"}});
  ASSERT_THAT(cfg, IsOk());
  InitFromConfig("cfgsvc", *cfg);
  EXPECT_EQ(AccessLogSamplePercent(), 7);
  EXPECT_THAT(
      config::Load(schema, "", {{"TTADS_ACCESS_LOG_SAMPLE_PERCENT", "101"}}),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("TTADS_ACCESS_LOG_SAMPLE_PERCENT")));
  SetAccessLogSamplePercent(100);
}

TEST(LogLevelTest, Parse) {
  EXPECT_EQ(*ParseLevel("warning"), Level::kWarn);
  EXPECT_THAT(ParseLevel("loud"), StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace ttads::log
