#include "services/ads/created_ad.h"

#include "libs/contracts/enum_names.h"

namespace ttads::ads {

v1::Ad ComposedAd(const v1::AdInput& req, const v1::AdCreation& created) {
  v1::Ad ad;
  if (!created.ad_ids().empty()) ad.set_ad_id(created.ad_ids(0));
  ad.set_advertiser_id(created.advertiser_id().empty()
                           ? req.advertiser_id()
                           : created.advertiser_id());
  ad.set_adgroup_id(req.adgroup_id());
  ad.set_ad_name(req.ad_name());
  ad.set_ad_text(req.ad_text());
  // The format sent to TikTok, always one of AdFormat's words.
  v1::AdFormat format = v1::AD_FORMAT_UNSPECIFIED;
  contracts::ParseAnyName(created.ad_format(), &format);
  ad.set_ad_format(format);
  ad.set_call_to_action(created.call_to_action());
  ad.set_identity_id(created.identity().identity_id());
  ad.set_identity_type(created.identity().identity_type());
  ad.set_landing_page_url(req.landing_page_url());
  ad.set_video_id(req.video_id());
  for (const auto& id : req.image_ids()) ad.add_image_ids(id);
  return ad;
}

v1::Ad CreatedAd(AdReader& reader, const server::CallContext& call,
                 const v1::AdInput& req, const v1::AdCreation& created) {
  v1::Ad composed = ComposedAd(req, created);
  if (composed.ad_id().empty()) return composed;
  v1::GetAdRequest get;
  get.set_advertiser_id(composed.advertiser_id());
  get.set_ad_id(composed.ad_id());
  absl::StatusOr<v1::Ad> read = reader.Get(call, get);
  return read.ok() ? *std::move(read) : composed;
}

}  // namespace ttads::ads
