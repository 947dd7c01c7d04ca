#include "services/ads/ad_updater.h"

#include <set>
#include <vector>

#include "absl/strings/str_split.h"
#include "libs/idempotency/request_digest.h"
#include "libs/status/status.h"
#include "libs/status/status_macros.h"
#include "services/ads/ad_validation.h"

namespace ttads::ads {
namespace {

bool IsUpdatable(const std::string& field) {
  static const auto* kUpdatable =
      new std::set<std::string>{"ad_name",
                                "ad_text",
                                "call_to_action",
                                "landing_page_url",
                                "display_name",
                                "click_tracking_url",
                                "impression_tracking_url",
                                "video_view_tracking_url",
                                "tracking_pixel_id",
                                "deeplink",
                                "deeplink_type",
                                "fallback_type",
                                "page_id",
                                "card_id",
                                "video_id",
                                "image_ids"};
  return kUpdatable->count(field) > 0;
}

}  // namespace

bool IsPatchable(const std::string& field) {
  // Update ads, patch_update: ad_name, identity_id, identity_type,
  // identity_authorized_bc_id, video_id, image_ids, music_id, tiktok_item_id,
  // ad_text, ad_texts. Of those, UpdateAd can change these four.
  return field == "ad_name" || field == "ad_text" || field == "video_id" ||
         field == "image_ids";
}

absl::StatusOr<v1::Ad> AdUpdater::Update(const server::CallContext& call,
                                         const v1::UpdateAdRequest& req) {
  std::vector<status::FieldViolation> bad;
  if (req.ad_id().empty()) bad.push_back({"ad_id", "required"});
  const std::vector<std::string> mask(req.update_mask().paths().begin(),
                                      req.update_mask().paths().end());
  if (mask.empty()) bad.push_back({"update_mask", "name at least one field"});
  for (const auto& f : mask) {
    if (f == "card_type") {
      bad.push_back(
          {"update_mask", "card_type is not a TikTok v1.3 creative field"});
    } else if (!IsUpdatable(f)) {
      bad.push_back({"update_mask", "cannot update " + f});
    }
  }
  std::string cta;
  std::vector<std::string> notes;
  ValidateCreativeFields(req.ad(), &bad, &cta, &notes);
  for (const auto& f : mask) {
    if ((f == "ad_text" && req.ad().ad_text().empty()) ||
        (f == "landing_page_url" && req.ad().landing_page_url().empty())) {
      bad.push_back({"ad." + f, "cannot be cleared"});
    }
  }
  if (!bad.empty()) {
    return status::InvalidArgument("invalid ad update", std::move(bad));
  }
  v1::Ad out;
  idempotency::Operation op;
  op.apply = [&](idempotency::Attempt&,
                 google::protobuf::Message* response) -> absl::Status {
    TTADS_ASSIGN_OR_RETURN(*static_cast<v1::Ad*>(response),
                           Apply(call, req, mask, cta));
    return absl::OkStatus();
  };
  TTADS_RETURN_IF_ERROR(idempotency::RunOnce(
      idempotency_, {call.caller.team_id, "ads.UpdateAd", req.request_id()},
      idempotency::RequestDigest(req), call.deadline, &out, op));
  return out;
}

absl::StatusOr<v1::Ad> AdUpdater::Apply(const server::CallContext& call,
                                        const v1::UpdateAdRequest& req,
                                        const std::vector<std::string>& mask,
                                        const std::string& cta) {
  TTADS_ASSIGN_OR_RETURN(FoundAd current,
                         reader_->Find(call, req.advertiser_id(), req.ad_id()));
  AdUpdate update;
  update.ad_id = req.ad_id();
  update.adgroup_id = current.ad.ad.adgroup_id();
  update.patch = true;
  for (const auto& f : mask) update.patch &= IsPatchable(f);
  update.current = &current.ad;
  update.mask = mask;
  update.values = req.ad();
  update.call_to_action = cta;
  AdvertiserAccess access = current.access;
  if (!current.ad.ad.advertiser_id().empty()) {
    access.advertiser_id = current.ad.ad.advertiser_id();
  }
  TTADS_RETURN_IF_ERROR(tiktok_->UpdateAd(access, update, call.deadline));
  v1::GetAdRequest get;
  get.set_advertiser_id(req.advertiser_id());
  get.set_ad_id(req.ad_id());
  return reader_->Get(call, get);
}

}  // namespace ttads::ads
