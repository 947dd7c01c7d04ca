#ifndef TTADS_LIBS_AUTH_CACHING_TEAM_STORE_H_
#define TTADS_LIBS_AUTH_CACHING_TEAM_STORE_H_

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "libs/auth/revocation_watcher.h"
#include "libs/auth/team_store.h"

namespace ttads::auth {

// A TeamStore that remembers successful Authenticate answers for `ttl`, so
// the hot path of every call (the gateway, every service) does not pay a
// Redis round trip per request — without ever letting a revoked key through:
// the cache follows the RevocationWatcher contract (bypassed while the
// revocation subscription is down, cleared on a gap, the revoked digest
// erased on a revocation, and an answer inserted only when no revocation
// arrived while it was being fetched). A key revoked anywhere is refused
// within the time the revocation message takes to arrive (milliseconds).
// A rotated key is never answered for past its expire_time (an entry lives
// until the earlier of `ttl` and the key's expiry, with no message needed);
// rotations publish too, so an answer cached before the rotation is
// re-read with its expiry. Everything else is forwarded to the wrapped
// store unchanged.
class CachingTeamStore final : public TeamStore {
 public:
  // `watch` connects to the Redis that RevokeApiKey publishes on. `clock`
  // tells when entries and rotated keys expire (tests pass a fake one).
  CachingTeamStore(TeamStore* inner, store::RedisOptions watch,
                   absl::Duration ttl = absl::Seconds(30),
                   std::function<absl::Time()> clock = absl::Now);
  ~CachingTeamStore() override;

  absl::StatusOr<Principal> Authenticate(
      std::string_view plaintext_key) override;

  // The cached answer for a key, without I/O; nullopt on a miss or while
  // revocations cannot be followed.
  std::optional<Principal> CachedPrincipal(std::string_view plaintext_key);
  std::optional<Principal> AuthenticateWithoutIo(
      std::string_view plaintext_key) override {
    return CachedPrincipal(plaintext_key);
  }

  // For tests: whether the revocation subscription is up.
  bool WaitLive(absl::Duration timeout);

  absl::StatusOr<Team> CreateTeam(std::string_view name, std::string_view tier,
                                  bool subscription_active) override {
    return inner_->CreateTeam(name, tier, subscription_active);
  }
  absl::StatusOr<Team> GetTeam(std::string_view team_id) override {
    return inner_->GetTeam(team_id);
  }
  absl::StatusOr<std::vector<Team>> ListTeams() override {
    return inner_->ListTeams();
  }
  absl::Status SetSubscriptionActive(std::string_view team_id,
                                     bool active) override {
    return inner_->SetSubscriptionActive(team_id, active);
  }
  absl::Status SetTier(std::string_view team_id,
                       std::string_view tier) override {
    return inner_->SetTier(team_id, tier);
  }
  absl::StatusOr<Member> AddMember(std::string_view team_id,
                                   std::string_view name, Role role) override {
    return inner_->AddMember(team_id, name, role);
  }
  absl::StatusOr<Member> GetMember(std::string_view team_id,
                                   std::string_view member_id) override {
    return inner_->GetMember(team_id, member_id);
  }
  absl::StatusOr<std::vector<Member>> ListMembers(
      std::string_view team_id) override {
    return inner_->ListMembers(team_id);
  }
  absl::Status DeleteMember(std::string_view team_id,
                            std::string_view member_id) override;
  absl::StatusOr<IssuedKey> IssueApiKey(std::string_view team_id,
                                        std::string_view member_id) override {
    return inner_->IssueApiKey(team_id, member_id);
  }
  absl::Status RevokeApiKey(std::string_view key_id) override;
  absl::StatusOr<std::vector<ApiKeyInfo>> ListApiKeys(
      std::string_view team_id) override {
    return inner_->ListApiKeys(team_id);
  }
  absl::StatusOr<RotatedKey> RotateApiKey(std::string_view key_id,
                                          absl::Duration overlap) override;

 private:
  struct Entry {
    Principal principal;
    absl::Time expires;
  };

  // Drops every cached answer (after a change made through this process).
  void Clear();

  TeamStore* inner_;
  absl::Duration ttl_;
  std::function<absl::Time()> clock_;
  std::mutex mu_;
  std::unordered_map<std::string, Entry> cache_;  // key digest → answer
  std::unique_ptr<RevocationWatcher> watcher_;
};

}  // namespace ttads::auth

#endif  // TTADS_LIBS_AUTH_CACHING_TEAM_STORE_H_
