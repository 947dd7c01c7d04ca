#include "services/gateway/route_table.h"

#include <set>

#include "gmock/gmock.h"
#include "google/api/annotations.pb.h"
#include "gtest/gtest.h"
#include "libs/testing/status_matchers.h"

namespace ttads::gateway {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;
using ::ttads::testing::IsOk;

RouteTable Table() {
  auto table = RouteTable::FromLinkedServices("ttads.");
  EXPECT_THAT(table, IsOk());
  return *std::move(table);
}

TEST(RouteTableTest, FindsEveryLinkedService) {
  std::set<std::string> names;
  for (const auto* s : RouteTable::LinkedServices("ttads.")) {
    names.insert(s->full_name());
  }
  EXPECT_TRUE(names.count("ttads.identity.v1.IdentityService"));
  EXPECT_TRUE(names.count("ttads.preflight.v1.PreflightService"));
  EXPECT_TRUE(names.count("ttads.ads.v1.AdsService"));
  EXPECT_TRUE(names.count("ttads.audience.v1.AudienceService"));
}

TEST(RouteTableTest, EveryAnnotatedMethodHasARoute) {
  RouteTable table = Table();
  std::set<std::string> routed;
  for (const auto& r : table.routes()) routed.insert(r->method->full_name());
  int annotated = 0;
  for (const auto* s : table.services()) {
    for (int i = 0; i < s->method_count(); ++i) {
      if (!s->method(i)->options().HasExtension(google::api::http)) continue;
      ++annotated;
      EXPECT_TRUE(routed.count(s->method(i)->full_name()))
          << s->method(i)->full_name();
    }
  }
  EXPECT_GT(annotated, 20);
}

TEST(RouteTableTest, MatchesSeedRoutes) {
  RouteTable table = Table();
  auto m = table.Match("GET", "/api/v1/tiktok/publish-check");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->route->grpc_path,
            "/ttads.preflight.v1.PreflightService/PublishCheck");
  EXPECT_EQ(m->route->body, "");

  m = table.Match("PATCH", "/v1/connect/tiktok-ads");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->route->method->name(), "ConfigureBrandIdentity");
  EXPECT_EQ(m->route->body, "*");

  m = table.Match("POST", "/api/v1/tiktok/publish-check:batch");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->route->method->name(), "BatchPublishCheck");

  m = table.Match("POST", "/api/v1/tools/add_tiktok_ad/execute");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->route->method->name(), "ExecuteAddTikTokAd");
}

TEST(RouteTableTest, AdditionalBindingsAndVerbs) {
  RouteTable table = Table();
  auto get = table.Match("GET", "/v1/connect/tiktok/ads");
  auto post = table.Match("POST", "/v1/connect/tiktok/ads");
  ASSERT_TRUE(get.has_value());
  ASSERT_TRUE(post.has_value());
  EXPECT_EQ(get->route->method, post->route->method);
  EXPECT_THAT(post->bindings, ElementsAre(Pair("platform", "tiktok")));

  auto watch = table.Match("GET", "/v1/advertisers/42/ads:watch");
  ASSERT_TRUE(watch.has_value());
  EXPECT_EQ(watch->route->method->name(), "WatchAds");
  EXPECT_TRUE(watch->route->server_streaming());
  auto search = table.Match("GET", "/v1/advertisers/42/ads");
  ASSERT_TRUE(search.has_value());
  EXPECT_EQ(search->route->method->name(), "ListAds");

  auto sync =
      table.Match("POST", "/v1/advertisers/42/audiences/a1/members:sync");
  ASSERT_TRUE(sync.has_value());
  EXPECT_TRUE(sync->route->client_streaming());
  EXPECT_THAT(sync->bindings, ElementsAre(Pair("advertiser_id", "42"),
                                          Pair("audience_id", "a1")));
}

TEST(RouteTableTest, UnknownPathAndAllowedMethods) {
  RouteTable table = Table();
  EXPECT_FALSE(table.Match("GET", "/v1/nothing/here").has_value());
  EXPECT_FALSE(table.Match("DELETE", "/v1/connect/tiktok-ads").has_value());
  EXPECT_THAT(table.AllowedMethods("/v1/connect/tiktok-ads"),
              ElementsAre("GET", "PATCH"));
}

}  // namespace
}  // namespace ttads::gateway
