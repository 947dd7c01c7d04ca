#ifndef TTADS_LIBS_TIKTOK_OPEN_LOGIN_API_H_
#define TTADS_LIBS_TIKTOK_OPEN_LOGIN_API_H_

// TikTok Login Kit (OAuth v2) for signing in a TikTok *user* (the organic
// side; the Marketing API's advertiser OAuth is libs/tiktok):
//   POST <base>/v2/oauth/token/   grant_type=authorization_code | refresh_token
//   POST <base>/v2/oauth/revoke/
// Bodies are application/x-www-form-urlencoded with client_key and
// client_secret; answers are flat JSON (access_token, expires_in, open_id,
// refresh_token, refresh_expires_in, scope, token_type), errors {error,
// error_description, log_id} (TikTok: "Manage User Access Tokens",
// "OAuth Error Handling"; docs/content.md cites them).

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace ttads::tiktok_open {

// ErrorInfo reasons of LoginApi errors.
inline constexpr char kGrantInvalid[] = "TIKTOK_GRANT_INVALID";
inline constexpr char kClientInvalid[] = "TIKTOK_CLIENT_INVALID";

// What a code exchange or a refresh returns.
struct UserTokens {
  std::string open_id;
  std::string access_token;
  std::string refresh_token;
  std::vector<std::string> scopes;  // As TikTok listed them.
  absl::Time access_expire_time = absl::InfinitePast();
  absl::Time refresh_expire_time = absl::InfinitePast();
};

// The Login Kit token endpoints, as an interface so the domain is tested
// with a fake. Errors:
//   FAILED_PRECONDITION reason TIKTOK_GRANT_INVALID: TikTok's invalid_grant
//     (code used/expired/mismatched, refresh token invalid, expired or
//     revoked) — the user has to consent again;
//   FAILED_PRECONDITION reason TIKTOK_CLIENT_INVALID: invalid_client (the
//     configured client key/secret are wrong);
//   UNAVAILABLE: transport failure, 5xx, server_error,
//     temporarily_unavailable (retry later);
//   DEADLINE_EXCEEDED: the deadline passed;
//   FAILED_PRECONDITION reason TIKTOK_REFUSED for any other refusal.
class LoginApi {
 public:
  virtual ~LoginApi() = default;
  virtual absl::StatusOr<UserTokens> ExchangeCode(
      const std::string& code, const std::string& redirect_uri,
      absl::Time deadline) = 0;
  virtual absl::StatusOr<UserTokens> Refresh(const std::string& refresh_token,
                                             absl::Time deadline) = 0;
  // Revokes the grant behind `access_token`.
  virtual absl::Status Revoke(const std::string& access_token,
                              absl::Time deadline) = 0;
};

struct LoginApiOptions {
  // "https://open.tiktokapis.com/" (the simulator's root URL locally).
  std::string base_url;
  std::string client_key;
  std::string client_secret;
};

class HttpLoginApi : public LoginApi {
 public:
  explicit HttpLoginApi(LoginApiOptions options)
      : options_(std::move(options)) {}
  absl::StatusOr<UserTokens> ExchangeCode(const std::string& code,
                                          const std::string& redirect_uri,
                                          absl::Time deadline) override;
  absl::StatusOr<UserTokens> Refresh(const std::string& refresh_token,
                                     absl::Time deadline) override;
  absl::Status Revoke(const std::string& access_token,
                      absl::Time deadline) override;

 private:
  absl::StatusOr<std::string> Post(
      const std::string& path,
      std::vector<std::pair<std::string, std::string>> fields,
      absl::Time deadline);
  LoginApiOptions options_;
};

// The answer body of /v2/oauth/token/ as UserTokens (`now` + expires_in).
// INTERNAL-free: a malformed answer is UNAVAILABLE (TikTok misbehaved).
absl::StatusOr<UserTokens> ParseTokenAnswer(const std::string& body,
                                            absl::Time now);
// Maps a non-200 answer of the OAuth endpoints to the errors above.
absl::Status OAuthAnswerError(int http_status, const std::string& body);
// The ErrorInfo reason of `status` ("" when none).
std::string ErrorReason(const absl::Status& status);

}  // namespace ttads::tiktok_open

#endif  // TTADS_LIBS_TIKTOK_OPEN_LOGIN_API_H_
