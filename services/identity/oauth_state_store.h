#ifndef TTADS_SERVICES_IDENTITY_OAUTH_STATE_STORE_H_
#define TTADS_SERVICES_IDENTITY_OAUTH_STATE_STORE_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/store/redis.h"

namespace ttads::identity {

// Single-use OAuth `state` values of a team, each with a small record
// (whatever the flow needs back at completion) and a lifetime. States are
// per team: another team's Take of the same state finds nothing.
// fake_oauth_state_store.h holds the in-memory double for tests.
class OAuthStateStore {
 public:
  virtual ~OAuthStateStore() = default;
  // Stores `record` for `ttl`. A state already stored keeps its first record
  // (states are random: a clash is not overwritten).
  virtual absl::Status Put(const std::string& team_id, const std::string& state,
                           const std::string& record, absl::Duration ttl) = 0;
  // The record, removed; nullopt when unknown, expired or already taken.
  virtual absl::StatusOr<std::optional<std::string>> Take(
      const std::string& team_id, const std::string& state) = 0;
};

// ttads:{team:T}:<prefix>:<state>  STRING record, SET NX PX ttl (a TTL
// under a millisecond is stored as 1 ms); taken with GETDEL. Errors are the
// pool's (store::RedisPool::Command): UNAVAILABLE when Redis cannot be
// reached, INTERNAL for an error reply.
class RedisOAuthStateStore : public OAuthStateStore {
 public:
  RedisOAuthStateStore(store::RedisPool* redis, std::string prefix)
      : redis_(redis), prefix_(std::move(prefix)) {}
  absl::Status Put(const std::string& team_id, const std::string& state,
                   const std::string& record, absl::Duration ttl) override;
  absl::StatusOr<std::optional<std::string>> Take(
      const std::string& team_id, const std::string& state) override;

 private:
  store::RedisPool* redis_;
  std::string prefix_;
};

}  // namespace ttads::identity

#endif  // TTADS_SERVICES_IDENTITY_OAUTH_STATE_STORE_H_
