#include "tools/tiktok_sim/api.h"

#include "gtest/gtest.h"

namespace ttads::tiktok_sim {
namespace {

TEST(ParamTest, AcceptsJsonEncodedStringsAndRealJson) {
  Json params = {{"ids_str", "[\"1\",\"2\"]"},
                 {"ids_json", Json::array({"3", 4})},
                 {"bad", "[1,"},
                 {"n", "42"},
                 {"m", 7}};
  std::string error;
  EXPECT_EQ(*ParamStringList(params, "ids_str", &error),
            (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(*ParamStringList(params, "ids_json", &error),
            (std::vector<std::string>{"3", "4"}));
  EXPECT_TRUE(error.empty());
  EXPECT_FALSE(ParamStringList(params, "bad", &error).has_value());
  EXPECT_FALSE(error.empty());
  error.clear();
  EXPECT_EQ(*ParamInt(params, "n", &error), 42);
  EXPECT_EQ(*ParamInt(params, "m", &error), 7);
  EXPECT_FALSE(ParamInt(params, "absent", &error).has_value());
  EXPECT_TRUE(error.empty());
}

TEST(PagingTest, ValidatesAndSlices) {
  Paging p;
  EXPECT_TRUE(ReadPaging({{"page_size", "101"}}, 20, 100, &p).has_value());
  EXPECT_TRUE(ReadPaging({{"page_size", 0}}, 20, 100, &p).has_value());
  ASSERT_FALSE(ReadPaging({{"page", "2"}, {"page_size", 2}}, 20, 100, &p));
  std::vector<Json> items = {1, 2, 3, 4, 5};
  Json info;
  Json page = Paginate(items, p, &info);
  EXPECT_EQ(page, Json::array({3, 4}));
  EXPECT_EQ(info["total_number"], 5);
  EXPECT_EQ(info["total_page"], 3);
  EXPECT_EQ(info["page"], 2);
}

TEST(TextLengthTest, CountsCjkDouble) {
  EXPECT_EQ(TikTokTextLength("abc"), 3u);
  EXPECT_EQ(TikTokTextLength("\xE6\x97\xA5\xE6\x9C\xAC"), 4u);  // 日本
  EXPECT_EQ(CodePointCount("\xC3\xA9t\xC3\xA9"), 3u);           // été
}

}  // namespace
}  // namespace ttads::tiktok_sim
