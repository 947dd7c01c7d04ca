#ifndef TTADS_LIBS_CONNECTIONS_TIKTOK_ACCOUNT_STORE_H_
#define TTADS_LIBS_CONNECTIONS_TIKTOK_ACCOUNT_STORE_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "libs/connections/tiktok_account.h"
#include "libs/crypto/key_ring.h"
#include "libs/crypto/sealing.h"
#include "libs/store/redis.h"

namespace ttads::connections {

// An entry of the refresh schedule: an active connection and when its
// access token expires.
struct DueAccount {
  std::string team_id;
  std::string connection_id;
  absl::Time access_expire_time = absl::UnixEpoch();
};

// Where TikTok account connections live. Every method is scoped to one
// team: another team's id is NOT_FOUND.
class TikTokAccountStore {
 public:
  virtual ~TikTokAccountStore() = default;

  virtual absl::Status Create(const TikTokAccount& account,
                              const AccountTokens& tokens) = 0;
  // Oldest first.
  virtual absl::StatusOr<std::vector<TikTokAccount>> List(
      std::string_view team_id) = 0;
  virtual absl::StatusOr<TikTokAccount> Get(std::string_view team_id,
                                            std::string_view id) = 0;
  // Decrypted. NOT_FOUND once the tokens were dropped (revoked); DATA_LOSS
  // when a ciphertext does not authenticate.
  virtual absl::StatusOr<AccountTokens> Tokens(std::string_view team_id,
                                               std::string_view id) = 0;
  // Replaces the tokens (and the account's expiry times) of an account.
  virtual absl::Status UpdateTokens(std::string_view team_id,
                                    std::string_view id,
                                    const AccountTokens& tokens) = 0;
  // Sets the state; kRevoked also drops the tokens. A state other than
  // kActive takes the connection off the refresh schedule.
  virtual absl::Status SetState(std::string_view team_id, std::string_view id,
                                TikTokAccount::State state,
                                absl::Time when) = 0;

  // The refresh schedule, across all teams (the background refresher's
  // index): Create and UpdateTokens put an active connection on it at its
  // access token's expiry, SetState to anything but kActive takes it off.
  // DueForRefresh answers the entries expiring before `before`, soonest
  // first, at most `limit` — its cost grows with what it answers, not with
  // the number of connections.
  virtual absl::StatusOr<std::vector<DueAccount>> DueForRefresh(
      absl::Time before, size_t limit) = 0;
  // Takes one entry off the schedule (a stale one: the connection is gone
  // or no longer active). OK when it is not there.
  virtual absl::Status Unschedule(std::string_view team_id,
                                  std::string_view id) = 0;
};

// Redis layout (docs/redis-keys.md):
//   ttads:{team:T}:ttaccts        ZSET ids scored by creation (ms)
//   ttads:{team:T}:ttacct:<C>     HASH member_id, open_id, state
//                                 (active|needs_reconsent|revoked), scopes
//                                 (JSON), create_time, state_time,
//                                 access_expire, refresh_expire (unix ms),
//                                 access, refresh (AES-256-GCM under the
//                                 ring's current key, associated data
//                                 TikTokAccountTokenAd(T, C, field))
//   ttads:ttacct_due              ZSET "T/C" scored by access_expire (unix
//                                 ms), active connections only: the
//                                 refresh schedule. A global key, so it is
//                                 written by its own command after the
//                                 team's (never in one MULTI or script).
class RedisTikTokAccountStore : public TikTokAccountStore {
 public:
  // Tokens are encrypted with the ring's current key and decrypted with the
  // key each one names.
  RedisTikTokAccountStore(store::RedisPool* redis, crypto::KeyRing keys)
      : redis_(redis), keys_(std::move(keys)) {}
  // A ring of `key` alone (crypto::KeyRing::Single).
  RedisTikTokAccountStore(store::RedisPool* redis, crypto::AeadKey key)
      : RedisTikTokAccountStore(redis,
                                crypto::KeyRing::Single(std::move(key))) {}

  absl::Status Create(const TikTokAccount& account,
                      const AccountTokens& tokens) override;
  absl::StatusOr<std::vector<TikTokAccount>> List(
      std::string_view team_id) override;
  absl::StatusOr<TikTokAccount> Get(std::string_view team_id,
                                    std::string_view id) override;
  absl::StatusOr<AccountTokens> Tokens(std::string_view team_id,
                                       std::string_view id) override;
  absl::Status UpdateTokens(std::string_view team_id, std::string_view id,
                            const AccountTokens& tokens) override;
  absl::Status SetState(std::string_view team_id, std::string_view id,
                        TikTokAccount::State state, absl::Time when) override;
  absl::StatusOr<std::vector<DueAccount>> DueForRefresh(absl::Time before,
                                                        size_t limit) override;
  absl::Status Unschedule(std::string_view team_id,
                          std::string_view id) override;

 private:
  absl::StatusOr<std::vector<std::string>> TokenFields(
      std::string_view team_id, std::string_view id,
      const AccountTokens& tokens);
  // Puts (or moves) the connection on the refresh schedule.
  absl::Status Schedule(std::string_view team_id, std::string_view id,
                        absl::Time access_expire);
  store::RedisPool* redis_;
  crypto::KeyRing keys_;
};

std::string TikTokAccountKey(std::string_view team_id, std::string_view id);
std::string TikTokAccountIndexKey(std::string_view team_id);
// ttads:ttacct_due (above); members are TikTokAccountDueMember(T, C) = "T/C"
// (ids are key-safe, so "/" never occurs in them).
std::string TikTokAccountDueKey();
std::string TikTokAccountDueMember(std::string_view team_id,
                                   std::string_view id);
// The associated data of an account's token ciphertexts:
// "team:T/ttacct:C/<field>", `field` being "access" or "refresh".
std::string TikTokAccountTokenAd(std::string_view team_id, std::string_view id,
                                 std::string_view field);
std::string_view TikTokAccountStateName(TikTokAccount::State state);

}  // namespace ttads::connections

#endif  // TTADS_LIBS_CONNECTIONS_TIKTOK_ACCOUNT_STORE_H_
