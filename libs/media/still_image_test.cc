#include "libs/media/still_image.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/fetch/test_images.h"
#include "libs/testing/status_matchers.h"

namespace ttads::media {
namespace {

using ::testing::HasSubstr;
using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

TEST(DecodeStillTest, DecodesJpegAndPng) {
  auto jpeg = DecodeStill(fetch::testing::MakeJpeg(64, 48));
  ASSERT_THAT(jpeg, IsOk());
  EXPECT_EQ((*jpeg)->width, 64);
  EXPECT_EQ((*jpeg)->height, 48);
  auto png = DecodeStill(fetch::testing::MakePng(30, 70));
  ASSERT_THAT(png, IsOk());
  EXPECT_EQ((*png)->width, 30);
  EXPECT_EQ((*png)->height, 70);
}

TEST(DecodeStillTest, RefusesOtherFormatsAndGarbage) {
  EXPECT_THAT(DecodeStill(fetch::testing::MakeGif()),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(DecodeStill("not an image"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(DecodeStill(""), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(DecodeStillTest, RefusesTruncatedOrCorruptData) {
  std::string png = fetch::testing::MakePng(40, 40);
  EXPECT_THAT(DecodeStill(png.substr(0, png.size() / 2)),
              StatusIs(absl::StatusCode::kInvalidArgument));
  // A valid JPEG header followed by noise instead of entropy-coded data.
  std::string jpeg = fetch::testing::MakeJpeg(40, 40);
  for (size_t i = jpeg.size() / 2; i + 2 < jpeg.size(); ++i) jpeg[i] = '\xff';
  auto decoded = DecodeStill(jpeg);
  // libavcodec conceals some damage; either way it must not crash, and a
  // frame it returns has the header's size.
  if (decoded.ok()) {
    EXPECT_EQ((*decoded)->width, 40);
  } else {
    EXPECT_THAT(decoded, StatusIs(absl::StatusCode::kInvalidArgument));
  }
}

TEST(DecodeStillTest, RefusesImagesOverThePixelLimitBeforeDecoding) {
  auto big = DecodeStill(fetch::testing::MakePng(200, 100), 200 * 100 - 1);
  EXPECT_THAT(
      big, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("200x100")));
  EXPECT_THAT(DecodeStill(fetch::testing::MakePng(200, 100), 200 * 100),
              IsOk());
}

TEST(DecodeStillTest, RefusesImagesTooLargeOnceDecodedBeforeDecoding) {
  // A PNG header (signature + IHDR) for 4096x4096 RGBA at 16 bits a
  // channel: within the pixel limit, 128 MiB decoded. No pixel data
  // follows; the size alone must refuse it.
  std::string png("\x89PNG\r\n\x1a\n", 8);
  png += std::string("\0\0\0\x0d", 4) + "IHDR";
  png += std::string("\0\0\x10\0\0\0\x10\0", 8);  // 4096 x 4096
  png += std::string("\x10\x06\0\0\0", 5);        // 16-bit RGBA
  png += std::string(4, '\0');                    // CRC (unchecked)
  auto big = DecodeStill(png);
  EXPECT_THAT(big, StatusIs(absl::StatusCode::kInvalidArgument,
                            HasSubstr("128 MiB decoded")));
}

}  // namespace
}  // namespace ttads::media
