#ifndef TTADS_SERVICES_ADS_AD_MANAGER_H_
#define TTADS_SERVICES_ADS_AD_MANAGER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/connections/token_resolver.h"
#include "libs/server/call_context.h"
#include "libs/tiktok/client.h"
#include "nlohmann/json.hpp"
#include "ttads/ads/v1/ads_service.pb.h"
#include "ttads/identity/v1/identity_service.grpc.pb.h"

namespace ttads::ads {

// Converts one `/ad/get/` item to the API shape (unknown fields kept in
// `fields`).
v1::Ad AdFromJson(const nlohmann::json& item);

// /ad/update/'s two modes (Update ads, patch_update): whether UpdateAd can
// change `field` in patch mode (ad_name, ad_text, video_id, image_ids).
bool IsPatchable(const std::string& field);
// The full-update creative for an ad as /ad/get/ returned it: the creative
// fields ttads may set, without nulls and empty values.
nlohmann::json FullCreative(const nlohmann::json& item);
// The wire values of the `mask` fields of `ad` (the UpdateAd request's ad as
// JSON with proto field names): TikTok's enum spelling, numbers for
// tracking_pixel_id/page_id, null for a cleared field. `normalized_cta` is
// the corrected call to action.
nlohmann::json UpdateChanges(const std::vector<std::string>& mask,
                             const nlohmann::json& ad,
                             const std::string& normalized_cta);

// Reads and changes existing ads, reports, Spark posts and the guarded raw
// call (docs/ads.md "Manage and observe"). Every method resolves the
// caller's token with the shared rule (own connection, owners/managers may
// borrow), validates its input before calling TikTok, and blocks (runs on
// the work queue).
class AdManager {
 public:
  struct Options {
    // Path prefixes CallTikTokApi may reach (TTADS_ADS_RAW_CALL_ALLOWLIST).
    std::vector<std::string> raw_call_allowlist;
    // For the Business Center of BC_AUTH_TT identities (ListIdentityVideos).
    identity::v1::IdentityService::StubInterface* identity = nullptr;
  };
  AdManager(tiktok::Client* client, connections::TokenResolver* tokens,
            Options options)
      : client_(client), tokens_(tokens), options_(std::move(options)) {}

  // The token and advertiser for `advertiser_id` (empty: the first one).
  absl::StatusOr<connections::ResolvedToken> Token(
      const server::CallContext& call, const std::string& advertiser_id);

  absl::StatusOr<v1::Ad> Get(const server::CallContext& call,
                             const v1::GetAdRequest& req);
  absl::StatusOr<v1::SearchAdsResponse> Search(const server::CallContext& call,
                                               const v1::SearchAdsRequest& req);
  // Looks the ads up first (deleted and unknown ads are reported in
  // `failures` and never sent), then sends the rest 20 per call.
  // FAILED_PRECONDITION when nothing could change because every ad is
  // deleted.
  absl::StatusOr<v1::UpdateAdStatusResponse> UpdateStatus(
      const server::CallContext& call, const v1::UpdateAdStatusRequest& req);
  // Patch mode (patch_update true, only the changed fields) when every
  // field of the mask is patchable; otherwise a read-modify-write full
  // update: the ad as /ad/get/ returns it, with the changes, replaces the
  // creative. card_type is refused (not a v1.3 creative field).
  absl::StatusOr<v1::Ad> Update(const server::CallContext& call,
                                const v1::UpdateAdRequest& req);
  // Validates the date range against TikTok's limits (≤30 days by day, ≤1
  // day by hour) before calling; "-" metrics are left out.
  absl::StatusOr<v1::ListAdReportsResponse> Reports(
      const server::CallContext& call, const v1::ListAdReportsRequest& req);
  absl::StatusOr<v1::ListIdentityVideosResponse> IdentityVideos(
      const server::CallContext& call,
      const v1::ListIdentityVideosRequest& req);
  // The path is canonicalised first (raw_call_path.h): INVALID_ARGUMENT for
  // a path that is not one plain TikTok path (encoded or literal dot
  // segments, "//", '?', '#', control bytes, ...) or an unsupported method;
  // PERMISSION_DENIED outside the allow-list. Nothing is sent then.
  absl::StatusOr<v1::CallTikTokApiResponse> Raw(
      const server::CallContext& call, const v1::CallTikTokApiRequest& req);

 private:
  struct RawAd {
    nlohmann::json item;  // The /ad/get/ list item.
    connections::ResolvedToken token;
  };
  absl::StatusOr<RawAd> GetRaw(const server::CallContext& call,
                               const std::string& advertiser_id,
                               const std::string& ad_id);

  tiktok::Client* client_;
  connections::TokenResolver* tokens_;
  Options options_;
};

}  // namespace ttads::ads

#endif  // TTADS_SERVICES_ADS_AD_MANAGER_H_
