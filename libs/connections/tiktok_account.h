#ifndef TTADS_LIBS_CONNECTIONS_TIKTOK_ACCOUNT_H_
#define TTADS_LIBS_CONNECTIONS_TIKTOK_ACCOUNT_H_

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/time.h"

namespace ttads::connections {

// One member's TikTok *account* connection: a Login Kit (OAuth v2) grant
// that signs in a TikTok user (the organic side: their video posts,
// sounds), as opposed to Connection, a Marketing API advertiser grant. The
// tokens are not part of the record (TikTokAccountStore::Tokens).
struct TikTokAccount {
  enum class State {
    kActive,
    // A refresh failed for good (TikTok's invalid_grant): the member has
    // to consent again; no call uses it meanwhile.
    kNeedsReconsent,
    kRevoked,
  };

  std::string connection_id;
  std::string team_id;
  std::string member_id;
  std::string open_id;  // TikTok's id of the user.
  State state = State::kActive;
  std::vector<std::string> scopes;  // What the user agreed to.
  absl::Time access_expire_time = absl::UnixEpoch();
  absl::Time refresh_expire_time = absl::UnixEpoch();
  absl::Time create_time = absl::UnixEpoch();
  absl::Time state_time = absl::UnixEpoch();  // Last state change.

  bool HasScope(std::string_view scope) const {
    return std::find(scopes.begin(), scopes.end(), scope) != scopes.end();
  }
};

// The secrets of a TikTokAccount (encrypted at rest).
struct AccountTokens {
  std::string access_token;
  std::string refresh_token;
  absl::Time access_expire_time = absl::UnixEpoch();
  absl::Time refresh_expire_time = absl::UnixEpoch();
};

}  // namespace ttads::connections

#endif  // TTADS_LIBS_CONNECTIONS_TIKTOK_ACCOUNT_H_
