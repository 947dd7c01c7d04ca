#include "libs/http/query.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ttads::http {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

TEST(PercentDecodeTest, DecodesEscapes) {
  EXPECT_EQ(PercentDecode("a%20b%2Fc", false), "a b/c");
  EXPECT_EQ(PercentDecode("%e2%82%AC", false), "\xE2\x82\xAC");
}

TEST(PercentDecodeTest, PlusIsSpaceOnlyWhenAsked) {
  EXPECT_EQ(PercentDecode("a+b", true), "a b");
  EXPECT_EQ(PercentDecode("a+b", false), "a+b");
}

TEST(PercentDecodeTest, KeepsMalformedEscapes) {
  EXPECT_EQ(PercentDecode("100%", false), "100%");
  EXPECT_EQ(PercentDecode("%G1x", false), "%G1x");
  EXPECT_EQ(PercentDecode("%4", false), "%4");
}

TEST(PercentEncodeTest, EncodesReservedAndRoundTrips) {
  EXPECT_EQ(PercentEncode("a b/c?d=e&f~_.-"), "a%20b%2Fc%3Fd%3De%26f~_.-");
  EXPECT_EQ(PercentEncode("aZ09é"), "aZ09%C3%A9");  // UTF-8 bytes, upper hex
  std::string raw = "[\"1\",\"2\"] {x:y} +%";
  EXPECT_EQ(PercentDecode(PercentEncode(raw), true), raw);
}

TEST(ParseQueryTest, ParsesRepeatedAndEmptyKeys) {
  auto q = ParseQuery("a=1&b=x%20y&a=2&&flag&c=p+q");
  EXPECT_THAT(q, ElementsAre(Pair("a", "1"), Pair("a", "2"), Pair("b", "x y"),
                             Pair("c", "p q"), Pair("flag", "")));
}

TEST(ParseQueryTest, DecodesJsonArrays) {
  auto q = ParseQuery("ids=%5B%22123%22%2C%22456%22%5D");
  ASSERT_EQ(q.count("ids"), 1u);
  EXPECT_EQ(q.find("ids")->second, "[\"123\",\"456\"]");
}

TEST(SplitTargetTest, SplitsPathAndQuery) {
  std::string_view path, query;
  SplitTarget("/a/b%20c/?x=1&y", &path, &query);
  EXPECT_EQ(path, "/a/b%20c/");
  EXPECT_EQ(query, "x=1&y");
  SplitTarget("/only", &path, &query);
  EXPECT_EQ(path, "/only");
  EXPECT_EQ(query, "");
}

}  // namespace
}  // namespace ttads::http
