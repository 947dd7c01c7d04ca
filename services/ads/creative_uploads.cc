#include "services/ads/creative_uploads.h"

#include "libs/idempotency/request_digest.h"
#include "libs/idempotency/run_once.h"
#include "libs/status/status.h"
#include "libs/status/status_macros.h"

namespace ttads::ads {

absl::StatusOr<v1::Image> CreativeUploads::UploadImage(
    const server::CallContext& call, const v1::UploadImageRequest& req) {
  if (req.image_url().empty() && req.file_id().empty()) {
    return status::InvalidArgument("image_url or file_id is required",
                                   {{"image_url", "required"}});
  }
  idempotency::Operation op;
  op.apply = [&](idempotency::Attempt&,
                 google::protobuf::Message* response) -> absl::Status {
    TTADS_ASSIGN_OR_RETURN(AdvertiserAccess access,
                           tokens_->For(call, req.advertiser_id()));
    TTADS_ASSIGN_OR_RETURN(
        *static_cast<v1::Image*>(response),
        req.image_url().empty()
            ? creatives_->UploadImageFileId(access.token, access.advertiser_id,
                                            req.file_id(), call.deadline)
            : creatives_->UploadImageUrl(access.token, access.advertiser_id,
                                         req.image_url(), "image_url",
                                         call.deadline));
    return absl::OkStatus();
  };
  v1::Image out;
  TTADS_RETURN_IF_ERROR(idempotency::RunOnce(
      idempotency_, {call.caller.team_id, "ads.UploadImage", req.request_id()},
      idempotency::RequestDigest(req), call.deadline, &out, op));
  return out;
}

absl::StatusOr<v1::Video> CreativeUploads::UploadVideo(
    const server::CallContext& call, const v1::UploadVideoRequest& req) {
  if (req.video_url().empty() && req.video_id().empty()) {
    return status::InvalidArgument("video_url or video_id is required",
                                   {{"video_url", "required"}});
  }
  idempotency::Operation op;
  op.apply = [&](idempotency::Attempt&,
                 google::protobuf::Message* response) -> absl::Status {
    TTADS_ASSIGN_OR_RETURN(AdvertiserAccess access,
                           tokens_->For(call, req.advertiser_id()));
    TTADS_ASSIGN_OR_RETURN(
        *static_cast<v1::Video*>(response),
        creatives_->UploadVideo(access.token, access.advertiser_id,
                                req.video_url(), req.video_id(),
                                req.file_name(), call.deadline));
    return absl::OkStatus();
  };
  v1::Video out;
  TTADS_RETURN_IF_ERROR(idempotency::RunOnce(
      idempotency_, {call.caller.team_id, "ads.UploadVideo", req.request_id()},
      idempotency::RequestDigest(req), call.deadline, &out, op));
  return out;
}

}  // namespace ttads::ads
