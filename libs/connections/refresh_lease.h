#ifndef TTADS_LIBS_CONNECTIONS_REFRESH_LEASE_H_
#define TTADS_LIBS_CONNECTIONS_REFRESH_LEASE_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/store/redis.h"

namespace ttads::connections {

// A short exclusive lease on refreshing one TikTok account's tokens, so
// that however many replicas notice a token is about to expire, one of
// them calls TikTok (TikTok rotates the refresh token: a second, parallel
// refresh with the old one would fail and look like a dead grant).
class RefreshLease {
 public:
  virtual ~RefreshLease() = default;
  // True when `owner` now holds the lease of (team_id, id) for `ttl`; false
  // when someone else holds it.
  virtual absl::StatusOr<bool> TryAcquire(std::string_view team_id,
                                          std::string_view id,
                                          std::string_view owner,
                                          absl::Duration ttl) = 0;
  // Gives the lease up if `owner` still holds it (an expired lease taken
  // over by another owner is left alone).
  virtual absl::Status Release(std::string_view team_id, std::string_view id,
                               std::string_view owner) = 0;
};

// ttads:{team:T}:ttacct_refresh:<C>  STRING owner, PX ttl (SET NX; released
// by a compare-and-delete script).
class RedisRefreshLease : public RefreshLease {
 public:
  explicit RedisRefreshLease(store::RedisPool* redis) : redis_(redis) {}
  absl::StatusOr<bool> TryAcquire(std::string_view team_id, std::string_view id,
                                  std::string_view owner,
                                  absl::Duration ttl) override;
  absl::Status Release(std::string_view team_id, std::string_view id,
                       std::string_view owner) override;

 private:
  store::RedisPool* redis_;
};

// The Redis key of the lease on (team_id, id).
std::string RefreshLeaseKey(std::string_view team_id, std::string_view id);

}  // namespace ttads::connections

#endif  // TTADS_LIBS_CONNECTIONS_REFRESH_LEASE_H_
