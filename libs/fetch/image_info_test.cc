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

TEST(ImageInfoTest, HostileJpegHeadersAreRejectedNotDecoded) {
  // A Huffman table whose code counts exceed 256 (crashes stb_image) ahead
  // of a valid frame header: only the header matters, so it is read fine.
  std::string jpeg = "\xFF\xD8\xFF\xC4";
  jpeg += std::string("\x00\x13\x00", 3) + std::string(16, '\xFF');
  jpeg += std::string("\xFF\xC0\x00\x0B\x08\x00\x64\x00\xC8\x01\x01\x11\x00", 13);
  auto info = InspectImage(jpeg);
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_EQ(info->width, 200);
  EXPECT_EQ(info->height, 100);
  // Segment lengths that run past the end are corrupt, not out-of-bounds.
  EXPECT_FALSE(InspectImage(std::string("\xFF\xD8\xFF\xE0\xFF\xFF", 6)).ok());
  EXPECT_FALSE(InspectImage(std::string("\xFF\xD8\xFF\xC0\x00\x05\x08", 7)).ok());
}

}  // namespace
}  // namespace ttads::fetch
