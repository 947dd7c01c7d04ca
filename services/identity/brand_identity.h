#ifndef TTADS_SERVICES_IDENTITY_BRAND_IDENTITY_H_
#define TTADS_SERVICES_IDENTITY_BRAND_IDENTITY_H_

#include <string>

#include "absl/status/statusor.h"
#include "libs/fetch/image_info.h"
#include "libs/server/call_context.h"
#include "libs/store/redis.h"
#include "services/identity/account_store.h"
#include "services/identity/identity_catalog.h"
#include "services/identity/image_source.h"
#include "services/identity/tiktok_identity_api.h"
#include "ttads/identity/v1/identity_service.pb.h"

namespace ttads::identity {

struct BrandIdentityOptions {
  // Smallest accepted side of the (square) image, pixels.
  int min_image_side = 98;
  // Longest wait for another configuration of the same account.
  absl::Duration lock_wait = absl::Seconds(30);
};

// The Brand Identity (a CUSTOMIZED_USER) of a tiktokads account, Zernio's
// `PATCH /v1/connect/tiktok-ads`.
//
// Configure validates the name (1–40 characters, rejected — not truncated —
// outside that), then the account and the caller's token (so a caller
// without rights or a connection makes ttads fetch nothing), then the image
// (fetched through `images` within the call's deadline — in production
// from a public address only, at most 5 MB — then JPG or PNG by content,
// square, at least 98×98). Saving the same name
// and the same image bytes (SHA-256) as the cached identity returns it and
// creates nothing. Any change uploads the image, creates a new identity,
// swaps the cached id and appends the superseded id to the history: TikTok
// identities are immutable, so the old one stays orphaned on TikTok.
// Configurations of one account are serialised with a Redis lock
// (ttads:{team:T}:account:<A>:brand_lock) so concurrent identical saves
// create one identity.
class BrandIdentityManager {
 public:
  BrandIdentityManager(store::RedisPool* redis, AccountStore* accounts,
                       IdentityCatalog* catalog, TikTokIdentityApi* tiktok,
                       ImageSource* images, BrandIdentityOptions options);

  // Errors: INVALID_ARGUMENT with field violations (account_id,
  // display_name, image_url); NOT_FOUND for an unknown account or another
  // team's; the token resolver's FAILED_PRECONDITION NO_TOKEN /
  // PERMISSION_DENIED ADVERTISER_NOT_REACHABLE; DEADLINE_EXCEEDED when the
  // call's deadline ends the image download; UNAVAILABLE when the image host
  // or TikTok is; ABORTED when another configuration of the account holds
  // the lock past the deadline.
  absl::StatusOr<v1::ConfigureBrandIdentityResponse> Configure(
      const server::CallContext& call, const std::string& account_id,
      const std::string& display_name, const std::string& image_url);

  // NOT_FOUND for an unknown account or when none is configured.
  absl::StatusOr<v1::BrandIdentity> Get(const server::CallContext& call,
                                        const std::string& account_id);

 private:
  struct Image {
    std::string bytes;
    std::string sha256;
    fetch::ImageFormat format;
  };

  // The account, when it is the caller's team's tiktokads account.
  absl::StatusOr<v1::Account> AdsAccount(const server::CallContext& call,
                                         const std::string& account_id);
  // Downloads and checks the image: INVALID_ARGUMENT (field image_url) for
  // what the caller must fix, DEADLINE_EXCEEDED, UNAVAILABLE to retry.
  absl::StatusOr<Image> FetchImage(const server::CallContext& call,
                                   const std::string& image_url);
  // Under the account's lock: returns the cached identity when name and
  // image are unchanged, else uploads, creates and records a new one.
  absl::StatusOr<v1::ConfigureBrandIdentityResponse> Apply(
      const server::CallContext& call, const v1::Account& account,
      const connections::ResolvedToken& token, const std::string& display_name,
      const std::string& image_url, const Image& image);
  // Takes the account's lock (token `holder`) or gives up with ABORTED.
  absl::Status Lock(const std::string& key, const std::string& holder,
                    absl::Time deadline);
  void Unlock(const std::string& key, const std::string& holder);

  store::RedisPool* redis_;
  AccountStore* accounts_;
  IdentityCatalog* catalog_;
  TikTokIdentityApi* tiktok_;
  ImageSource* images_;
  BrandIdentityOptions options_;
};

}  // namespace ttads::identity

#endif  // TTADS_SERVICES_IDENTITY_BRAND_IDENTITY_H_
