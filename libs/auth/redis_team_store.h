#ifndef TTADS_LIBS_AUTH_REDIS_TEAM_STORE_H_
#define TTADS_LIBS_AUTH_REDIS_TEAM_STORE_H_

#include <functional>
#include <utility>

#include "absl/time/clock.h"
#include "libs/auth/team_store.h"
#include "libs/store/redis.h"

namespace ttads::auth {

// TeamStore over Redis, with the keys documented in docs/redis-keys.md:
//   ttads:teams                      ZSET  team ids by creation (unix µs)
//   ttads:{team:T}:team              HASH  id name tier subscription_active
//                                          create_time
//   ttads:{team:T}:members           ZSET  member ids by creation
//   ttads:{team:T}:member:M          HASH  id team_id name role create_time
//   ttads:{team:T}:apikeys           ZSET  key ids by creation
//   ttads:{team:T}:apikey:K          HASH  key_id team_id member_id
//                                          key_sha256 create_time revoked
//                                          [revoke_time] [expire_time
//                                          successor_key_id] (rotated)
//   ttads:apikey:<sha256>            HASH  key_id team_id member_id role
//                                          [expire_time] (the lookup
//                                          Authenticate reads; deleted on
//                                          revocation; a rotated key's
//                                          expires with it)
//   ttads:apikeyid:K                 STRING team id (finds K's team)
// None of them expire. Authenticate is one HGETALL and reads nothing
// cached, so a revocation takes effect for the very next call in every
// process. RevokeApiKey also publishes the digest on kRevocationChannel so
// processes that cache Authenticate results can drop it (see
// RevocationWatcher); RotateApiKey publishes the old key's digest the same
// way once its lookup carries the expiry, so caches re-read it and stop
// answering for it when the overlap ends. The member's role is copied into the
// lookup when the key is issued (members' roles do not change in this version).
class RedisTeamStore final : public TeamStore {
 public:
  // `pool` must outlive the store. `clock` tells the time for creation
  // times and key expiry (tests pass a fake one to cross a rotation's
  // overlap without waiting).
  explicit RedisTeamStore(store::RedisPool& pool,
                          std::function<absl::Time()> clock = absl::Now)
      : pool_(pool), clock_(std::move(clock)) {}

  absl::StatusOr<Team> CreateTeam(std::string_view name, std::string_view tier,
                                  bool subscription_active) override;
  absl::StatusOr<Team> GetTeam(std::string_view team_id) override;
  absl::StatusOr<std::vector<Team>> ListTeams() override;
  absl::Status SetSubscriptionActive(std::string_view team_id,
                                     bool active) override;
  absl::Status SetTier(std::string_view team_id,
                       std::string_view tier) override;
  absl::StatusOr<Member> AddMember(std::string_view team_id,
                                   std::string_view name, Role role) override;
  absl::StatusOr<Member> GetMember(std::string_view team_id,
                                   std::string_view member_id) override;
  absl::StatusOr<std::vector<Member>> ListMembers(
      std::string_view team_id) override;
  absl::Status DeleteMember(std::string_view team_id,
                            std::string_view member_id) override;
  absl::StatusOr<IssuedKey> IssueApiKey(std::string_view team_id,
                                        std::string_view member_id) override;
  absl::Status RevokeApiKey(std::string_view key_id) override;
  absl::StatusOr<std::vector<ApiKeyInfo>> ListApiKeys(
      std::string_view team_id) override;
  absl::StatusOr<RotatedKey> RotateApiKey(std::string_view key_id,
                                          absl::Duration overlap) override;
  absl::StatusOr<Principal> Authenticate(
      std::string_view plaintext_key) override;

 private:
  absl::Status RequireTeam(std::string_view team_id);
  absl::Status SetTeamField(std::string_view team_id, std::string field,
                            std::string value);
  absl::Time Now() const;
  // Stores a new key `key_id` of `member` (records first, lookup last).
  absl::StatusOr<IssuedKey> IssueKey(const Member& member,
                                     const std::string& key_id);
  // The team of key `key_id` and its record; NOT_FOUND when unknown.
  absl::StatusOr<std::pair<std::string, ApiKeyInfo>> FindKey(
      std::string_view key_id);

  store::RedisPool& pool_;
  const std::function<absl::Time()> clock_;
};

}  // namespace ttads::auth

#endif  // TTADS_LIBS_AUTH_REDIS_TEAM_STORE_H_
