// CreativeUploads (the UploadImage and UploadVideo RPCs' domain) against
// the fake TikTok, the fake connection store and the binary's private
// redis-server (request-id records): what each request must carry, which
// advertiser and token an upload uses, and the request-id rules — the same
// request twice or concurrently uploads once and is answered alike, another
// request under the key is ALREADY_EXISTS naming it.
#include "services/ads/creative_uploads.h"

#include <atomic>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "libs/testing/status_matchers.h"
#include "services/ads/ads_domain_test_env.h"

namespace ttads::ads {
namespace {

using ::testing::HasSubstr;
using testing::IsOk;
using ::testing::SizeIs;
using testing::StatusIs;

constexpr char kVideo[] = "7301000000000002001";
constexpr char kCover[] = "https://cdn.example/cover-2001.jpg";

class CreativeUploadsTest : public AdsDomainTest {
 protected:
  CreativeUploadsTest() { tiktok_.video_covers[kVideo] = kCover; }

  // A request id no other test of this binary uses.
  static std::string NewRequestId(const std::string& name) {
    static std::atomic<int> n{0};
    return absl::StrCat("creative-uploads-", name, "-", ++n);
  }

  static v1::UploadImageRequest ImageByFileId(const std::string& request_id) {
    v1::UploadImageRequest req;
    req.set_advertiser_id(kAdvertiser);
    req.set_file_id("file-1");
    req.set_request_id(request_id);
    return req;
  }

  static v1::UploadVideoRequest VideoById(const std::string& request_id) {
    v1::UploadVideoRequest req;
    req.set_advertiser_id(kAdvertiser);
    req.set_video_id(kVideo);
    req.set_file_name("spring.mp4");
    req.set_request_id(request_id);
    return req;
  }

