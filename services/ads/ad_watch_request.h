#ifndef TTADS_SERVICES_ADS_AD_WATCH_REQUEST_H_
#define TTADS_SERVICES_ADS_AD_WATCH_REQUEST_H_

#include "absl/status/statusor.h"
#include "libs/server/call_context.h"
#include "services/ads/ad_watch.h"
#include "services/ads/advertiser_tokens.h"
#include "ttads/ads/v1/ads_service.pb.h"

namespace ttads::ads {

// Events per poll cycle when WatchAdsRequest.limit is 0 (Ibexa's default),
// and the most a request may ask.
inline constexpr int kDefaultWatchLimit = 2;
inline constexpr int kMaxWatchLimit = 1000;
// The most advertisers one watch may name (each has its own poller).
inline constexpr int kMaxWatchAdvertisers = 50;

// Starts the watch `req` asks for on `hub`, delivering to `sink`; returns
// the handle to pass to AdWatchHub::Remove when the stream ends.
//
// The advertisers are `advertiser_id` (empty with no `advertiser_ids`: the
// caller's first advertiser) followed by `advertiser_ids` (Ibexa's
// "Advertiser IDs"); `advertiser_id` repeated there counts once. Each must
// be one the caller reaches (AdvertiserTokens); `cursor` resumes each from
// its position (ad_watch_cursor.h); `limit` caps the events per poll cycle
// (0: kDefaultWatchLimit). Nothing is registered when any of this fails:
//   - INVALID_ARGUMENT on `advertiser_ids[i]` for an id that is not 1–20
//     digits or is repeated, on `advertiser_ids` past kMaxWatchAdvertisers,
//     on `limit` outside 0–kMaxWatchLimit, on `cursor` (ParseWatchCursor);
//   - an advertiser the caller does not reach: the token rule's error
//     (PERMISSION_DENIED ADVERTISER_NOT_REACHABLE, ...), with a field
//     violation on `advertiser_ids[i]` when it came from that list.
absl::StatusOr<int> StartAdWatch(AdWatchHub* hub,
                                 const AdvertiserTokens& tokens,
                                 const server::CallContext& call,
                                 const v1::WatchAdsRequest& req,
                                 AdEventSink* sink);

}  // namespace ttads::ads

#endif  // TTADS_SERVICES_ADS_AD_WATCH_REQUEST_H_
