#ifndef TTADS_SERVICES_ADS_CREATIVE_UPLOADS_H_
#define TTADS_SERVICES_ADS_CREATIVE_UPLOADS_H_

#include "absl/status/statusor.h"
#include "libs/idempotency/idempotency_store.h"
#include "libs/server/call_context.h"
#include "services/ads/advertiser_tokens.h"
#include "services/ads/creatives.h"
#include "ttads/ads/v1/ads_service.pb.h"

namespace ttads::ads {

// The UploadImage and UploadVideo RPCs (blocking): each checks its request,
// honours its `request_id`, resolves the caller's advertiser and token
// (AdvertiserTokens) and uploads through Creatives.
//  - UploadImage needs `image_url` or `file_id`, UploadVideo `video_url` or
//    `video_id`: otherwise INVALID_ARGUMENT naming `image_url` /
//    `video_url`, and nothing is claimed or sent.
//  - A `request_id` over 128 characters is INVALID_ARGUMENT naming it.
//  - A `request_id` is honoured through libs/idempotency ("ads.UploadImage",
//    "ads.UploadVideo", per team): the same request again within 24 h gets
//    the first upload's answer and uploads nothing; another request under
//    the key is ALREADY_EXISTS naming it. An upload whose answer was lost
//    is uploaded again by the retry: at most one more material that no ad
//    uses (TikTok has no upload key), which is safe to leave.
// Errors besides those: AdvertiserTokens' (FAILED_PRECONDITION NO_TOKEN,
// PERMISSION_DENIED ADVERTISER_NOT_REACHABLE) and Creatives'.
class CreativeUploads {
 public:
  // `idempotency` null: request ids are ignored.
  CreativeUploads(Creatives* creatives, const AdvertiserTokens* tokens,
                  idempotency::IdempotencyStore* idempotency = nullptr)
      : creatives_(creatives), tokens_(tokens), idempotency_(idempotency) {}

  // By URL (`image_url`: fetched and sent UPLOAD_BY_FILE) or by `file_id`
  // (UPLOAD_BY_FILE_ID).
  absl::StatusOr<v1::Image> UploadImage(const server::CallContext& call,
                                        const v1::UploadImageRequest& req);
  // By URL (`video_url`) or by `video_id`, with its cover uploaded as an
  // image (Creatives::UploadVideo).
  absl::StatusOr<v1::Video> UploadVideo(const server::CallContext& call,
                                        const v1::UploadVideoRequest& req);

 private:
  Creatives* creatives_;
  const AdvertiserTokens* tokens_;
  idempotency::IdempotencyStore* idempotency_;
};

}  // namespace ttads::ads

#endif  // TTADS_SERVICES_ADS_CREATIVE_UPLOADS_H_
