// Creatives' slideshow path, through the real TikTokAdsApi adapter, against
// a fake TikTok on loopback: which calls go out, what they carry, and which
// field a failure names.

#include "services/ads/creatives.h"

#include <mutex>
#include <set>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "libs/fetch/test_images.h"
#include "libs/http/server.h"
#include "libs/status/status.h"
#include "libs/testing/status_matchers.h"

namespace ttads::ads {
namespace {

using nlohmann::json;
using testing::IsOk;
using testing::StatusIs;

std::set<std::string> Fields(const absl::Status& s) {
  google::rpc::BadRequest bad;
  std::set<std::string> out;
  if (status::GetDetail(s, &bad)) {
    for (const auto& v : bad.field_violations()) out.insert(v.field());
  }
  return out;
}

// Serves TikTok's three endpoints under /open_api/v1.3/ and images under
// /img/, and records every TikTok call.
class FakeTikTok {
 public:
  struct Seen {
    std::string method, path, query_image_ids, body;
  };

  FakeTikTok() {
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
  std::string host() const {
    return absl::StrCat("127.0.0.1:", server_->port());
  }

  // Image ids /file/image/ad/info/ knows, with the path of their image.
  std::map<std::string, std::string> known_images;

  std::vector<Seen> seen() {
    std::lock_guard<std::mutex> lock(mu_);
    return seen_;
  }

 private:
  http::HttpResponse Handle(const http::HttpRequest& req) {
    if (absl::StartsWith(req.path, "/img/")) {
      http::HttpResponse r;
      if (req.path == "/img/a.png") {
        r.body = fetch::testing::MakePng(300, 200, 1);
      } else if (req.path == "/img/b.jpg") {
        r.body = fetch::testing::MakeJpeg(200, 300, 2);
      } else if (req.path == "/img/broken.png") {
        r.body = fetch::testing::MakePng(300, 200, 1).substr(0, 60);
      } else {
        r.status = 404;
      }
      return r;
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      seen_.push_back({req.method, req.path,
                       req.QueryParam("image_ids").value_or(""), req.body});
    }
    json data;
    if (req.path == "/open_api/v1.3/file/image/ad/info/") {
      json list = json::array();
      for (const auto& [id, path] : known_images) {
        if (absl::StrContains(req.QueryParam("image_ids").value_or(""), id)) {
          list.push_back({{"image_id", id}, {"image_url", root() + path}});
        }
      }
      data = {{"list", list}};
    } else if (req.path == "/open_api/v1.3/file/video/ad/upload/") {
      data = json::array(
          {{{"video_id", "v-1"}, {"width", 720}, {"height", 1280}}});
    } else if (req.path == "/open_api/v1.3/file/image/ad/upload/") {
      data = {{"image_id", "cover-1"}};
    } else {
      return http::HttpResponse::Json(404, "{}");
    }
    return http::HttpResponse::Json(200, json({{"code", 0},
                                               {"message", "OK"},
                                               {"request_id", "r"},
                                               {"data", data}})
                                             .dump());
  }

  std::mutex mu_;
  std::vector<Seen> seen_;
  std::unique_ptr<http::HttpServer> server_;
};

class CreativesSlideshowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tiktok::ClientOptions co;
    co.base_url = fake_.root() + "/open_api/v1.3/";
    co.max_attempts = 1;
    auto client = tiktok::Client::Create(co);
    ASSERT_THAT(client, IsOk());
    client_ = *std::move(client);
    CreativeOptions o;
    o.fetch.allow_private = true;
    o.fetch.require_https = false;
    o.slideshow.seconds_per_image = 2.0;
    api_ = NewClientAdsApi(client_.get());
    creatives_ = std::make_unique<Creatives>(api_.get(), o);
  }

  absl::Time Deadline() { return absl::Now() + absl::Seconds(30); }

  FakeTikTok fake_;
  std::unique_ptr<tiktok::Client> client_;
  std::unique_ptr<TikTokAdsApi> api_;
  std::unique_ptr<Creatives> creatives_;
};

TEST_F(CreativesSlideshowTest, ImageIdsAreFetchedByTheirInfoUrlAndRendered) {
  fake_.known_images = {{"7107000000000000001", "/img/a.png"},
                        {"7107000000000000002", "/img/b.jpg"}};
  auto show = creatives_->UploadSlideshow(
      "token", "7101", {}, {"7107000000000000001", "7107000000000000002"},
      Deadline());
  ASSERT_THAT(show, IsOk());
  EXPECT_EQ(show->video_id, "v-1");
  EXPECT_EQ(show->cover_image_id, "cover-1");
  EXPECT_EQ(show->images, 2);
  EXPECT_DOUBLE_EQ(show->render.plan.duration_seconds, 5.0);  // 2 × 2 s → 5.

  auto seen = fake_.seen();
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0].method, "GET");
  EXPECT_EQ(seen[0].path, "/open_api/v1.3/file/image/ad/info/");
  EXPECT_TRUE(
      absl::StrContains(seen[0].query_image_ids, "7107000000000000002"));
  // The slideshow goes up as an MP4 file (ftyp, then moov before mdat).
  EXPECT_EQ(seen[1].path, "/open_api/v1.3/file/video/ad/upload/");
  EXPECT_TRUE(absl::StrContains(seen[1].body, "UPLOAD_BY_FILE"));
  const size_t ftyp = seen[1].body.find("ftyp");
  const size_t moov = seen[1].body.find("moov");
  const size_t mdat = seen[1].body.find("mdat");
  ASSERT_NE(ftyp, std::string::npos);
  ASSERT_NE(moov, std::string::npos);
  ASSERT_NE(mdat, std::string::npos);
  EXPECT_LT(moov, mdat);
  // Then the cover, as a JPEG file.
  EXPECT_EQ(seen[2].path, "/open_api/v1.3/file/image/ad/upload/");
  EXPECT_TRUE(absl::StrContains(seen[2].body, "image/jpeg"));
}

TEST_F(CreativesSlideshowTest, AnImageIdTikTokDoesNotKnowNamesItsIndex) {
  fake_.known_images = {{"7107000000000000001", "/img/a.png"}};
  auto show = creatives_->UploadSlideshow(
      "token", "7101", {}, {"7107000000000000001", "7107000000000000009"},
      Deadline());
  EXPECT_THAT(show, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(Fields(show.status()), std::set<std::string>{"image_ids[1]"});
  EXPECT_EQ(fake_.seen().size(), 1u);  // Nothing was uploaded.
}

TEST_F(CreativesSlideshowTest, AnUndecodableImageUrlNamesItsIndex) {
  auto show = creatives_->UploadSlideshow(
      "token", "7101",
      {fake_.root() + "/img/a.png", fake_.root() + "/img/broken.png"}, {},
      Deadline());
  EXPECT_THAT(show, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(Fields(show.status()), std::set<std::string>{"image_urls[1]"});
  EXPECT_TRUE(fake_.seen().empty());
}

}  // namespace
}  // namespace ttads::ads
