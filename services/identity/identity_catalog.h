#ifndef TTADS_SERVICES_IDENTITY_IDENTITY_CATALOG_H_
#define TTADS_SERVICES_IDENTITY_IDENTITY_CATALOG_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/auth/team_store.h"
#include "libs/connections/connection_store.h"
#include "libs/connections/token_resolver.h"
#include "libs/server/call_context.h"
#include "libs/store/redis.h"
#include "services/identity/custom_identity_name.h"
#include "services/identity/identity_list_cache.h"
#include "services/identity/tiktok_identity_api.h"
#include "ttads/common/v1/common.pb.h"

namespace ttads::identity {

inline constexpr int kMaxListPageSize = 100;

// Result of the Wevion identity check.
struct IdentityCheck {
  bool has_identity = false;
  common::v1::Identity identity;
  // "no_token", "no_tt_user", "api_error" when has_identity is false.
  std::string reason;
  std::string advertiser_id;
  common::v1::TikTokError tiktok_error;
};

// The advertiser's identities, as seen through the caller's token.
struct IdentityList {
  std::string advertiser_id;
  std::vector<common::v1::Identity> identities;
};

// One page of ListPage.
struct IdentityPageQuery {
  std::string advertiser_id;  // empty: the token's first advertiser
  // IDENTITY_TYPE_UNSPECIFIED: every type.
  common::v1::IdentityType type = common::v1::IDENTITY_TYPE_UNSPECIFIED;
  int page_size = 0;       // 0-100; 0 means 100
  std::string page_token;  // empty, or a next_page_token from ListPage
};

struct IdentityListPage {
  std::string advertiser_id;
  std::vector<common::v1::Identity> identities;
  std::string next_page_token;  // empty on the last page
};

// What callers ask of an advertiser's identities: the list (through
// IdentityListCache), a page of it, the Wevion TT_USER check, and Custom
// Identity creation (which invalidates the cached list). Every call resolves
// the caller's token first; a TikTok 40105 on it marks that connection
// revoked.
class IdentityCatalog {
 public:
  IdentityCatalog(store::RedisPool* redis,
                  connections::ConnectionStore* connections,
                  connections::TokenResolver* tokens, auth::TeamStore* teams,
                  TikTokIdentityApi* tiktok, CatalogOptions options);

  // Token and advertiser for the caller (shared token resolution).
  absl::StatusOr<connections::ResolvedToken> ResolveToken(
      const server::CallContext& call, const std::string& advertiser_id);

  // Every identity of the advertiser (all types), cached.
  absl::StatusOr<IdentityList> List(const server::CallContext& call,
                                    const std::string& advertiser_id);
  // A page of List, filtered by type (pages are cut from the cached list).
  // Errors: INVALID_ARGUMENT (page_size outside 0-100, a page_token that is
  // not one ListPage returned), before any token or TikTok call; as List.
  absl::StatusOr<IdentityListPage> ListPage(const server::CallContext& call,
                                            const IdentityPageQuery& query);
  // Every identity, for an already resolved token (cached).
  absl::StatusOr<std::vector<common::v1::Identity>> ListFor(
      const server::CallContext& call, const connections::ResolvedToken& token);

  // Wevion check: TT_USER present? Never fails for a missing token or an
  // upstream error (reported in the result).
  absl::StatusOr<IdentityCheck> Check(const server::CallContext& call,
                                      const std::string& advertiser_id);

  // Creates a CUSTOMIZED_USER. `display_name` is truncated to 40 characters
  // (code points, UTF-8 kept valid). Errors: INVALID_ARGUMENT for an empty
  // or non-UTF-8 name or a type other than CUSTOMIZED_USER;
  // FAILED_PRECONDITION "SUBSCRIPTION_REQUIRED" without an active
  // subscription; token errors as ResolveToken.
  absl::StatusOr<common::v1::Identity> CreateCustom(
      const server::CallContext& call, const std::string& advertiser_id,
      const std::string& display_name, const std::string& image_uri,
      common::v1::IdentityType type);

  // Creates a CUSTOMIZED_USER for an already resolved token (Brand
  // Identity) and invalidates the cache.
  absl::StatusOr<std::string> CreateCustomFor(
      const server::CallContext& call, const connections::ResolvedToken& token,
      const std::string& display_name, const std::string& image_id);

  void Invalidate(const std::string& team_id,
                  const std::string& advertiser_id) {
    cache_.Invalidate(team_id, advertiser_id);
  }

  // Marks the connection revoked when `status` is TikTok's 40105; returns
  // `status`.
  absl::Status NoteUpstreamFailure(const connections::ResolvedToken& token,
                                   absl::Status status);

 private:
  connections::ConnectionStore* connections_;
  connections::TokenResolver* tokens_;
  auth::TeamStore* teams_;
  TikTokIdentityApi* tiktok_;
  IdentityListCache cache_;
};

}  // namespace ttads::identity

#endif  // TTADS_SERVICES_IDENTITY_IDENTITY_CATALOG_H_
