#ifndef TTADS_SERVICES_IDENTITY_TIKTOK_IDENTITY_API_H_
#define TTADS_SERVICES_IDENTITY_TIKTOK_IDENTITY_API_H_

#include <cstdint>
#include <functional>
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

// The TikTok endpoints the identity service uses, as an interface so the
// domain classes are unit-tested with a fake. Every method takes the
// caller's deadline; errors are the TikTok client's (libs/tiktok), with the
// TikTok error payload attached.
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
  // GET /identity/get/ for every identity of the advertiser. TikTok's
  // page_info is reliable only on typed calls, so it is never trusted on the
  // untyped one: the untyped listing is walked until a short page (one call
  // when the first page is short, the common case). When it runs past one
  // page, every type is listed on its own, following its page_info:
  // TT_USER, CUSTOMIZED_USER, AUTH_CODE, and BC_AUTH_TT per Business Center
  // named in the untyped listing.
  virtual absl::StatusOr<std::vector<common::v1::Identity>> ListIdentities(
      const std::string& access_token, const std::string& advertiser_id,
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
  absl::StatusOr<std::vector<common::v1::Identity>> ListIdentities(
      const std::string& access_token, const std::string& advertiser_id,
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
  using IdentitySink = std::function<void(common::v1::Identity)>;
  // Every page of one /identity/get/ listing (`identity_type` empty: the
  // untyped one) into `sink`, each identity once; returns the pages read.
  absl::StatusOr<int> ListIdentityPages(const std::string& access_token,
                                        const std::string& advertiser_id,
                                        const std::string& identity_type,
                                        const std::string& bc_id,
                                        absl::Time deadline, IdentitySink sink);

  tiktok::Client* client_;
};

// Parses TikTok's identity_type text ("TT_USER", …); UNSPECIFIED if unknown.
common::v1::IdentityType ParseIdentityType(const std::string& text);

}  // namespace ttads::identity

#endif  // TTADS_SERVICES_IDENTITY_TIKTOK_IDENTITY_API_H_
