#include "libs/fetch/image_info.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/fetch/test_images.h"
#include "libs/testing/status_matchers.h"

namespace ttads::fetch {
namespace {

using ::testing::HasSubstr;
using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

TEST(ImageInfoTest, ReadsPngDimensions) {
  auto info = InspectImage(testing::MakePng(120, 98));
  ASSERT_THAT(info, IsOk());
  EXPECT_EQ(info->format, ImageFormat::kPng);
  EXPECT_EQ(info->width, 120);
  EXPECT_EQ(info->height, 98);
}

TEST(ImageInfoTest, ReadsJpegDimensions) {
  auto info = InspectImage(testing::MakeJpeg(200, 200));
  ASSERT_THAT(info, IsOk());
  EXPECT_EQ(info->format, ImageFormat::kJpeg);
  EXPECT_EQ(info->width, 200);
}

TEST(ImageInfoTest, RejectsGifAndUnknownAndTruncated) {
  EXPECT_THAT(InspectImage(testing::MakeGif()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("GIF")));
  EXPECT_THAT(InspectImage("hello world"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("not a JPG or PNG")));
  std::string png = testing::MakePng(100, 100);
  EXPECT_THAT(InspectImage(png.substr(0, 12)),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("corrupt or truncated")));
}

TEST(ImageInfoTest, HostileJpegHeadersAreRejectedNotDecoded) {
  // A Huffman table whose code counts exceed 256 (crashes stb_image) ahead
  // of a valid frame header: only the header matters, so it is read fine.
  std::string jpeg = "\xFF\xD8\xFF\xC4";
  jpeg += std::string("\x00\x13\x00", 3) + std::string(16, '\xFF');
  jpeg +=
      std::string("\xFF\xC0\x00\x0B\x08\x00\x64\x00\xC8\x01\x01\x11\x00", 13);
  auto info = InspectImage(jpeg);
  ASSERT_THAT(info, IsOk());
  EXPECT_EQ(info->width, 200);
  EXPECT_EQ(info->height, 100);
  // Segment lengths that run past the end are corrupt, not out-of-bounds.
  EXPECT_THAT(InspectImage(std::string("\xFF\xD8\xFF\xE0\xFF\xFF", 6)),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("bad segment length")));
  EXPECT_THAT(InspectImage(std::string("\xFF\xD8\xFF\xC0\x00\x05\x08", 7)),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("bad segment length")));
}

}  // namespace
}  // namespace ttads::fetch
