#include "libs/crypto/sealing.h"

#include <string>

#include "absl/strings/escaping.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/crypto/random.h"
#include "libs/testing/status_matchers.h"

namespace ttads::crypto {
namespace {

using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

AeadKey ZeroKey() { return *AeadKey::FromBytes(std::string(32, '\0')); }

std::string Unhex(const std::string& hex) {
  return absl::HexStringToBytes(hex);
}

// NIST GCM spec test cases 13 and 14 (AES-256, zero key, zero IV).
TEST(SealingTest, DecryptsNistVectors) {
  const std::string nonce(12, '\0');
  std::string case13 =
      absl::Base64Escape(nonce + Unhex("530f8afbc74536b9a963b4f1c4cb738b"));
  auto empty = Decrypt(ZeroKey(), case13, "");
  ASSERT_THAT(empty, IsOk());
  EXPECT_EQ(*empty, "");

  std::string case14 =
      absl::Base64Escape(nonce + Unhex("cea7403d4d606b6e074ec5d3baf39d18") +
                         Unhex("d0d1c8a799996bf0265b98b5d48ab919"));
  auto zeros = Decrypt(ZeroKey(), case14, "");
  ASSERT_THAT(zeros, IsOk());
  EXPECT_EQ(*zeros, std::string(16, '\0'));
}

TEST(SealingTest, RoundTripWithFreshNonces) {
  AeadKey key = *AeadKey::FromBytes(RandomBytes(32));
  auto a = Encrypt(key, "access-token-value", "team:t1/conn:c1");
  auto b = Encrypt(key, "access-token-value", "team:t1/conn:c1");
  ASSERT_THAT(a, IsOk());
  ASSERT_THAT(b, IsOk());
  EXPECT_NE(*a, *b);  // random nonce
  EXPECT_EQ(absl::Base64Escape(std::string(12 + 18 + 16, 'x')).size(),
            a->size());
  auto plain = Decrypt(key, *a, "team:t1/conn:c1");
  ASSERT_THAT(plain, IsOk());
  EXPECT_EQ(*plain, "access-token-value");
  EXPECT_EQ(a->find("access"), std::string::npos);
}

TEST(SealingTest, TamperingIsDetected) {
  AeadKey key = *AeadKey::FromBytes(RandomBytes(32));
  std::string encrypted = *Encrypt(key, "secret", "ad");
  std::string raw;
  ASSERT_TRUE(absl::Base64Unescape(encrypted, &raw));
  for (size_t i = 0; i < raw.size(); ++i) {
    std::string flipped = raw;
    flipped[i] ^= 0x01;
    auto result = Decrypt(key, absl::Base64Escape(flipped), "ad");
    EXPECT_THAT(result, StatusIs(absl::StatusCode::kDataLoss)) << "byte " << i;
  }
  EXPECT_THAT(Decrypt(key, encrypted, "other-ad"),
              StatusIs(absl::StatusCode::kDataLoss));
  AeadKey other = *AeadKey::FromBytes(RandomBytes(32));
  EXPECT_THAT(Decrypt(other, encrypted, "ad"),
              StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(Decrypt(key, "not base64 !!", "ad"),
              StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(Decrypt(key, absl::Base64Escape("short"), "ad"),
              StatusIs(absl::StatusCode::kDataLoss));
}

TEST(SealingTest, ParseKeyRequires32Bytes) {
  std::string raw = RandomBytes(32);
  auto key = ParseKey(absl::Base64Escape(raw));
  ASSERT_THAT(key, IsOk());
  EXPECT_EQ(key->bytes(), raw);
  EXPECT_THAT(ParseKey(absl::WebSafeBase64Escape(raw)), IsOk());
  EXPECT_THAT(ParseKey(absl::Base64Escape(RandomBytes(16))),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseKey("%%%"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(AeadKey::FromBytes("short"),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace ttads::crypto
