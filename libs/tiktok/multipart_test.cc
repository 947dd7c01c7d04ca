#include "libs/tiktok/multipart.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/testing/status_matchers.h"

namespace ttads::tiktok {
namespace {

using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

TEST(Md5Test, KnownDigests) {
  EXPECT_EQ(Md5Hex(""), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(Md5Hex("abc"), "900150983cd24fb0d6963f7d28e17f72");
}

class TempFile {
 public:
  explicit TempFile(const std::string& content) {
    char name[] = "/tmp/ttads_multipart_XXXXXX";
    int fd = mkstemp(name);
    ::close(fd);
    path_ = name;
    std::ofstream(path_, std::ios::binary) << content;
  }
  ~TempFile() { std::filesystem::remove(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

TEST(Md5Test, FileDigestMatchesInMemoryDigest) {
  std::string content(300'000, 'x');
  content += "tail";
  TempFile file(content);
  absl::StatusOr<std::string> md5 = Md5HexOfFile(file.path());
  ASSERT_THAT(md5, IsOk());
  EXPECT_EQ(*md5, Md5Hex(content));
  EXPECT_THAT(Md5HexOfFile("/nonexistent/ttads"),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST(MultipartFormTest, AddsSignatureOfInMemoryFile) {
  MultipartForm form;
  form.AddText("advertiser_id", "42");
  form.AddFile("image_file", "a.png", "abc", "image/png", "image_signature");
  form.AddText("upload_type", "UPLOAD_BY_FILE");
  EXPECT_EQ(form.TextValue("image_signature"),
            "900150983cd24fb0d6963f7d28e17f72");
  std::vector<std::string> names;
  for (const MultipartPart* part : form.WireOrder()) {
    names.push_back(part->name);
  }
  EXPECT_THAT(names, ::testing::ElementsAre("advertiser_id", "image_signature",
                                            "upload_type", "image_file"));
  const MultipartPart* file = form.WireOrder().back();
  EXPECT_TRUE(file->is_file);
  EXPECT_EQ(file->filename, "a.png");
  EXPECT_EQ(file->size, 3u);
}

TEST(MultipartFormTest, FileFromPathIsStreamedNotLoaded) {
  TempFile file("video bytes");
  MultipartForm form;
  ASSERT_THAT(form.AddFileFromPath("video_file", file.path(), "video_signature",
                                   "video/mp4"),
              IsOk());
  EXPECT_EQ(form.TextValue("video_signature"), Md5Hex("video bytes"));
  const MultipartPart* part = form.WireOrder().back();
  EXPECT_EQ(part->file_path, file.path());
  EXPECT_TRUE(part->value.empty());
  EXPECT_EQ(part->size, 11u);
  EXPECT_EQ(part->filename,
            std::filesystem::path(file.path()).filename().string());
}

TEST(MultipartFormTest, MissingFileIsNotFound) {
  MultipartForm form;
  EXPECT_THAT(form.AddFileFromPath("file", "/nonexistent/x.csv", "sig"),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_TRUE(form.parts().empty());
}

TEST(MultipartFormTest, BuildsCurlMime) {
  TempFile file("abc");
  MultipartForm form;
  form.AddText("a", "1");
  form.AddFile("f", "f.bin", std::string("\0\1", 2));
  ASSERT_THAT(form.AddFileFromPath("g", file.path()), IsOk());
  CURL* easy = curl_easy_init();
  absl::StatusOr<curl_mime*> mime = form.BuildMime(easy);
  ASSERT_THAT(mime, IsOk());
  curl_mime_free(*mime);
  curl_easy_cleanup(easy);
}

}  // namespace
}  // namespace ttads::tiktok
