#include "services/identity/identity_catalog.h"
#include "services/identity/identity_resolver.h"

#include "gtest/gtest.h"

namespace ttads::identity {
namespace {

TEST(TruncateUtf8Test, CountsCharactersNotBytes) {
  std::string name;
  for (int i = 0; i < 41; ++i) name += "\xE2\x82\xAC";  // 41 × "€"
  auto cut = TruncateUtf8(name, 40);
  ASSERT_TRUE(cut.ok());
  EXPECT_EQ(cut->size(), 120u);
  EXPECT_EQ(Utf8Length(*cut), 40u);
}

TEST(TruncateUtf8Test, ShortTextUnchangedAndInvalidRejected) {
  EXPECT_EQ(*TruncateUtf8("Acme", 40), "Acme");
  EXPECT_FALSE(TruncateUtf8("bad \xC3", 40).ok());
  EXPECT_FALSE(TruncateUtf8("\xC0\xAF", 40).ok());  // overlong
  EXPECT_EQ(Utf8Length("h\xC3\xA9llo"), 5u);
}

TEST(CustomIdentityPolicyTest, Parses) {
  EXPECT_EQ(*ParseCustomIdentityPolicy("allow"), CustomIdentityPolicy::kAllow);
  EXPECT_EQ(*ParseCustomIdentityPolicy("opt_in"), CustomIdentityPolicy::kOptIn);
  EXPECT_EQ(*ParseCustomIdentityPolicy("reject"), CustomIdentityPolicy::kReject);
  EXPECT_FALSE(ParseCustomIdentityPolicy("sometimes").ok());
}

}  // namespace
}  // namespace ttads::identity
