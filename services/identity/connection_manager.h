#ifndef TTADS_SERVICES_IDENTITY_CONNECTION_MANAGER_H_
#define TTADS_SERVICES_IDENTITY_CONNECTION_MANAGER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/connections/connection_store.h"
#include "libs/server/call_context.h"
#include "libs/store/redis.h"
#include "services/identity/tiktok_identity_api.h"

namespace ttads::identity {

struct ConnectionManagerOptions {
  // Where the member grants consent (TikTok's portal; the simulator serves
  // the same path).
  std::string consent_base_url = "https://business-api.tiktok.com/portal/auth";
  std::string app_id;
  // Used when StartConnection gets no redirect_uri.
  std::string default_redirect_uri;
  // How long a `state` stays valid.
  absl::Duration state_ttl = absl::Minutes(10);
};

struct StartedConnection {
  std::string consent_url;
  std::string state;
  absl::Time expire_time;
};

// TikTok OAuth for members: start (consent URL + single-use state), complete
// (auth_code exchange, encrypted token, advertisers and scopes), list and
// revoke. A failed completion stores nothing.
//
// Redis: ttads:{team:T}:oauth_state:<state> (STRING JSON {member_id,
// redirect_uri}, TTL state_ttl; consumed with GETDEL so a state works once).
class ConnectionManager {
 public:
  ConnectionManager(store::RedisPool* redis,
                    connections::ConnectionStore* connections,
                    TikTokIdentityApi* tiktok,
                    ConnectionManagerOptions options);

  // Errors: INVALID_ARGUMENT for a redirect_uri that is not an http(s) URL.
  absl::StatusOr<StartedConnection> Start(const server::CallContext& call,
                                          const std::string& redirect_uri);

  // Errors (field violations name `state` / `auth_code`):
  //   INVALID_ARGUMENT when either is missing;
  //   FAILED_PRECONDITION "OAUTH_STATE_INVALID" for an unknown, expired,
  //     used or other member's state;
  //   FAILED_PRECONDITION "AUTH_CODE_INVALID" for a used/expired code
  //     (TikTok 40110);
  //   FAILED_PRECONDITION "NO_ADVERTISERS" when the grant reaches none;
  //   the TikTok client's error otherwise.
  absl::StatusOr<connections::Connection> Complete(
      const server::CallContext& call, const std::string& state,
      const std::string& auth_code);

  absl::StatusOr<std::vector<connections::Connection>> List(
      const server::CallContext& call, bool mine_only);

  // Revokes the token at TikTok, then marks the connection revoked. A
  // token TikTok already considers dead (40105) or a non-retryable refusal
  // still marks it; an unreachable TikTok (transport failure, retryable
  // code) is returned and changes nothing, so the member can retry. Errors:
  // INVALID_ARGUMENT (connection_id) when empty; NOT_FOUND (unknown or
  // another team's); PERMISSION_DENIED when a mediabuyer revokes a
  // teammate's.
  absl::StatusOr<connections::Connection> Revoke(
      const server::CallContext& call, const std::string& connection_id);

 private:
  // Consumes the caller's `state` (GETDEL): FAILED_PRECONDITION
  // OAUTH_STATE_INVALID when unknown, used, expired or another member's.
  absl::Status ConsumeState(const server::CallContext& call,
                            const std::string& state);
  // The exchange, with TikTok's 40110 as FAILED_PRECONDITION
  // AUTH_CODE_INVALID (field auth_code).
  absl::StatusOr<Grant> Exchange(const server::CallContext& call,
                                 const std::string& auth_code);

  store::RedisPool* redis_;
  connections::ConnectionStore* connections_;
  TikTokIdentityApi* tiktok_;
  ConnectionManagerOptions options_;
};

}  // namespace ttads::identity

#endif  // TTADS_SERVICES_IDENTITY_CONNECTION_MANAGER_H_
