#include "services/audience/audience_config.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/status/status_macros.h"
#include "libs/testing/status_matchers.h"

namespace ttads::audience {
namespace {

using ::testing::HasSubstr;
using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

// A base64 32-byte key made for this test only.
constexpr char kTestKey[] = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

std::map<std::string, std::string> Env(
    std::map<std::string, std::string> extra = {}) {
  extra.emplace("TTADS_TIKTOK_APP_SECRET", "s");
  extra.emplace("TTADS_TOKEN_ENCRYPTION_KEY", kTestKey);
  return extra;
}

absl::StatusOr<AudienceConfig> Typed(std::map<std::string, std::string> env) {
  TTADS_ASSIGN_OR_RETURN(config::Config raw,
                         config::Load(AudienceSchema(), "", env));
  return AudienceConfigFrom(raw);
}

TEST(AudienceConfigTest, Defaults) {
  auto c = Typed(Env());
  ASSERT_THAT(c, IsOk());
  EXPECT_EQ(c->common.listen_address, "0.0.0.0:50054");
  EXPECT_EQ(c->common.admin_address, "0.0.0.0:9104");
  EXPECT_EQ(c->workers, 2);
  EXPECT_EQ(c->max_file_bytes, 50 << 20);
  EXPECT_EQ(c->chunk_digests, 262144);
  EXPECT_EQ(c->claim_idle, absl::Minutes(1));
  EXPECT_EQ(c->refresh_interval, absl::Hours(24));
  EXPECT_EQ(c->scheduler_every, absl::Seconds(5));
  EXPECT_EQ(c->normalizer.default_region, "US");
  EXPECT_EQ(c->normalizer.email_rule, identifiers::EmailRule::kAllDomains);
  EXPECT_EQ(c->normalizer.phone_hash_form,
            identifiers::PhoneHashForm::kE164WithPlus);
  EXPECT_EQ(c->temp_dir, "/tmp");
}

TEST(AudienceConfigTest, EveryOwnKeyReachesItsField) {
  auto c = Typed(Env({{"TTADS_AUDIENCE_WORKERS", "0"},
                      {"TTADS_AUDIENCE_MAX_FILE_BYTES", "65000"},
                      {"TTADS_AUDIENCE_CHUNK_DIGESTS", "1000"},
                      {"TTADS_AUDIENCE_CLAIM_IDLE_MS", "500"},
                      {"TTADS_AUDIENCE_REFRESH_SECONDS", "3600"},
                      {"TTADS_AUDIENCE_SCHEDULER_MS", "100"},
                      {"TTADS_AUDIENCE_DEFAULT_REGION", "gb"},
                      {"TTADS_AUDIENCE_EMAIL_RULE", "gmail_only"},
                      {"TTADS_AUDIENCE_PHONE_FORM", "digits"},
                      {"TTADS_AUDIENCE_TEMP_DIR", "/var/tmp/ttads"}}));
  ASSERT_THAT(c, IsOk());
  EXPECT_EQ(c->workers, 0);
  EXPECT_EQ(c->max_file_bytes, 65000);
  EXPECT_EQ(c->chunk_digests, 1000);
  EXPECT_EQ(c->claim_idle, absl::Milliseconds(500));
  EXPECT_EQ(c->refresh_interval, absl::Hours(1));
  EXPECT_EQ(c->scheduler_every, absl::Milliseconds(100));
  EXPECT_EQ(c->normalizer.default_region, "GB");  // canonical
  EXPECT_EQ(c->normalizer.email_rule, identifiers::EmailRule::kGmailOnly);
  EXPECT_EQ(c->normalizer.phone_hash_form,
            identifiers::PhoneHashForm::kDigitsOnly);
  EXPECT_EQ(c->temp_dir, "/var/tmp/ttads");

  auto none = Typed(Env({{"TTADS_AUDIENCE_EMAIL_RULE", "none"}}));
  ASSERT_THAT(none, IsOk());
  EXPECT_EQ(none->normalizer.email_rule, identifiers::EmailRule::kNone);
}

TEST(AudienceConfigTest, UnknownRegionIsRefusedAtLoad) {
  EXPECT_THAT(Typed(Env({{"TTADS_AUDIENCE_DEFAULT_REGION", "XX1"}})),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("TTADS_AUDIENCE_DEFAULT_REGION: must be an "
                                 "ISO 3166-1 alpha-2 region code")));
}

TEST(AudienceConfigTest, OutOfRangeValuesNameTheKey) {
  EXPECT_THAT(Typed(Env({{"TTADS_AUDIENCE_WORKERS", "65"}})),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("TTADS_AUDIENCE_WORKERS")));
  EXPECT_THAT(Typed(Env({{"TTADS_AUDIENCE_PHONE_FORM", "national"}})),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("TTADS_AUDIENCE_PHONE_FORM")));
}

}  // namespace
}  // namespace ttads::audience
