#include "gmock/gmock.h"
#include "tools/tiktok_sim/media.h"
#include "tools/tiktok_sim/sim_test_util.h"

namespace ttads::tiktok_sim {
namespace {

using SimFilesTest = SimTest;

TEST_F(SimFilesTest, ImageUploadByFileReadsDimensionsAndChecksMd5) {
  sim_->ExpectViolations(1);  // The upload without image_file.
  std::string png = MakePng(720, 1280);
  auto bad = Upload("file/image/ad/upload/",
                    {{"advertiser_id", seed::kAdvertiserTtUser},
                     {"upload_type", "UPLOAD_BY_FILE"},
                     {"image_signature", Md5Hex("something else")},
                     {"image_file", png, std::string("a.png"), "image/png"}});
  EXPECT_EQ(bad.code(), kSignatureMismatch);

  sim_->ServeMedia(true);
  auto ok = Upload("file/image/ad/upload/",
                   {{"advertiser_id", seed::kAdvertiserTtUser},
                    {"upload_type", "UPLOAD_BY_FILE"},
                    {"image_signature", Md5Hex(png)},
                    {"image_file", png, std::string("a.png"), "image/png"}});
  ASSERT_EQ(ok.code(), 0) << ok.body;
  EXPECT_EQ(ok.data()["width"], 720);
  EXPECT_EQ(ok.data()["height"], 1280);
  EXPECT_EQ(ok.data()["format"], "png");
  EXPECT_EQ(ok.data()["signature"], Md5Hex(png));
  EXPECT_EQ(ok.data()["file_name"], "a.png");
  // The file is served back at image_url, as from TikTok's CDN.
  const std::string url = ok.data()["image_url"];
  EXPECT_EQ(url.rfind(sim_->root_url() + "/_media/image/", 0), 0u) << url;
  auto served = client_.Get(url);
  EXPECT_EQ(served.status, 200);
  EXPECT_EQ(served.body, png);
  EXPECT_EQ(served.Header("content-type"), "image/png");
  EXPECT_EQ(client_.Get(sim_->root_url() + "/_media/image/7.png").status, 404);

  auto dup = Upload("file/image/ad/upload/",
                    {{"advertiser_id", seed::kAdvertiserTtUser},
                     {"image_signature", Md5Hex(png)},
                     {"image_file", png, std::string("a.png"), "image/png"}});
  EXPECT_EQ(dup.code(), kDuplicateName);

  auto not_image =
      Upload("file/image/ad/upload/",
             {{"advertiser_id", seed::kAdvertiserTtUser},
              {"image_signature", Md5Hex("plain text")},
              {"image_file", "plain text", std::string("b.png"), "image/png"}});
  EXPECT_EQ(not_image.code(), kFileWrongType);
  auto missing = Upload("file/image/ad/upload/",
                        {{"advertiser_id", seed::kAdvertiserTtUser},
                         {"image_signature", Md5Hex(png)}});
  EXPECT_EQ(missing.code(), kFileMissing);
}

// Upload an image: file_name is "1-100 characters", counted by the contract
// in characters: 60 CJK characters (180 UTF-8 bytes) are accepted, 101 ASCII
// characters are a counted contract violation.
TEST_F(SimFilesTest, FileNameLimitIsCharactersNotBytes) {
  std::string cjk;
  for (int i = 0; i < 60; ++i) cjk += "\xE6\x97\xA5";  // 日
  auto ok = Post("file/image/ad/upload/",
                 {{"advertiser_id", seed::kAdvertiserTtUser},
                  {"upload_type", "UPLOAD_BY_URL"},
                  {"image_url", "https://cdn.example.com/cjk.png"},
                  {"file_name", cjk}});
  ASSERT_EQ(ok.code(), 0) << ok.body;
  EXPECT_EQ(ok.data()["file_name"], cjk);

  sim_->ExpectViolations(1);
  auto long_name = Post("file/image/ad/upload/",
                        {{"advertiser_id", seed::kAdvertiserTtUser},
                         {"upload_type", "UPLOAD_BY_URL"},
                         {"image_url", "https://cdn.example.com/long.png"},
                         {"file_name", std::string(101, 'a')}});
  EXPECT_EQ(long_name.code(), kParamError);
  EXPECT_THAT(long_name.json["message"].get<std::string>(),
              ::testing::HasSubstr("file_name"));
  EXPECT_EQ(sim_->violations(), 1);
}

TEST_F(SimFilesTest, ImageUploadByUrlIsDeterministicAndNeverFetched) {
  auto a = Post("file/image/ad/upload/",
                {{"advertiser_id", seed::kAdvertiserTtUser},
                 {"upload_type", "UPLOAD_BY_URL"},
                 {"image_url", "https://cdn.example.com/x.png"},
                 {"file_name", "one"}});
  auto b = Post("file/image/ad/upload/",
                {{"advertiser_id", seed::kAdvertiserTtUser},
                 {"upload_type", "UPLOAD_BY_URL"},
                 {"image_url", "https://cdn.example.com/x.png"},
                 {"file_name", "two"}});
  ASSERT_EQ(a.code(), 0) << a.body;
  ASSERT_EQ(b.code(), 0);
  EXPECT_EQ(a.data()["signature"], b.data()["signature"]);
  EXPECT_EQ(a.data()["size"], b.data()["size"]);
  EXPECT_NE(a.data()["image_id"], b.data()["image_id"]);
  EXPECT_EQ(a.data()["format"], "png");
  auto state = sim_->DumpAdvertiser(seed::kAdvertiserTtUser);
  EXPECT_EQ(state["images"].back()["source_url"],
            "https://cdn.example.com/x.png");
}

TEST_F(SimFilesTest, ImageInfoRereadsImagesOfTheAdvertiserOnly) {
  auto up = Post("file/image/ad/upload/",
                 {{"advertiser_id", seed::kAdvertiserTtUser},
                  {"upload_type", "UPLOAD_BY_URL"},
                  {"image_url", "https://cdn.example.com/info.png"}});
  ASSERT_EQ(up.code(), 0) << up.body;
  const std::string id = up.data()["image_id"];
  auto info =
      Get("file/image/ad/info/", {{"advertiser_id", seed::kAdvertiserTtUser},
                                  {"image_ids", nlohmann::json::array({id})}});
  ASSERT_EQ(info.code(), 0) << info.body;
  ASSERT_EQ(info.data()["list"].size(), 1u);
  EXPECT_EQ(info.data()["list"][0]["image_id"], id);
  EXPECT_FALSE(info.data()["list"][0]["image_url"].get<std::string>().empty());

  sim_->ExpectViolations(1);
  auto missing =
      Get("file/image/ad/info/", {{"advertiser_id", seed::kAdvertiserTtUser}});
  EXPECT_EQ(missing.code(), kParamError);
  EXPECT_NE(missing.json.value("message", "").find("image_ids"),
            std::string::npos);
}

TEST_F(SimFilesTest, VideoUploadReturnsAnArrayAndInfoRereadsIt) {
  std::string bytes(4096, 'v');
  auto up =
      Upload("file/video/ad/upload/",
             {{"advertiser_id", seed::kAdvertiserTtUser},
              {"video_signature", Md5Hex(bytes)},
              {"video_file", bytes, std::string("clip.mp4"), "video/mp4"}});
  ASSERT_EQ(up.code(), 0) << up.body;
  ASSERT_TRUE(up.data().is_array());
  ASSERT_EQ(up.data().size(), 1u);
  const auto& v = up.data()[0];
  EXPECT_FALSE(v["video_cover_url"].get<std::string>().empty());
  EXPECT_EQ(v["size"], 4096);
  EXPECT_GT(v["duration"].get<double>(), 0.0);
  std::string id = v["video_id"];

  auto info =
      Get("file/video/ad/info/", {{"advertiser_id", seed::kAdvertiserTtUser},
                                  {"video_ids", nlohmann::json::array({id})}});
  ASSERT_EQ(info.code(), 0) << info.body;
  ASSERT_EQ(info.data()["list"].size(), 1u);
  EXPECT_EQ(info.data()["list"][0]["video_id"], id);

  auto bad =
      Upload("file/video/ad/upload/",
             {{"advertiser_id", seed::kAdvertiserTtUser},
              {"video_signature", "00000000000000000000000000000000"},
              {"video_file", bytes, std::string("c2.mp4"), "video/mp4"}});
  EXPECT_EQ(bad.code(), kSignatureMismatch);
}

}  // namespace
}  // namespace ttads::tiktok_sim
