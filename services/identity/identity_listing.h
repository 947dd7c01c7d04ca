#ifndef TTADS_SERVICES_IDENTITY_IDENTITY_LISTING_H_
#define TTADS_SERVICES_IDENTITY_IDENTITY_LISTING_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/identity/tiktok_identity_api.h"
#include "ttads/common/v1/common.pb.h"

namespace ttads::identity {

// Every identity of the advertiser (all types, each once), read page by page
// through `tiktok`.
//
// TikTok's page_info is reliable only on typed requests ("Correct
// pagination info is available only when you have specified identity_type",
// Get the identity list), so it is never trusted on the untyped one:
//   1. the untyped listing is read until a short page (fewer than
//      kIdentityPageSize items) or a page with nothing new — one call for
//      most advertisers, and then its items are the answer;
//   2. when it ran past one page, every type is listed on its own, following
//      its page_info: TT_USER, CUSTOMIZED_USER, AUTH_CODE, then BC_AUTH_TT
//      once per Business Center (identity_authorized_bc_id) named in the
//      untyped listing (TikTok requires the id with that type).
// At most kMaxIdentityPages pages per listing. Errors: the first failing
// page's.
absl::StatusOr<std::vector<common::v1::Identity>> ListEveryIdentity(
    TikTokIdentityApi& tiktok, const std::string& access_token,
    const std::string& advertiser_id, absl::Time deadline);

inline constexpr int kIdentityPageSize = 100;  // TikTok's maximum.
inline constexpr int kMaxIdentityPages = 1000;

}  // namespace ttads::identity

#endif  // TTADS_SERVICES_IDENTITY_IDENTITY_LISTING_H_
