#include "tools/tiktok_sim/multipart.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/testing/status_matchers.h"

namespace ttads::tiktok_sim {
namespace {

using ::testing::HasSubstr;
using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

TEST(MultipartBoundaryTest, ReadsQuotedAndPlainBoundaries) {
  EXPECT_EQ(*MultipartBoundary("multipart/form-data; boundary=abc"), "abc");
  EXPECT_EQ(
      *MultipartBoundary("Multipart/Form-Data; charset=x; boundary=\"q r\""),
      "q r");
  EXPECT_THAT(MultipartBoundary("application/json"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("not multipart/form-data")));
  EXPECT_THAT(MultipartBoundary("multipart/form-data"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("boundary missing")));
}

TEST(ParseMultipartTest, ParsesFieldsAndFilesWithBinaryData) {
  std::string binary("a\r\n--notit\0b", 12);
  std::string body =
      "preamble\r\n--XyZ\r\n"
      "Content-Disposition: form-data; name=\"advertiser_id\"\r\n\r\n"
      "123\r\n--XyZ\r\n"
      "Content-Disposition: form-data; name=\"image_file\"; "
      "filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n" +
      binary + "\r\n--XyZ--\r\n";
  auto parts = ParseMultipart(body, "XyZ");
  ASSERT_THAT(parts, IsOk());
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].name, "advertiser_id");
  EXPECT_FALSE((*parts)[0].is_file);
  EXPECT_EQ((*parts)[0].data, "123");
  EXPECT_EQ((*parts)[1].name, "image_file");
  EXPECT_TRUE((*parts)[1].is_file);
  EXPECT_EQ((*parts)[1].filename, "a.png");
  EXPECT_EQ((*parts)[1].content_type, "image/png");
  EXPECT_EQ((*parts)[1].data, binary);
}

TEST(ParseMultipartTest, RejectsTruncatedBodies) {
  EXPECT_THAT(ParseMultipart("--b\r\nContent-Disposition: form-data; "
                             "name=\"x\"\r\n\r\nvalue",
                             "b"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("closing delimiter missing")));
  EXPECT_THAT(ParseMultipart("no delimiter", "b"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("delimiter not found")));
  EXPECT_THAT(
      ParseMultipart("--b\r\nContent-Type: text/plain\r\n\r\nv\r\n--b--", "b"),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("part without a name")));
}

}  // namespace
}  // namespace ttads::tiktok_sim
