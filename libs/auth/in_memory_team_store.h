#ifndef TTADS_LIBS_AUTH_IN_MEMORY_TEAM_STORE_H_
#define TTADS_LIBS_AUTH_IN_MEMORY_TEAM_STORE_H_

#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "absl/time/clock.h"
#include "libs/auth/team_store.h"

namespace ttads::auth {

// A TeamStore kept in process memory, for unit tests of code that depends
// on TeamStore. Same contract and error codes as RedisTeamStore (the shared
// contract test runs against both); keys are held hashed here too. A test
// fake: built only with the tests (target ttads_auth_testing), never linked
// into a product binary.
class InMemoryTeamStore final : public TeamStore {
 public:
  // `clock` tells the time for creation times and key expiry (tests pass a
  // fake one to cross a rotation's overlap without waiting).
  explicit InMemoryTeamStore(std::function<absl::Time()> clock = absl::Now)
      : clock_(std::move(clock)) {}

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
  struct StoredKey {
    ApiKeyInfo info;
    std::string digest;
  };

  absl::Status FindTeamLocked(std::string_view team_id);
  absl::Time Now() const;
  IssuedKey IssueLocked(const std::string& team_id,
                        const std::string& member_id);

  const std::function<absl::Time()> clock_;

  std::mutex mu_;
  int64_t sequence_ = 0;  // creation order
  std::map<std::string, std::pair<int64_t, Team>> teams_;
  std::map<std::string, std::pair<int64_t, Member>> members_;  // by id
  std::map<std::string, std::pair<int64_t, StoredKey>> keys_;  // by key id
};

}  // namespace ttads::auth

#endif  // TTADS_LIBS_AUTH_IN_MEMORY_TEAM_STORE_H_
