#include "tools/tiktok_sim/media.h"

#include "gtest/gtest.h"
#include "tools/tiktok_sim/sim_test_util.h"

namespace ttads::tiktok_sim {
namespace {

TEST(Md5HexTest, MatchesKnownDigest) {
  EXPECT_EQ(Md5Hex(""), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(Md5Hex("abc"), "900150983cd24fb0d6963f7d28e17f72");
}

TEST(SniffImageTest, ReadsPngDimensionsAndRejectsOtherData) {
  auto info = SniffImage(MakePng(640, 320));
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->width, 640);
  EXPECT_EQ(info->height, 320);
  EXPECT_EQ(info->format, "png");
  EXPECT_FALSE(SniffImage("GIF89a not supported").has_value());
}

}  // namespace
}  // namespace ttads::tiktok_sim
