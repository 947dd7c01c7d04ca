#include "tools/tiktok_sim/multipart.h"

#include "gtest/gtest.h"

namespace ttads::tiktok_sim {
namespace {

TEST(MultipartBoundaryTest, ReadsQuotedAndPlainBoundaries) {
  EXPECT_EQ(*MultipartBoundary("multipart/form-data; boundary=abc"), "abc");
  EXPECT_EQ(
      *MultipartBoundary("Multipart/Form-Data; charset=x; boundary=\"q r\""),
      "q r");
  EXPECT_FALSE(MultipartBoundary("application/json").ok());
  EXPECT_FALSE(MultipartBoundary("multipart/form-data").ok());
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
  ASSERT_TRUE(parts.ok()) << parts.status();
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
  EXPECT_FALSE(ParseMultipart("--b\r\nContent-Disposition: form-data; "
                              "name=\"x\"\r\n\r\nvalue",
                              "b")
                   .ok());
  EXPECT_FALSE(ParseMultipart("no delimiter", "b").ok());
  EXPECT_FALSE(
      ParseMultipart("--b\r\nContent-Type: text/plain\r\n\r\nv\r\n--b--", "b")
          .ok());
}

}  // namespace
}  // namespace ttads::tiktok_sim
