#include "libs/text/utf8.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ttads::text {
namespace {

using ::testing::ElementsAre;
using ::testing::Optional;

TEST(Utf8Test, AcceptsWellFormedText) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ascii"));
  EXPECT_TRUE(IsValidUtf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"));
  EXPECT_TRUE(IsValidUtf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF
}

TEST(Utf8Test, RefusesIllFormedText) {
  EXPECT_FALSE(IsValidUtf8("\xFF\xFE"));
  EXPECT_FALSE(IsValidUtf8("\xC3"));              // Truncated.
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // Overlong '/'.
  EXPECT_FALSE(IsValidUtf8("\xE0\x80\xAF"));      // Overlong.
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // Surrogate U+D800.
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // Past U+10FFFF.
  EXPECT_FALSE(IsValidUtf8("a\x80"));             // Lone continuation.
}

TEST(Utf8Test, SanitizeReplacesOnlyTheBadBytes) {
  EXPECT_EQ(SanitizeUtf8("ok"), "ok");
  EXPECT_EQ(SanitizeUtf8("a\xFF"
                         "b"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(SanitizeUtf8("\xC3\xA9\xC3"), "\xC3\xA9\xEF\xBF\xBD");
  // A truncated 4-byte sequence is one maximal subpart: one replacement.
  EXPECT_EQ(SanitizeUtf8("x\xF0\x9F\x98"), "x\xEF\xBF\xBD");
  EXPECT_TRUE(IsValidUtf8(SanitizeUtf8("\xED\xA0\x80\xF0\x9F")));
}

TEST(Utf8Test, VisitsCodePointsUntilTheFirstBadSequence) {
  std::vector<char32_t> seen;
  EXPECT_TRUE(ForEachCodePoint("a\xC3\xA9\xF0\x9F\x98\x80",
                               [&](char32_t c) { seen.push_back(c); }));
  EXPECT_THAT(seen, ElementsAre(U'a', U'\u00E9', U'\U0001F600'));
  seen.clear();
  EXPECT_FALSE(ForEachCodePoint("ab\xED\xA0\x80z",
                                [&](char32_t c) { seen.push_back(c); }));
  EXPECT_THAT(seen, ElementsAre(U'a', U'b'));
}

TEST(Utf8Test, CountsCodePointsNotBytes) {
  EXPECT_THAT(CodePointCount(""), Optional(0u));
  EXPECT_THAT(CodePointCount("h\xC3\xA9llo"), Optional(5u));
  EXPECT_THAT(CodePointCount("\xE4\xB8\xAD\xE6\x96\x87"), Optional(2u));
  EXPECT_EQ(CodePointCount("bad \xC3"), std::nullopt);
  EXPECT_EQ(CodePointCount("\xC0\xAF"), std::nullopt);
}

TEST(Utf8Test, PrefixNeverCutsASequence) {
  std::string name;
  for (int i = 0; i < 50; ++i) name += "\xC3\xA9";  // 50 x U+00E9
  auto cut = PrefixOfCodePoints(name, 40);
  ASSERT_TRUE(cut.has_value());
  EXPECT_EQ(cut->size(), 80u);
  EXPECT_THAT(CodePointCount(*cut), Optional(40u));
  EXPECT_THAT(PrefixOfCodePoints("Acme", 40),
              Optional(std::string_view("Acme")));
  EXPECT_THAT(PrefixOfCodePoints("Acme", 0), Optional(std::string_view("")));
  // Ill-formed bytes after the cut still make the whole text ill-formed.
  EXPECT_EQ(PrefixOfCodePoints("ab\xFF", 1), std::nullopt);
}

}  // namespace
}  // namespace ttads::text
