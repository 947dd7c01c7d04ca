#include "services/gateway/path_template.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/testing/status_matchers.h"

namespace ttads::gateway {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;
using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

TEST(PathTemplateTest, LiteralsAndVariables) {
  auto t = PathTemplate::Parse("/v1/advertisers/{advertiser_id}/ads/{ad_id}");
  ASSERT_THAT(t, IsOk());
  auto b = t->Match("/v1/advertisers/123/ads/a%2Fb");
  ASSERT_TRUE(b.has_value());
  EXPECT_THAT(*b,
              ElementsAre(Pair("advertiser_id", "123"), Pair("ad_id", "a/b")));
  EXPECT_FALSE(t->Match("/v1/advertisers/123/ads").has_value());
  EXPECT_FALSE(t->Match("/v1/advertisers//ads/x").has_value());
  EXPECT_FALSE(t->Match("/v1/advertisers/1/ads/x/y").has_value());
  EXPECT_EQ(t->literal_count(), 3);
}

TEST(PathTemplateTest, CustomVerb) {
  auto t = PathTemplate::Parse("/v1/tiktok/connections/{connection_id}:revoke");
  ASSERT_THAT(t, IsOk());
  EXPECT_EQ(t->verb(), "revoke");
  auto b = t->Match("/v1/tiktok/connections/c1:revoke");
  ASSERT_TRUE(b.has_value());
  EXPECT_THAT(*b, ElementsAre(Pair("connection_id", "c1")));
  EXPECT_FALSE(t->Match("/v1/tiktok/connections/c1").has_value());
  EXPECT_FALSE(t->Match("/v1/tiktok/connections/c1:cancel").has_value());

  auto lit = PathTemplate::Parse("/v1/tiktok:call");
  ASSERT_THAT(lit, IsOk());
  EXPECT_TRUE(lit->Match("/v1/tiktok:call").has_value());
  EXPECT_FALSE(lit->Match("/v1/tiktok").has_value());
}

TEST(PathTemplateTest, MultiSegmentVariables) {
  auto t = PathTemplate::Parse("/v1/{name=files/**}");
  ASSERT_THAT(t, IsOk());
  auto b = t->Match("/v1/files/a/b%20c/d");
  ASSERT_TRUE(b.has_value());
  EXPECT_THAT(*b, ElementsAre(Pair("name", "files/a/b c/d")));

  auto nested = PathTemplate::Parse("/v1/{parent.name=projects/*}/topics");
  ASSERT_THAT(nested, IsOk());
  auto nb = nested->Match("/v1/projects/p1/topics");
  ASSERT_TRUE(nb.has_value());
  EXPECT_THAT(*nb, ElementsAre(Pair("parent.name", "projects/p1")));
  EXPECT_EQ(nested->OpenApiPath(), "/v1/{parent.name}/topics");
}

TEST(PathTemplateTest, RejectsBadSyntax) {
  EXPECT_THAT(PathTemplate::Parse("v1/x"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("must start with '/'")));
  EXPECT_THAT(
      PathTemplate::Parse("/v1/{x"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("expected '}'")));
  EXPECT_THAT(PathTemplate::Parse("/v1/**/x"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("'**' must be the last segment")));
  EXPECT_THAT(
      PathTemplate::Parse("/v1/{a}/{a}"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("repeats")));
  EXPECT_THAT(PathTemplate::Parse("/v1/x:"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("expected a verb after ':'")));
}

TEST(PathTemplateTest, OpenApiPathKeepsVerb) {
  auto t = PathTemplate::Parse("/v1/advertisers/{advertiser_id}/ads:watch");
  ASSERT_THAT(t, IsOk());
  EXPECT_EQ(t->OpenApiPath(), "/v1/advertisers/{advertiser_id}/ads:watch");
}

}  // namespace
}  // namespace ttads::gateway
