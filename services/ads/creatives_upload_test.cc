// Creatives::UploadImageUrl, the UploadImage RPC's URL path: the image is
// fetched from its URL and sent UPLOAD_BY_FILE to the caller's advertiser
// with the caller's token, and the answer is TikTok's image. Against the
// fake TikTok port, then through the real adapter against a fake TikTok on
// loopback to show which of TikTok's fields the answer carries
// (Upload an image: image_id, width, height, signature, image_url...).
#include <memory>
#include <mutex>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "libs/fetch/test_images.h"
#include "libs/http/server.h"
#include "libs/testing/status_matchers.h"
#include "libs/tiktok/client.h"
#include "libs/tiktok/multipart.h"
#include "nlohmann/json.hpp"
#include "services/ads/ads_domain_test_env.h"
#include "services/ads/creatives.h"

namespace ttads::ads {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using testing::IsOk;
using ::testing::SizeIs;
using testing::StatusIs;

// Serves /img/a.png (300×200), /img/gone.png (the same image with HTTP 404)
// and, as TikTok, /file/image/ad/upload/ answering the image it was sent;
// records the upload bodies.
class ImageHost {
 public:
  ImageHost() : png_(fetch::testing::MakePng(300, 200, 7)) {
    server_ = std::make_unique<http::HttpServer>(
        http::HttpServer::Options{},
        [this](http::HttpRequest req, http::HttpResponder res) {
          res.Send(Handle(req));
        });
    EXPECT_THAT(server_->Start(), IsOk());
  }

  std::string root() const {
    return absl::StrCat("http://127.0.0.1:", server_->port());
  }
  const std::string& png() const { return png_; }
  std::vector<std::string> uploads() {
    std::lock_guard<std::mutex> lock(mu_);
    return uploads_;
  }

 private:
  http::HttpResponse Handle(const http::HttpRequest& req) {
    if (req.path == "/img/a.png") {
      http::HttpResponse r;
      r.body = png_;
      return r;
    }
    if (req.path == "/img/gone.png") {
      // A CDN's "not found" placeholder: an image, answered with a 404.
      http::HttpResponse r;
      r.status = 404;
      r.body = png_;
      return r;
    }
    if (req.path != "/open_api/v1.3/file/image/ad/upload/") {
      return http::HttpResponse::Json(404, "{}");
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      uploads_.push_back(req.body);
    }
    json data = {{"image_id", "ad-image-1"},
                 {"material_id", "7200000000000000001"},
                 {"width", 300},
                 {"height", 200},
                 {"format", "png"},
                 {"size", png_.size()},
                 {"signature", tiktok::Md5Hex(png_)},
                 {"image_url", "https://p16.tiktokcdn.example/ad-image-1.png"}};
    return http::HttpResponse::Json(200, json({{"code", 0},
                                               {"message", "OK"},
                                               {"request_id", "r"},
                                               {"data", data}})
                                             .dump());
  }

  const std::string png_;
  std::mutex mu_;
  std::vector<std::string> uploads_;
  std::unique_ptr<http::HttpServer> server_;
};

CreativeOptions LoopbackOptions() {
  CreativeOptions o;
  o.fetch.allow_private = true;
  o.fetch.require_https = false;
  return o;
}

class CreativesUploadTest : public AdsDomainTest {
 protected:
  absl::Time Deadline() { return absl::Now() + absl::Seconds(30); }

