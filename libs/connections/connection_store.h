#ifndef TTADS_LIBS_CONNECTIONS_CONNECTION_STORE_H_
#define TTADS_LIBS_CONNECTIONS_CONNECTION_STORE_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "libs/connections/connection.h"
#include "libs/crypto/key_ring.h"
#include "libs/crypto/sealing.h"
#include "libs/store/redis.h"

namespace ttads::connections {

// Where TikTok connections live. Every method is scoped to one team: a
// connection id of another team is NOT_FOUND.
class ConnectionStore {
 public:
  virtual ~ConnectionStore() = default;

  // Stores a new connection with its access token (encrypted at rest).
  virtual absl::Status Create(const Connection& connection,
                              std::string_view access_token) = 0;
  // The team's connections, oldest first.
  virtual absl::StatusOr<std::vector<Connection>> List(
      std::string_view team_id) = 0;
  virtual absl::StatusOr<Connection> Get(std::string_view team_id,
                                         std::string_view connection_id) = 0;
  // The decrypted access token. DATA_LOSS when the ciphertext does not
  // authenticate (tampered, or encrypted under another key).
  virtual absl::StatusOr<std::string> AccessToken(
      std::string_view team_id, std::string_view connection_id) = 0;
  // Marks the connection revoked (idempotent) and drops its token.
  virtual absl::Status MarkRevoked(std::string_view team_id,
                                   std::string_view connection_id,
                                   absl::Time when) = 0;
};

// Redis layout (docs/redis-keys.md):
//   ttads:{team:T}:conns      ZSET connection ids scored by creation (ms)
//   ttads:{team:T}:conn:<C>   HASH member_id, state (active|revoked),
//                             advertisers (JSON [{id,name}]), advertiser_ids
//                             (JSON [id]), scopes (JSON), create_time,
//                             revoke_time (unix ms), token (AES-256-GCM
//                             under the ring's current key, associated data
//                             ConnectionTokenAd(T, C); crypto/key_ring.h)
class RedisConnectionStore : public ConnectionStore {
 public:
  // Tokens are encrypted with the ring's current key and decrypted with the
  // key each one names.
  RedisConnectionStore(store::RedisPool* redis, crypto::KeyRing keys);
  // A ring of `key` alone (crypto::KeyRing::Single).
  RedisConnectionStore(store::RedisPool* redis, crypto::AeadKey key);

  absl::Status Create(const Connection& connection,
                      std::string_view access_token) override;
  absl::StatusOr<std::vector<Connection>> List(
      std::string_view team_id) override;
  absl::StatusOr<Connection> Get(std::string_view team_id,
                                 std::string_view connection_id) override;
  absl::StatusOr<std::string> AccessToken(
      std::string_view team_id, std::string_view connection_id) override;
  absl::Status MarkRevoked(std::string_view team_id,
                           std::string_view connection_id,
                           absl::Time when) override;

 private:
  store::RedisPool* redis_;
  crypto::KeyRing keys_;
};

// Keys, exposed for tests that read raw Redis.
std::string ConnectionKey(std::string_view team_id,
                          std::string_view connection_id);
std::string ConnectionIndexKey(std::string_view team_id);
// The associated data of a connection's token ciphertext: "team:T/conn:C".
std::string ConnectionTokenAd(std::string_view team_id,
                              std::string_view connection_id);

}  // namespace ttads::connections

#endif  // TTADS_LIBS_CONNECTIONS_CONNECTION_STORE_H_
