#ifndef TTADS_SERVICES_IDENTITY_TIKTOK_IDENTITY_API_H_
#define TTADS_SERVICES_IDENTITY_TIKTOK_IDENTITY_API_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/connections/connection.h"
#include "libs/tiktok/client.h"
#include "ttads/common/v1/common.pb.h"

namespace ttads::identity {

// What an OAuth auth_code exchange grants.
struct Grant {
  std::string access_token;
  std::vector<std::string> advertiser_ids;
  std::vector<int64_t> scopes;
};

// Which page of an advertiser's identity list to read.
struct IdentityPageRequest {
  std::string advertiser_id;
  // IDENTITY_TYPE_UNSPECIFIED: every type (the untyped listing).
  common::v1::IdentityType type = common::v1::IDENTITY_TYPE_UNSPECIFIED;
  // The Business Center; required by TikTok when `type` is BC_AUTH_TT.
  std::string authorized_bc_id;
  int page = 1;         // 1-based
  int page_size = 100;  // TikTok's maximum
};

// One page of an identity list, as TikTok answered it.
struct IdentityPage {
  std::vector<common::v1::Identity> identities;
  // page_info.total_page; 1 when TikTok sent none. Reliable only on typed
  // requests ("Correct pagination info is available only when you have
  // specified identity_type", Get the identity list).
  int total_page = 1;
};

// The TikTok endpoints the identity service uses, in domain types, as an
// interface so the domain classes are unit-tested with a fake
// (fake_tiktok_identity_api.h). Every TikTok request and response shape
// lives in the implementation. Every method takes the caller's deadline;
// errors are the TikTok client's (libs/tiktok), with the TikTok error
// payload attached (tiktok::GetTikTokErrorInfo: e.g. 40105 for a revoked
// token, 40110 for a used auth_code).
class TikTokIdentityApi {
 public:
  virtual ~TikTokIdentityApi() = default;

  // POST /oauth2/access_token/.
  virtual absl::StatusOr<Grant> ExchangeAuthCode(const std::string& auth_code,
                                                 absl::Time deadline) = 0;
  // GET /oauth2/advertiser/get/.
  virtual absl::StatusOr<std::vector<connections::AdvertiserRef>>
  GetAdvertisers(const std::string& access_token, absl::Time deadline) = 0;
  // POST /oauth2/revoke_token/.
  virtual absl::Status RevokeToken(const std::string& access_token,
                                   absl::Time deadline) = 0;
  // GET /identity/get/: one page (ListEveryIdentity walks them).
  virtual absl::StatusOr<IdentityPage> ListIdentityPage(
      const std::string& access_token, const IdentityPageRequest& request,
      absl::Time deadline) = 0;
  // POST /identity/create/ (CUSTOMIZED_USER); returns the identity id.
  virtual absl::StatusOr<std::string> CreateCustomIdentity(
      const std::string& access_token, const std::string& advertiser_id,
      const std::string& display_name, const std::string& image_id,
      absl::Time deadline) = 0;
  // POST /file/image/ad/upload/ UPLOAD_BY_FILE with the MD5 signature;
  // returns the image id.
  virtual absl::StatusOr<std::string> UploadImage(
      const std::string& access_token, const std::string& advertiser_id,
      const std::string& bytes, const std::string& file_name,
      absl::Time deadline) = 0;
};

// The production implementation over the shared TikTok client.
class ClientIdentityApi : public TikTokIdentityApi {
 public:
  explicit ClientIdentityApi(tiktok::Client* client) : client_(client) {}

  absl::StatusOr<Grant> ExchangeAuthCode(const std::string& auth_code,
                                         absl::Time deadline) override;
  absl::StatusOr<std::vector<connections::AdvertiserRef>> GetAdvertisers(
      const std::string& access_token, absl::Time deadline) override;
  absl::Status RevokeToken(const std::string& access_token,
                           absl::Time deadline) override;
  absl::StatusOr<IdentityPage> ListIdentityPage(
      const std::string& access_token, const IdentityPageRequest& request,
      absl::Time deadline) override;
  absl::StatusOr<std::string> CreateCustomIdentity(
      const std::string& access_token, const std::string& advertiser_id,
      const std::string& display_name, const std::string& image_id,
      absl::Time deadline) override;
  absl::StatusOr<std::string> UploadImage(const std::string& access_token,
                                          const std::string& advertiser_id,
                                          const std::string& bytes,
                                          const std::string& file_name,
                                          absl::Time deadline) override;

 private:
  tiktok::Client* client_;
};

// Parses TikTok's identity_type text ("TT_USER", …); UNSPECIFIED if unknown.
common::v1::IdentityType ParseIdentityType(const std::string& text);

}  // namespace ttads::identity

#endif  // TTADS_SERVICES_IDENTITY_TIKTOK_IDENTITY_API_H_