  ImageHost host_;
};

TEST_F(CreativesUploadTest, UploadImageByUrlSendsTheFetchedFile) {
  Creatives creatives(&tiktok_, LoopbackOptions());
  // The caller's advertiser and token, as the UploadImage RPC takes them.
  auto access = tokens_.For(Call(), "");
  ASSERT_THAT(access, IsOk());
  auto image = creatives.UploadImageUrl(access->token, access->advertiser_id,
                                        host_.root() + "/img/a.png",
                                        "image_url", Deadline());
  ASSERT_THAT(image, IsOk());

  EXPECT_EQ(tiktok_.Calls("UploadImage"), 1);
  ASSERT_THAT(tiktok_.image_uploads, SizeIs(1));
  const ImageUpload& sent = tiktok_.image_uploads[0];
  EXPECT_EQ(sent.kind, ImageUpload::Kind::kFile);
  EXPECT_EQ(sent.bytes, host_.png());
  EXPECT_EQ(sent.mime_type, "image/png");
  // Named after its MD5 (names are unique per advertiser).
  EXPECT_TRUE(absl::StartsWith(
      sent.file_name, "ttads-" + tiktok::Md5Hex(host_.png()).substr(0, 12)))
      << sent.file_name;
  EXPECT_TRUE(absl::EndsWith(sent.file_name, ".png")) << sent.file_name;
  EXPECT_EQ(tiktok_.accesses.back().advertiser_id, kAdvertiser);
  EXPECT_EQ(tiktok_.accesses.back().token, std::string("token-") + kOwner);
  // The answer is the image TikTok made.
  ASSERT_FALSE(image->image_id().empty());
  std::lock_guard<std::mutex> lock(tiktok_.mu);
  EXPECT_TRUE(tiktok_.image_urls.count(image->image_id()));
}

// Refused for its status, not its body: the 404's body is a valid PNG (a
// CDN's "not found" placeholder), so only the status rule stops the upload.
TEST_F(CreativesUploadTest,
       AnImageUrlAnswering404NamesTheFieldAndSendsNothing) {
  Creatives creatives(&tiktok_, LoopbackOptions());
  auto image = creatives.UploadImageUrl("token", kAdvertiser,
                                        host_.root() + "/img/gone.png",
                                        "image_url", Deadline());
  EXPECT_THAT(image, StatusIs(absl::StatusCode::kInvalidArgument,
                              HasSubstr("HTTP 404")));
  EXPECT_EQ(Fields(image.status()), std::set<std::string>{"image_url"});
  EXPECT_EQ(tiktok_.Calls("UploadImage"), 0);
  EXPECT_THAT(tiktok_.image_uploads, SizeIs(0));
}

TEST_F(CreativesUploadTest, UploadImageByUrlAnswersTikToksImage) {
  tiktok::ClientOptions co;
  co.base_url = host_.root() + "/open_api/v1.3/";
  co.max_attempts = 1;
  auto client = tiktok::Client::Create(co);
  ASSERT_THAT(client, IsOk());
  std::unique_ptr<TikTokAdsApi> api = NewClientAdsApi(client->get());
  Creatives creatives(api.get(), LoopbackOptions());

  auto image = creatives.UploadImageUrl("token-1", kAdvertiser,
                                        host_.root() + "/img/a.png",
                                        "image_url", Deadline());
  ASSERT_THAT(image, IsOk());
  EXPECT_EQ(image->image_id(), "ad-image-1");
  EXPECT_EQ(image->width(), 300);
  EXPECT_EQ(image->height(), 200);
  EXPECT_EQ(image->size(), static_cast<int64_t>(host_.png().size()));
  EXPECT_EQ(image->signature(), tiktok::Md5Hex(host_.png()));
  EXPECT_EQ(image->signature().size(), 32u);
  // TikTok answers the image's URL as image_url.
  EXPECT_EQ(image->url(), "https://p16.tiktokcdn.example/ad-image-1.png");

  // One upload: the file with its MD5, UPLOAD_BY_FILE, for the advertiser.
  auto uploads = host_.uploads();
  ASSERT_THAT(uploads, SizeIs(1));
  EXPECT_THAT(uploads[0], HasSubstr("UPLOAD_BY_FILE"));
  EXPECT_THAT(uploads[0], HasSubstr(kAdvertiser));
  EXPECT_THAT(uploads[0], HasSubstr(tiktok::Md5Hex(host_.png())));
  EXPECT_THAT(uploads[0], HasSubstr(host_.png()));
}

}  // namespace
}  // namespace ttads::ads
