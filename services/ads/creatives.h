#ifndef TTADS_SERVICES_ADS_CREATIVES_H_
#define TTADS_SERVICES_ADS_CREATIVES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/fetch/public_fetcher.h"
#include "libs/media/slideshow.h"
#include "services/ads/tiktok_ads_api.h"
#include "ttads/ads/v1/ads_service.pb.h"

namespace ttads::ads {

struct CreativeOptions {
  // Guard for user-supplied URLs (public addresses only unless allow-listed).
  fetch::FetchOptions fetch;
  size_t max_image_bytes = 5 * 1024 * 1024;
  // TikTok's video limit (500 MB). Videos are streamed to a temp file, never
  // held in memory, then streamed to TikTok.
  size_t max_video_bytes = size_t{500} * 1024 * 1024;
  std::string temp_dir = "/tmp";
  // How image sources are rendered into a video (libs/media/slideshow.h).
  media::SlideshowOptions slideshow;
};

// A slideshow rendered from image sources and uploaded as a video.
struct UploadedSlideshow {
  std::string video_id;
  std::string cover_image_id;  // The first slide, uploaded as an image.
  int images = 0;
  media::SlideshowResult render;
};

// Uploads creatives to an advertiser (blocking; runs on the work queue).
//  - Images by public URL: fetched through the public-address guard, checked
//    to be JPG/PNG by content, sent UPLOAD_BY_FILE with the MD5 signature.
//    By file id: UPLOAD_BY_FILE_ID.
//  - Videos by public URL: streamed to a private temp file (size-capped),
//    uploaded UPLOAD_BY_FILE with the MD5 (the file part is streamed by
//    libcurl), then the temp file is removed. By id: UPLOAD_BY_VIDEO_ID.
//    The cover TikTok returns (video_cover_url) is uploaded as an image
//    (UPLOAD_BY_URL, TikTok fetches it) and returned as cover_image_id.
//  - Slideshows (image_urls or image_ids → SINGLE_VIDEO): the images are
//    obtained one at a time (image_urls through the public fetcher;
//    image_ids: their image_url from /file/image/ad/info/, then fetched the
//    same way), rendered into a private temp file (libs/media/slideshow.h),
//    uploaded UPLOAD_BY_FILE, and the first slide is uploaded as the
//    cover image; the temp file is removed.
// Errors: INVALID_ARGUMENT (field violation) for a URL that is not public,
// too large or the wrong type, an image id the advertiser does not have, or
// an image that cannot be decoded; UNAVAILABLE when the host or TikTok is
// down.
class Creatives {
 public:
  Creatives(TikTokAdsApi* tiktok, CreativeOptions options)
      : tiktok_(tiktok), options_(std::move(options)) {}

  absl::StatusOr<v1::Image> UploadImageUrl(const std::string& token,
                                           const std::string& advertiser_id,
                                           const std::string& url,
                                           const std::string& field,
                                           absl::Time deadline);
  absl::StatusOr<v1::Image> UploadImageFileId(const std::string& token,
                                              const std::string& advertiser_id,
                                              const std::string& file_id,
                                              absl::Time deadline);
  // The cover image a non-Spark SINGLE_VIDEO ad needs for an existing
  // video: video_cover_url from /file/video/ad/info/, uploaded as an image
  // (UPLOAD_BY_URL). INVALID_ARGUMENT (video_id) when TikTok does not list
  // the video for this advertiser.
  absl::StatusOr<v1::Image> CoverOfVideo(const std::string& token,
                                         const std::string& advertiser_id,
                                         const std::string& video_id,
                                         absl::Time deadline);
  // Uploads by URL; `video_id` non-empty re-uploads an existing video id.
  absl::StatusOr<v1::Video> UploadVideo(const std::string& token,
                                        const std::string& advertiser_id,
                                        const std::string& url,
                                        const std::string& video_id,
                                        const std::string& file_name,
                                        absl::Time deadline);
  // Renders `image_urls` or (when those are empty) `image_ids` into a
  // slideshow and uploads it and its cover. Field violations name
  // "image_urls[i]" / "image_ids[i]".
  absl::StatusOr<UploadedSlideshow> UploadSlideshow(
      const std::string& token, const std::string& advertiser_id,
      const std::vector<std::string>& image_urls,
      const std::vector<std::string>& image_ids, absl::Time deadline);

 private:
  // Uploads encoded JPEG/PNG bytes (UPLOAD_BY_FILE with the MD5).
  absl::StatusOr<v1::Image> UploadImageBytes(const std::string& token,
                                             const std::string& advertiser_id,
                                             std::string bytes,
                                             const std::string& field,
                                             absl::Time deadline);
  // Uploads an image TikTok fetches itself (UPLOAD_BY_URL): a video cover.
  absl::StatusOr<v1::Image> UploadCoverUrl(const std::string& token,
                                           const std::string& advertiser_id,
                                           const std::string& url,
                                           absl::Time deadline);

  TikTokAdsApi* tiktok_;
  CreativeOptions options_;
};

}  // namespace ttads::ads

#endif  // TTADS_SERVICES_ADS_CREATIVES_H_
