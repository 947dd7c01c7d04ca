#ifndef TTADS_SERVICES_ADS_CREATED_AD_H_
#define TTADS_SERVICES_ADS_CREATED_AD_H_

#include "libs/server/call_context.h"
#include "services/ads/ad_reader.h"
#include "ttads/ads/v1/ads_service.pb.h"

namespace ttads::ads {

// The Ad CreateAd answers (AIP-133) for what AdCreator::Create did.
//
// ComposedAd: the ad as the request and the outcome describe it: the first
// created id (none for validate_only), the advertiser, ad group, name (as
// sent by the caller; generated ones are TikTok's to tell), text, format,
// call to action, identity, landing page and the media ids the request
// named. No campaign, status or times: only TikTok knows those.
v1::Ad ComposedAd(const v1::AdInput& req, const v1::AdCreation& created);

// CreatedAd: the ad as TikTok holds it, read back with `reader` (one
// /ad/get/; the name carries the reconciliation marker, as GetAd shows it);
// ComposedAd when nothing was created (validate_only) or the read fails: the
// ad exists either way, so a failed read never fails the creation.
// Blocking.
v1::Ad CreatedAd(AdReader& reader, const server::CallContext& call,
                 const v1::AdInput& req, const v1::AdCreation& created);

}  // namespace ttads::ads

#endif  // TTADS_SERVICES_ADS_CREATED_AD_H_
