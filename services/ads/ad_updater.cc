#include "services/ads/ad_updater.h"

#include <set>
#include <vector>

#include "google/api/field_behavior.pb.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/util/message_differencer.h"
#include "libs/idempotency/request_digest.h"
#include "libs/status/status.h"
#include "libs/status/status_macros.h"
#include "services/ads/ad_input.h"
#include "services/ads/ad_validation.h"

namespace ttads::ads {
namespace {

using google::protobuf::FieldDescriptor;

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

std::string WhyNotUpdatable(const std::string& path) {
  const FieldDescriptor* f = v1::Ad::descriptor()->FindFieldByName(path);
  if (f == nullptr) return "unknown field \"" + path + "\" (not a field of Ad)";
  if (HasFieldBehavior(f, google::api::OUTPUT_ONLY)) {
    return path + " is output only: TikTok sets it";
  }
  if (HasFieldBehavior(f, google::api::IMMUTABLE)) {
    return path + " is immutable: it cannot change after creation";
  }
  if (path == "card_type")
    return "card_type is not a TikTok v1.3 creative field";
  if (!IsUpdatable(path)) return "cannot update " + path;
  return "";
}

absl::StatusOr<v1::Ad> AdUpdater::Update(const server::CallContext& call,
                                         const v1::UpdateAdRequest& req) {
  std::vector<status::FieldViolation> bad;
  if (req.ad_id().empty()) bad.push_back({"ad_id", "required"});
  if (!req.has_ad()) bad.push_back({"ad", "required"});
  Patch patch;
  if (req.update_mask().paths_size() > 0) {
    for (const std::string& path : req.update_mask().paths()) {
      if (std::string why = WhyNotUpdatable(path); !why.empty()) {
        bad.push_back({"update_mask", std::move(why)});
      } else {
        patch.mask.push_back(path);
      }
    }
  } else {
    // No mask: the fields set in `ad` (AIP-134). OUTPUT_ONLY ones are
    // ignored (AIP-203), IMMUTABLE ones must equal the ad's (checked once
    // it is read).
    const auto* d = v1::Ad::descriptor();
    for (int i = 0; i < d->field_count(); ++i) {
      const FieldDescriptor* f = d->field(i);
      if (!IsFieldSet(req.ad(), f) ||
          HasFieldBehavior(f, google::api::OUTPUT_ONLY)) {
        continue;
      }
      // An INPUT_ONLY one is never read back, so it cannot be compared.
      if (HasFieldBehavior(f, google::api::IMMUTABLE) &&
          !HasFieldBehavior(f, google::api::INPUT_ONLY)) {
        patch.unchanged.push_back(f);
      } else if (std::string why = WhyNotUpdatable(f->name()); !why.empty()) {
        bad.push_back({"ad." + f->name(), std::move(why)});
      } else {
        patch.mask.push_back(f->name());
      }
    }
    if (req.has_ad() && patch.mask.empty()) {
      bad.push_back({"update_mask",
                     "nothing to change: name the fields, or set in `ad` a "
                     "field UpdateAd can change"});
    }
  }
  patch.values = AdInputOf(req.ad());
  std::vector<std::string> notes;
  ValidateCreativeFields(patch.values, &bad, &patch.call_to_action, &notes);
  for (const auto& f : patch.mask) {
    if ((f == "ad_text" && patch.values.ad_text().empty()) ||
        (f == "landing_page_url" && patch.values.landing_page_url().empty())) {
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
                           Apply(call, req, patch));
    return absl::OkStatus();
  };
  TTADS_RETURN_IF_ERROR(idempotency::RunOnce(
      idempotency_, {call.caller.team_id, "ads.UpdateAd", req.request_id()},
      idempotency::RequestDigest(req), call.deadline, &out, op));
  return out;
}

absl::StatusOr<v1::Ad> AdUpdater::Apply(const server::CallContext& call,
                                        const v1::UpdateAdRequest& req,
                                        const Patch& patch) {
  TTADS_ASSIGN_OR_RETURN(FoundAd current,
                         reader_->Find(call, req.advertiser_id(), req.ad_id()));
  std::vector<status::FieldViolation> changed;
  for (const FieldDescriptor* f : patch.unchanged) {
    google::protobuf::util::MessageDifferencer same;
    if (!same.CompareWithFields(req.ad(), current.ad.ad, {f}, {f})) {
      changed.push_back(
          {"ad." + f->name(),
           "is immutable: it cannot change after creation (send the ad's "
           "own value, or leave it unset)"});
    }
  }
  if (!changed.empty()) {
    return status::InvalidArgument("invalid ad update", std::move(changed));
  }
  AdUpdate update;
  update.ad_id = req.ad_id();
  update.adgroup_id = current.ad.ad.adgroup_id();
  update.patch = true;
  for (const auto& f : patch.mask) update.patch &= IsPatchable(f);
  update.current = &current.ad;
  update.mask = patch.mask;
  update.values = patch.values;
  update.call_to_action = patch.call_to_action;
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
