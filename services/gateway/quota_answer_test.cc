#include "services/gateway/quota_answer.h"

#include "gtest/gtest.h"

namespace ttads::gateway {
namespace {

TEST(QuotaMessageTest, AdspirerWording) {
  QuotaUsage u{150, 150, "plus", "2026-05-01", false};
  EXPECT_EQ(
      LimitReachedMessage(u, "tool calls", "https://example.test/upgrade"),
      "Monthly limit reached (150/150 tool calls on Plus tier).\n"
      "Upgrade your plan at https://example.test/upgrade to keep building.");
  nlohmann::json j = QuotaJson(u, true, "https://example.test/upgrade");
  EXPECT_EQ(
      j.dump(),
      R"({"limit":150,"period_end":"2026-05-01","tier":"plus","upgrade_url":"https://example.test/upgrade","used":150})");
}

TEST(QuotaJsonTest, UnlimitedHasANullLimitAndNoUpgradeUrlUnlessAsked) {
  QuotaUsage u{5, 0, "enterprise", "2026-05-01", true};
  nlohmann::json j = QuotaJson(u, false, "https://example.test/upgrade");
  EXPECT_TRUE(j["limit"].is_null());
  EXPECT_EQ(j["used"], 5);
  EXPECT_FALSE(j.contains("upgrade_url"));
}

TEST(QuotaMessageTest, WithoutUpgradeUrlSaysWhenTheLimitResets) {
  QuotaUsage u{100, 100, "free", "2026-05-01", false};
  EXPECT_EQ(LimitReachedMessage(u, "API calls", ""),
            "Monthly limit reached (100/100 API calls on Free tier).\n"
            "The limit resets on 2026-05-01.");
}

}  // namespace
}  // namespace ttads::gateway
