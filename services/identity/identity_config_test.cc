#include "services/identity/identity_config.h"

#include <map>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/status/status_macros.h"
#include "libs/testing/status_matchers.h"

namespace ttads::identity {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

std::map<std::string, std::string> Required() {
  return {{"TTADS_TIKTOK_APP_SECRET", "secret"},
          {"TTADS_TOKEN_ENCRYPTION_KEY",
           "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}};
}

absl::StatusOr<IdentityConfig> From(std::map<std::string, std::string> env) {
  TTADS_ASSIGN_OR_RETURN(config::Config config,
                         config::Load(IdentitySchema(), "", env));
  return IdentityConfigFrom(config);
}

TEST(IdentityConfigTest, Defaults) {
  auto config = From(Required());
  ASSERT_THAT(config, IsOk());
  EXPECT_EQ(config->oauth.consent_base_url,
            "https://business-api.tiktok.com/portal/auth");
  EXPECT_EQ(config->oauth.app_id, "ttads-local-app");
  EXPECT_EQ(config->oauth.default_redirect_uri, "");
  EXPECT_EQ(config->custom_identity_policy, CustomIdentityPolicy::kOptIn);
  EXPECT_EQ(config->catalog.cache_ttl, absl::Seconds(60));
  EXPECT_FALSE(config->image_fetch.allow_private);
  EXPECT_TRUE(config->image_fetch.private_allowlist.empty());
  EXPECT_EQ(config->image_fetch.max_bytes, 5u * 1024 * 1024);
  // The common keys are typed in the same load (the kit's listen address).
  EXPECT_EQ(config->common.listen_address, "0.0.0.0:50051");
  EXPECT_EQ(config->common.tiktok.app_id, "ttads-local-app");
}

TEST(IdentityConfigTest, EveryKeyReachesItsField) {
  auto env = Required();
  env["TTADS_OAUTH_CONSENT_URL"] = "http://sim.local/portal/auth";
  env["TTADS_OAUTH_REDIRECT_URI"] = "https://app.example.com/cb";
  env["TTADS_TIKTOK_APP_ID"] = "app-7";
  env["TTADS_CUSTOM_IDENTITY_POLICY"] = "reject";
  env["TTADS_IDENTITY_CACHE_TTL_SECONDS"] = "5";
  env["TTADS_FETCH_ALLOW_PRIVATE"] = "true";
  env["TTADS_FETCH_PRIVATE_ALLOWLIST"] = "127.0.0.1:8080, media:80";
  env["TTADS_FETCH_MAX_IMAGE_BYTES"] = "2048";
  auto config = From(env);
  ASSERT_THAT(config, IsOk());
  EXPECT_EQ(config->oauth.consent_base_url, "http://sim.local/portal/auth");
  EXPECT_EQ(config->oauth.default_redirect_uri, "https://app.example.com/cb");
  EXPECT_EQ(config->oauth.app_id, "app-7");
  EXPECT_EQ(config->custom_identity_policy, CustomIdentityPolicy::kReject);
  EXPECT_EQ(config->catalog.cache_ttl, absl::Seconds(5));
  EXPECT_TRUE(config->image_fetch.allow_private);
  EXPECT_THAT(config->image_fetch.private_allowlist,
              ElementsAre("127.0.0.1:8080", "media:80"));
  EXPECT_EQ(config->image_fetch.max_bytes, 2048u);
  env["TTADS_CUSTOM_IDENTITY_POLICY"] = "allow";
  EXPECT_EQ(From(env)->custom_identity_policy, CustomIdentityPolicy::kAllow);
}

TEST(IdentityConfigTest, BadValuesNameTheKey) {
  auto env = Required();
  env["TTADS_CUSTOM_IDENTITY_POLICY"] = "sometimes";
  EXPECT_THAT(From(env), StatusIs(absl::StatusCode::kInvalidArgument,
                                  HasSubstr("TTADS_CUSTOM_IDENTITY_POLICY")));
  env = Required();
  env["TTADS_IDENTITY_CACHE_TTL_SECONDS"] = "0";
  EXPECT_THAT(From(env),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("TTADS_IDENTITY_CACHE_TTL_SECONDS")));
}

TEST(IdentityConfigTest, FetchKeysComeFromLibsFetch) {
  const config::Schema schema = IdentitySchema();
  for (const char* key :
       {"TTADS_FETCH_ALLOW_PRIVATE", "TTADS_FETCH_PRIVATE_ALLOWLIST",
        "TTADS_FETCH_MAX_IMAGE_BYTES"}) {
    ASSERT_NE(schema.Find(key), nullptr) << key;
    EXPECT_FALSE(schema.Find(key)->help().empty()) << key;
  }
}

TEST(IdentityConfigTest, AccountRefresherKeys) {
  auto config = From(Required());
  ASSERT_THAT(config, IsOk());
  EXPECT_EQ(config->refresher.period, absl::Minutes(5));
  EXPECT_EQ(config->refresher.lead, absl::Hours(1));
  EXPECT_EQ(config->refresher.batch, 500u);
  EXPECT_EQ(config->refresher.backoff_initial, absl::Minutes(5));
  EXPECT_EQ(config->refresher.backoff_max, absl::Minutes(15));

  auto env = Required();
  env["TTADS_TIKTOK_ACCOUNT_REFRESH_PERIOD_SECONDS"] = "60";
  env["TTADS_TIKTOK_ACCOUNT_REFRESH_LEAD_SECONDS"] = "7200";
  env["TTADS_TIKTOK_ACCOUNT_REFRESH_BATCH"] = "20";
  config = From(env);
  ASSERT_THAT(config, IsOk());
  EXPECT_EQ(config->refresher.period, absl::Minutes(1));
  EXPECT_EQ(config->refresher.lead, absl::Hours(2));
  EXPECT_EQ(config->refresher.batch, 20u);
  EXPECT_EQ(config->refresher.backoff_initial, absl::Minutes(1));
  EXPECT_EQ(config->refresher.backoff_max, absl::Minutes(30));

  for (const char* key : {"TTADS_TIKTOK_ACCOUNT_REFRESH_PERIOD_SECONDS",
                          "TTADS_TIKTOK_ACCOUNT_REFRESH_LEAD_SECONDS",
                          "TTADS_TIKTOK_ACCOUNT_REFRESH_BATCH"}) {
    const config::Key* k = IdentitySchema().Find(key);
    ASSERT_NE(k, nullptr) << key;
    EXPECT_FALSE(k->help().empty()) << key;  // --help explains it.
    env = Required();
    env[key] = "0";
    EXPECT_THAT(From(env),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(key)));
  }
}

TEST(CustomIdentityPolicyTest, Parses) {
  EXPECT_EQ(*ParseCustomIdentityPolicy("allow"), CustomIdentityPolicy::kAllow);
  EXPECT_EQ(*ParseCustomIdentityPolicy("opt_in"), CustomIdentityPolicy::kOptIn);
  EXPECT_EQ(*ParseCustomIdentityPolicy("reject"),
            CustomIdentityPolicy::kReject);
  EXPECT_THAT(ParseCustomIdentityPolicy("sometimes"),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace ttads::identity
