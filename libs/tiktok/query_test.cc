#include "libs/tiktok/query.h"

#include "gtest/gtest.h"

namespace ttads::tiktok {
namespace {

TEST(EncodeQueryTest, PercentEncodesKeysAndValues) {
  EXPECT_EQ(EncodeQuery({{"k y", "a b&c=d/é"}, {"aZ09-._~", "aZ09-._~"}}),
            "aZ09-._~=aZ09-._~&k%20y=a%20b%26c%3Dd%2F%C3%A9");
}

TEST(EncodeQueryTest, JsonEncodesArraysAndObjects) {
  nlohmann::json params = {
      {"advertiser_id", "123"},
      {"page", 2},
      {"fields", {"ad_id", "ad_name"}},
      {"filtering", {{"primary_status", "STATUS_ALL"}}},
      {"skip", nullptr},
      {"flag", true},
  };
  EXPECT_EQ(EncodeQuery(params),
            "advertiser_id=123"
            "&fields=%5B%22ad_id%22%2C%22ad_name%22%5D"
            "&filtering=%7B%22primary_status%22%3A%22STATUS_ALL%22%7D"
            "&flag=true&page=2");
}

TEST(EncodeQueryTest, NonObjectIsEmpty) {
  EXPECT_EQ(EncodeQuery(nlohmann::json::array()), "");
  EXPECT_EQ(EncodeQuery(nlohmann::json()), "");
  EXPECT_EQ(EncodeQuery(nlohmann::json::object()), "");
}

}  // namespace
}  // namespace ttads::tiktok
