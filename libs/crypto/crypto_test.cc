#include "libs/crypto/crypto.h"

#include <set>
#include <string>

#include "absl/strings/escaping.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/testing/status_matchers.h"

namespace ttads::crypto {
namespace {

using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

AeadKey ZeroKey() { return *AeadKey::FromBytes(std::string(32, '\0')); }

std::string Unhex(const std::string& hex) {
  return absl::HexStringToBytes(hex);
}

TEST(DigestTest, KnownVectors) {
  EXPECT_EQ(Sha256Hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Md5Hex(""), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(Md5Hex("abc"), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(Sha1Hex("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(absl::BytesToHexString(Sha256("abc")), Sha256Hex("abc"));
}

TEST(DigestTest, StreamingMatchesOneShot) {
  std::string big;
  for (int i = 0; i < 100000; ++i) big += static_cast<char>(i * 7);
  Md5Hasher md5;
  Sha256Hasher sha;
  for (size_t off = 0; off < big.size(); off += 4093) {
    md5.Update(std::string_view(big).substr(off, 4093));
    sha.Update(std::string_view(big).substr(off, 4093));
  }
  EXPECT_EQ(md5.FinalHex(), Md5Hex(big));
  EXPECT_EQ(sha.FinalHex(), Sha256Hex(big));
  // Reset after FinalHex: the hasher is reusable.
  md5.Update("abc");
  EXPECT_EQ(md5.FinalHex(), "900150983cd24fb0d6963f7d28e17f72");
}

// NIST GCM spec test cases 13 and 14 (AES-256, zero key, zero IV).
TEST(AeadTest, DecryptsNistVectors) {
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

TEST(AeadTest, RoundTripWithFreshNonces) {
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

TEST(AeadTest, TamperingIsDetected) {
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

TEST(KeyTest, ParseKeyRequires32Bytes) {
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

TEST(RandomTest, TokensAreUrlSafeAndDistinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    std::string token = RandomToken(32);
    EXPECT_EQ(token.size(), 43u);
    EXPECT_EQ(token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijkl"
                                      "mnopqrstuvwxyz0123456789-_"),
              std::string::npos);
    seen.insert(token);
  }
  EXPECT_EQ(seen.size(), 100u);
}

TEST(CompareTest, ConstantTimeEquals) {
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
}

}  // namespace
}  // namespace ttads::crypto
