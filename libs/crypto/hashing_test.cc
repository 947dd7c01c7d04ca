#include "libs/crypto/hashing.h"

#include <string>
#include <string_view>

#include "absl/strings/escaping.h"
#include "gtest/gtest.h"

namespace ttads::crypto {
namespace {

TEST(HashingTest, KnownVectors) {
  EXPECT_EQ(Sha256Hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Md5Hex(""), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(Md5Hex("abc"), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(Sha1Hex("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(absl::BytesToHexString(Sha256("abc")), Sha256Hex("abc"));
}

TEST(HashingTest, StreamingMatchesOneShot) {
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

}  // namespace
}  // namespace ttads::crypto
