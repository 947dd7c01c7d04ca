#ifndef TTADS_SERVICES_IDENTITY_FAKE_TIKTOK_IDENTITY_API_H_
#define TTADS_SERVICES_IDENTITY_FAKE_TIKTOK_IDENTITY_API_H_

#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "services/identity/tiktok_identity_api.h"

namespace ttads::identity {

// An in-memory TikTok for the identity domain's unit tests. It keeps
// advertisers, their identities, auth codes and tokens, and answers like
// TikTok does where the domain depends on it (the rules are those of
// docs/tiktok-contract/identity.md):
//   - an auth code works once, then 40110;
//   - a token that is unknown or revoked gets 40105; one that does not reach
//     the advertiser gets 40001;
//   - GET /identity/get/ pages are exact on typed requests, but the untyped
//     listing's page_info counts only CUSTOMIZED_USER identities (TikTok's
//     is unreliable there; the simulator models it the same way);
//   - BC_AUTH_TT listings need identity_authorized_bc_id (40002).
// Every request is recorded for assertions; FailNext injects an error.
// Thread-safe.
class FakeTikTokIdentityApi : public TikTokIdentityApi {
 public:
  struct Upload {
    std::string access_token;
    std::string advertiser_id;
    std::string bytes;
    std::string file_name;
  };
  struct Create {
    std::string access_token;
    std::string advertiser_id;
    std::string display_name;
    std::string image_id;
  };

  // A status like the TikTok client's for envelope `code` (payload included).
  static absl::Status TikTokError(int code, const std::string& message);

  void AddAdvertiser(const std::string& advertiser_id, const std::string& name);
  // Adds an identity (its identity_id is assigned when empty); returns it.
  common::v1::Identity AddIdentity(const std::string& advertiser_id,
                                   common::v1::Identity identity);
  // A live token reaching `advertiser_ids`.
  void AddToken(const std::string& token,
                std::vector<std::string> advertiser_ids);
  // An auth code whose exchange grants a new token for `advertiser_ids`.
  std::string MintAuthCode(std::vector<std::string> advertiser_ids);
  // Revokes `token` at "TikTok" (not through RevokeToken).
  void RevokeBehindOurBack(const std::string& token);
  bool IsRevoked(const std::string& token);
  // The next call of `method` (the interface's method name, e.g.
  // "ListIdentityPage") fails with `status`, before any effect.
  void FailNext(const std::string& method, absl::Status status);
  // The next CreateCustomIdentity creates the identity, then fails with
  // `status` (the answer lost after TikTok applied it).
  void LoseNextCreateAnswer(absl::Status status);

  // Calls of `method` so far.
  int Calls(const std::string& method);
  std::vector<IdentityPageRequest> page_requests();
  std::vector<std::string> revoke_requests();
  std::vector<Upload> uploads();
  std::vector<Create> creates();
  // The deadline the last call carried.
  absl::Time last_deadline();

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
  struct Token {
    std::vector<std::string> advertiser_ids;
    bool revoked = false;
  };

  // Counts the call, records the deadline, and returns the injected failure
  // if any. Requires mu_.
  absl::Status Enter(const std::string& method, absl::Time deadline);
  // 40105 for an unknown or revoked token; 40001 when it does not reach
  // `advertiser_id` (unless empty). Requires mu_.
  absl::Status CheckToken(const std::string& token,
                          const std::string& advertiser_id);
  std::string NewId(const std::string& prefix);

  std::mutex mu_;
  std::map<std::string, std::string> advertiser_names_;
  // Identities per advertiser, in creation order.
  std::map<std::string, std::vector<common::v1::Identity>> identities_;
  std::map<std::string, Token> tokens_;
  std::map<std::string, std::vector<std::string>> auth_codes_;
  std::set<std::string> used_codes_;
  std::map<std::string, absl::Status> failures_;
  std::optional<absl::Status> lose_next_create_;
  std::map<std::string, int> calls_;
  std::vector<IdentityPageRequest> page_requests_;
  std::vector<std::string> revoke_requests_;
  std::vector<Upload> uploads_;
  std::vector<Create> creates_;
  absl::Time last_deadline_ = absl::InfinitePast();
  int next_id_ = 1;
};

}  // namespace ttads::identity

#endif  // TTADS_SERVICES_IDENTITY_FAKE_TIKTOK_IDENTITY_API_H_
