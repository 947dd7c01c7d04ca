#include "libs/crypto/constant_time.h"

#include "gtest/gtest.h"

namespace ttads::crypto {
namespace {

TEST(ConstantTimeTest, EqualsOnlyForTheSameBytes) {
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
}

}  // namespace
}  // namespace ttads::crypto