  idempotency::IdempotencyStore store_{TestRedis()};
  Creatives creatives_{&tiktok_, {}};
  CreativeUploads uploads_{&creatives_, &tokens_, &store_};
};

TEST_F(CreativeUploadsTest, AnImageWithoutASourceIsRefusedNamingImageUrl) {
  v1::UploadImageRequest req;
  req.set_advertiser_id(kAdvertiser);
  req.set_request_id(NewRequestId("image"));
  auto image = uploads_.UploadImage(Call(), req);
  EXPECT_THAT(image, StatusIs(absl::StatusCode::kInvalidArgument,
                              HasSubstr("image_url or file_id")));
  EXPECT_EQ(Fields(image.status()), std::set<std::string>{"image_url"});
  EXPECT_THAT(tiktok_.CallLog(), SizeIs(0));

  // The refusal leaves the key free: corrected, the request uploads.
  req.set_file_id("file-1");
  EXPECT_THAT(uploads_.UploadImage(Call(), req), IsOk());
  EXPECT_EQ(tiktok_.Calls("UploadImage"), 1);
}

TEST_F(CreativeUploadsTest, AVideoWithoutASourceIsRefusedNamingVideoUrl) {
  v1::UploadVideoRequest req;
  req.set_advertiser_id(kAdvertiser);
  req.set_file_name("spring.mp4");
  req.set_request_id(NewRequestId("video"));
  auto video = uploads_.UploadVideo(Call(), req);
  EXPECT_THAT(video, StatusIs(absl::StatusCode::kInvalidArgument,
                              HasSubstr("video_url or video_id")));
  EXPECT_EQ(Fields(video.status()), std::set<std::string>{"video_url"});
  EXPECT_THAT(tiktok_.CallLog(), SizeIs(0));

  req.set_video_id(kVideo);
  EXPECT_THAT(uploads_.UploadVideo(Call(), req), IsOk());
  EXPECT_EQ(tiktok_.Calls("UploadVideo"), 1);
}

TEST_F(CreativeUploadsTest, ARequestIdOver128CharactersIsRefusedNamingIt) {
  const std::string too_long(129, 'r');
  auto image = uploads_.UploadImage(Call(), ImageByFileId(too_long));
  EXPECT_THAT(image, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(Fields(image.status()), std::set<std::string>{"request_id"});
  auto video = uploads_.UploadVideo(Call(), VideoById(too_long));
  EXPECT_THAT(video, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(Fields(video.status()), std::set<std::string>{"request_id"});
  EXPECT_THAT(tiktok_.CallLog(), SizeIs(0));
}

TEST_F(CreativeUploadsTest, AnImageByFileIdIsSentWithTheCallersToken) {
  v1::UploadImageRequest req = ImageByFileId("");
  req.clear_advertiser_id();  // The caller's only advertiser.
  auto image = uploads_.UploadImage(Call(), req);
  ASSERT_THAT(image, IsOk());
  EXPECT_FALSE(image->image_id().empty());
  ASSERT_THAT(tiktok_.image_uploads, SizeIs(1));
  EXPECT_EQ(tiktok_.image_uploads[0].kind, ImageUpload::Kind::kFileId);
  EXPECT_EQ(tiktok_.image_uploads[0].file_id, "file-1");
  EXPECT_EQ(tiktok_.accesses.back().advertiser_id, kAdvertiser);
  EXPECT_EQ(tiktok_.accesses.back().token, std::string("token-") + kOwner);
}

TEST_F(CreativeUploadsTest, AVideoByIdIsUploadedWithItsCover) {
  auto video = uploads_.UploadVideo(Call(), VideoById(""));
  ASSERT_THAT(video, IsOk());
  EXPECT_EQ(video->video_id(), kVideo);
  EXPECT_EQ(video->video_cover_url(), kCover);
  EXPECT_FALSE(video->cover_image_id().empty());
  EXPECT_THAT(tiktok_.CallLog(),
              ::testing::ElementsAre("UploadVideo", "UploadImage"));
  ASSERT_THAT(tiktok_.image_uploads, SizeIs(1));
  EXPECT_EQ(tiktok_.image_uploads[0].kind, ImageUpload::Kind::kUrl);
  EXPECT_EQ(tiktok_.image_uploads[0].url, kCover);
  EXPECT_EQ(tiktok_.accesses.front().token, std::string("token-") + kOwner);
}

TEST_F(CreativeUploadsTest, AnAdvertiserOutOfReachUploadsNothing) {
  v1::UploadImageRequest image = ImageByFileId(NewRequestId("image"));
  image.set_advertiser_id("7101000000000000009");
  EXPECT_THAT(uploads_.UploadImage(Call(), image),
              StatusIs(absl::StatusCode::kPermissionDenied));
  v1::UploadVideoRequest video = VideoById(NewRequestId("video"));
  video.set_advertiser_id("7101000000000000009");
  EXPECT_THAT(uploads_.UploadVideo(Call(), video),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(tiktok_.CallLog(), SizeIs(0));
}

TEST_F(CreativeUploadsTest,
       TheSameImageRequestTwiceUploadsOnceAndAnswersAlike) {
  const v1::UploadImageRequest req = ImageByFileId(NewRequestId("image"));
  auto first = uploads_.UploadImage(Call(), req);
  auto second = uploads_.UploadImage(Call(), req);
  ASSERT_THAT(first, IsOk());
  ASSERT_THAT(second, IsOk());
  EXPECT_EQ(second->SerializeAsString(), first->SerializeAsString());
  EXPECT_EQ(tiktok_.Calls("UploadImage"), 1);
}

TEST_F(CreativeUploadsTest, TheSameVideoRequestConcurrentlyUploadsOnce) {
  const v1::UploadVideoRequest req = VideoById(NewRequestId("video"));
  constexpr int kCalls = 6;
  std::vector<std::optional<absl::StatusOr<v1::Video>>> answers(kCalls);
  std::vector<std::thread> threads;
  for (int i = 0; i < kCalls; ++i) {
    threads.emplace_back(
        [&, i] { answers[i].emplace(uploads_.UploadVideo(Call(), req)); });
  }
  for (auto& t : threads) t.join();
  for (const auto& a : answers) {
    ASSERT_THAT(*a, IsOk());
    EXPECT_EQ((*a)->SerializeAsString(), (*answers[0])->SerializeAsString());
  }
  // One video and its cover.
  EXPECT_EQ(tiktok_.Calls("UploadVideo"), 1);
  EXPECT_EQ(tiktok_.Calls("UploadImage"), 1);
}

TEST_F(CreativeUploadsTest, AnotherRequestUnderTheKeyIsRefusedNamingIt) {
  const std::string id = NewRequestId("image");
  ASSERT_THAT(uploads_.UploadImage(Call(), ImageByFileId(id)), IsOk());
  v1::UploadImageRequest other = ImageByFileId(id);
  other.set_file_id("file-2");
  EXPECT_THAT(uploads_.UploadImage(Call(), other),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr(id)));
  EXPECT_EQ(tiktok_.Calls("UploadImage"), 1);

  const std::string video_id = NewRequestId("video");
  ASSERT_THAT(uploads_.UploadVideo(Call(), VideoById(video_id)), IsOk());
  v1::UploadVideoRequest other_video = VideoById(video_id);
  other_video.set_file_name("autumn.mp4");
  EXPECT_THAT(uploads_.UploadVideo(Call(), other_video),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr(video_id)));
  EXPECT_EQ(tiktok_.Calls("UploadVideo"), 1);
}

// Images and videos keep their request ids apart: the same id names one
// image and one video.
TEST_F(CreativeUploadsTest, ImagesAndVideosKeepTheirKeysApart) {
  const std::string id = NewRequestId("both");
  EXPECT_THAT(uploads_.UploadImage(Call(), ImageByFileId(id)), IsOk());
  EXPECT_THAT(uploads_.UploadVideo(Call(), VideoById(id)), IsOk());
  EXPECT_EQ(tiktok_.Calls("UploadVideo"), 1);
  EXPECT_EQ(tiktok_.Calls("UploadImage"), 2);  // the image and the cover
}

TEST_F(CreativeUploadsTest, WithoutARequestIdEveryCallUploads) {
  EXPECT_THAT(uploads_.UploadImage(Call(), ImageByFileId("")), IsOk());
  EXPECT_THAT(uploads_.UploadImage(Call(), ImageByFileId("")), IsOk());
  EXPECT_EQ(tiktok_.Calls("UploadImage"), 2);
}

// TikTok has no upload key, so a failed upload is not looked for: the key
// is free again and the retry uploads.
TEST_F(CreativeUploadsTest, AFailedUploadLeavesTheKeyToTheRetry) {
  const v1::UploadImageRequest req = ImageByFileId(NewRequestId("image"));
  tiktok_.fail_next["UploadImage"].push_back(
      absl::UnavailableError("TikTok is down"));
  EXPECT_THAT(uploads_.UploadImage(Call(), req),
              StatusIs(absl::StatusCode::kUnavailable));
  auto retried = uploads_.UploadImage(Call(), req);
  ASSERT_THAT(retried, IsOk());
  EXPECT_EQ(tiktok_.Calls("UploadImage"), 2);
  EXPECT_EQ(uploads_.UploadImage(Call(), req)->SerializeAsString(),
            retried->SerializeAsString());
  EXPECT_EQ(tiktok_.Calls("UploadImage"), 2);
}

}  // namespace
}  // namespace ttads::ads
