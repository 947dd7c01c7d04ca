#include "libs/fetch/image_info.h"

#include "gtest/gtest.h"
#include "libs/fetch/test_images.h"

namespace ttads::fetch {
namespace {

TEST(ImageInfoTest, ReadsPngDimensions) {
  auto info = InspectImage(testing::MakePng(120, 98));
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_EQ(info->format, ImageFormat::kPng);
  EXPECT_EQ(info->width, 120);
  EXPECT_EQ(info->height, 98);
}

TEST(ImageInfoTest, ReadsJpegDimensions) {
  auto info = InspectImage(testing::MakeJpeg(200, 200));
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_EQ(info->format, ImageFormat::kJpeg);
  EXPECT_EQ(info->width, 200);
}

TEST(ImageInfoTest, RejectsGifAndUnknownAndTruncated) {
  EXPECT_FALSE(InspectImage(testing::MakeGif()).ok());
  EXPECT_FALSE(InspectImage("hello world").ok());
  std::string png = testing::MakePng(100, 100);
  EXPECT_FALSE(InspectImage(png.substr(0, 12)).ok());
}

}  // namespace
}  // namespace ttads::fetch
