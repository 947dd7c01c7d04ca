#ifndef TTADS_LIBS_TIKTOK_OPEN_FAKE_LOGIN_API_H_
#define TTADS_LIBS_TIKTOK_OPEN_FAKE_LOGIN_API_H_

#include <functional>
#include <map>
#include <mutex>
#include <set>

#include "absl/strings/str_cat.h"
#include "libs/status/status.h"
#include "libs/status/status_macros.h"
#include "libs/tiktok_open/login_api.h"

namespace ttads::tiktok_open {

// In-memory Login Kit for domain tests (thread-safe). Codes are minted with
// AddCode; refresh tokens rotate like TikTok's; `before_refresh` runs
// (outside the lock) at the start of every Refresh, so a test can hold a
// refresh in flight; `refresh_error` makes refreshes fail.
class FakeLoginApi : public LoginApi {
 public:
  void AddCode(const std::string& code, const std::string& redirect_uri,
               std::vector<std::string> scopes,
               const std::string& open_id = "open-1") {
    std::lock_guard<std::mutex> lock(mu_);
    codes_[code] = {redirect_uri, std::move(scopes), open_id};
  }

  absl::StatusOr<UserTokens> ExchangeCode(const std::string& code,
                                          const std::string& redirect_uri,
                                          absl::Time) override {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = codes_.find(code);
    if (it == codes_.end() || it->second.redirect_uri != redirect_uri) {
      return Invalid("code is invalid");
    }
    Code c = it->second;
    codes_.erase(it);
    scopes_ = c.scopes;
    return IssueLocked(c.open_id);
  }

  absl::StatusOr<UserTokens> Refresh(const std::string& refresh_token,
                                     absl::Time) override {
    if (before_refresh) before_refresh();
    std::lock_guard<std::mutex> lock(mu_);
    ++refresh_calls_;
    TTADS_RETURN_IF_ERROR(refresh_error);
    if (!live_refresh_.count(refresh_token)) {
      return Invalid("refresh token is invalid");
    }
    live_refresh_.erase(refresh_token);
    return IssueLocked("open-1");
  }

  absl::Status Revoke(const std::string& access_token, absl::Time) override {
    std::lock_guard<std::mutex> lock(mu_);
    revoked_.insert(access_token);
    return revoke_error;
  }

  int refresh_calls() const {
    std::lock_guard<std::mutex> lock(mu_);
    return refresh_calls_;
  }
  bool revoked(const std::string& token) const {
    std::lock_guard<std::mutex> lock(mu_);
    return revoked_.count(token) > 0;
  }
  // Makes `token` a refresh token this fake accepts.
  void AcceptRefreshToken(const std::string& token) {
    std::lock_guard<std::mutex> lock(mu_);
    live_refresh_.insert(token);
  }

  std::function<void()> before_refresh;
  absl::Status refresh_error;
  absl::Status revoke_error;
  absl::Duration access_ttl = absl::Hours(24);

 private:
  struct Code {
    std::string redirect_uri;
    std::vector<std::string> scopes;
    std::string open_id;
  };
  static absl::Status Invalid(const std::string& why) {
    return status::WithErrorInfo(absl::FailedPreconditionError(why),
                                 kGrantInvalid);
  }
  UserTokens IssueLocked(const std::string& open_id) {
    ++serial_;
    UserTokens t;
    t.open_id = open_id;
    t.access_token = absl::StrCat("act.fake", serial_);
    t.refresh_token = absl::StrCat("rft.fake", serial_);
    t.scopes = scopes_;
    t.access_expire_time = absl::Now() + access_ttl;
    t.refresh_expire_time = absl::Now() + absl::Hours(24 * 365);
    live_refresh_.insert(t.refresh_token);
    return t;
  }
  mutable std::mutex mu_;
  std::map<std::string, Code> codes_;
  std::set<std::string> live_refresh_;
  std::set<std::string> revoked_;
  std::vector<std::string> scopes_;
  int serial_ = 0;
  int refresh_calls_ = 0;
};

}  // namespace ttads::tiktok_open

#endif  // TTADS_LIBS_TIKTOK_OPEN_FAKE_LOGIN_API_H_
