#ifndef TTADS_LIBS_CONNECTIONS_TOKEN_RESOLVER_H_
#define TTADS_LIBS_CONNECTIONS_TOKEN_RESOLVER_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "libs/connections/connection_store.h"

namespace ttads::connections {

// Who asks for a token: taken from the API key of the call.
struct TokenRequester {
  std::string team_id;
  std::string member_id;
  // "owner", "manager" or "mediabuyer".
  std::string role;
};

// The token a call uses and the advertiser it acts on.
struct ResolvedToken {
  Connection connection;
  std::string access_token;
  std::string advertiser_id;
  // True when the token is a teammate's (owner/manager fallback).
  bool borrowed = false;
};

// Token resolution, shared by every service so they all apply the same
// tenant and role rules (Wevion's team fallback):
//   1. the requester's own active connections, oldest first;
//   2. owners and managers only: any teammate's active connection;
//      mediabuyers never borrow (their role sees only their own data).
// With an advertiser id, the first candidate whose grant reaches that
// advertiser wins; without one, the first candidate wins and its first
// advertiser is used.
//
// Errors (each with an ErrorInfo reason):
//   FAILED_PRECONDITION "NO_TOKEN" when no candidate is active (nothing
//     connected, or a mediabuyer without a connection of their own);
//   PERMISSION_DENIED "ADVERTISER_NOT_REACHABLE" when candidates exist but
//     none reaches the requested advertiser.
class TokenResolver {
 public:
  explicit TokenResolver(ConnectionStore* store) : store_(store) {}

  absl::StatusOr<ResolvedToken> Resolve(const TokenRequester& requester,
                                        std::string_view advertiser_id) const;

  // Whether `role` may fall back to teammates' tokens.
  static bool MayBorrow(std::string_view role);

 private:
  ConnectionStore* store_;
};

}  // namespace ttads::connections

#endif  // TTADS_LIBS_CONNECTIONS_TOKEN_RESOLVER_H_
