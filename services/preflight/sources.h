#ifndef TTADS_SERVICES_PREFLIGHT_SOURCES_H_
#define TTADS_SERVICES_PREFLIGHT_SOURCES_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/server/call_context.h"

// The collaborators PublishChecker asks about an advertiser's assets and
// identities. Production implementations: TikTokAssetSource (TikTok client)
// wrapped in CachedAssetSource (Redis cache), and GrpcIdentitySource (the
// identity service); unit tests use fakes.
namespace ttads::preflight {

// One asset found on the advertiser.
struct FoundAsset {
  std::string id;
  std::string name;
  // Kind detail: identity type, pixel code, catalog type, app platform, form
  // status.
  std::string type;

  bool operator==(const FoundAsset&) const = default;
};

enum class AssetType { kPixel, kCatalog, kApp, kLeadForm };
// "pixel", "catalog", "app", "leadForm" (also the cache key suffix).
std::string_view AssetTypeName(AssetType type);

// What one asset list says.
struct AssetList {
  // Assets that satisfy the prerequisite.
  std::vector<FoundAsset> usable;
  // Assets that exist but cannot be used yet (e.g. lead forms still in
  // draft); they only feed the fix hint.
  std::vector<FoundAsset> unusable;
};

// Everything a source needs to reach TikTok for one advertiser.
struct AssetQuery {
  std::string team_id;
  std::string advertiser_id;
  std::string access_token;
  // Catalogs live in a Business Center; empty when the advertiser has none
  // that is known (see docs/preflight.md).
  std::string business_center_id;
  absl::Time deadline = absl::InfiniteFuture();
};

// Lists the advertiser's assets of one type.
// Errors: FAILED_PRECONDITION with ErrorInfo reason NO_BUSINESS_CENTER for
// catalogs without `business_center_id`; otherwise the upstream failure,
// carrying TikTok's error payload (libs/tiktok/error_class.h) when TikTok
// answered.
class AssetSource {
 public:
  virtual ~AssetSource() = default;
  virtual absl::StatusOr<AssetList> List(const AssetQuery& query,
                                         AssetType type) = 0;
};

// The identity an ad of the advertiser would run under.
struct ResolvedIdentity {
  FoundAsset identity;  // type = TT_USER, BC_AUTH_TT, CUSTOMIZED_USER, ...
};

// Asks the identity service, on behalf of the caller (its key, request id
// and deadline are forwarded).
class IdentitySource {
 public:
  virtual ~IdentitySource() = default;

  // The identity a new ad would run under, with CUSTOMIZED_USER accepted as
  // far as the identity service's policy allows (Wevion's fallback).
  // Errors: as the identity service's ResolveIdentity: FAILED_PRECONDITION
  // (ErrorInfo NO_TOKEN, NO_USABLE_IDENTITY), PERMISSION_DENIED
  // (ADVERTISER_NOT_REACHABLE), upstream failures with ErrorInfo metadata
  // tiktok_code / tiktok_request_id.
  virtual absl::StatusOr<ResolvedIdentity> Resolve(
      const server::CallContext& call, std::string_view advertiser_id) = 0;

  // Every identity of the advertiser (identity service's cached list).
  struct Listed {
    FoundAsset identity;
    std::string available_status;
    std::string authorized_bc_id;
  };
  virtual absl::StatusOr<std::vector<Listed>> List(
      const server::CallContext& call, std::string_view advertiser_id) = 0;
};

}  // namespace ttads::preflight

#endif  // TTADS_SERVICES_PREFLIGHT_SOURCES_H_
