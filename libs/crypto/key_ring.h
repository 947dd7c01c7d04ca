#ifndef TTADS_LIBS_CRYPTO_KEY_RING_H_
#define TTADS_LIBS_CRYPTO_KEY_RING_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/crypto/sealing.h"

// Token-encryption keys with ids, so the key that encrypts can change while
// values written under earlier keys still decrypt (docs/operations.md,
// "Rotating the token-encryption key").
//
// Stored format (text, safe in a Redis hash field):
//   - versioned:   "$k1$" <key id> "$" base64(nonce | ciphertext | tag)
//     AES-256-GCM under the key named by <key id>; the associated data is
//     the header "$k1$<key id>$" followed by the caller's associated data,
//     so the header cannot be swapped without failing authentication.
//   - unversioned: base64(nonce | ciphertext | tag), the format written
//     before key ids (crypto::Encrypt); it is read as the key with id
//     kLegacyKeyId. '$' is not a base64 character, so the first byte tells
//     the two apart.
// Values under kLegacyKeyId are still written unversioned, so a ring whose
// current key is the legacy one writes exactly what binaries from before key
// ids read (a rolling upgrade needs no coordination).
namespace ttads::crypto {

// The id of the key in TTADS_TOKEN_ENCRYPTION_KEY, and of every value
// stored without a key id.
inline constexpr char kLegacyKeyId[] = "legacy";

// Key ids: 1-32 characters of [A-Za-z0-9_-].
bool IsValidKeyId(std::string_view id);

class KeyRing {
 public:
  // INVALID_ARGUMENT when `keys` is empty, an id is malformed, or
  // `current_id` is not one of the ids.
  static absl::StatusOr<KeyRing> Create(std::map<std::string, AeadKey> keys,
                                        std::string current_id);
  // A ring of one key under kLegacyKeyId (what a single
  // TTADS_TOKEN_ENCRYPTION_KEY configures).
  static KeyRing Single(AeadKey key);

  const std::string& current_id() const { return current_id_; }
  // The configured ids, sorted.
  std::vector<std::string> ids() const;
  bool Has(std::string_view id) const;

  // Encrypts under the current key (format above).
  absl::StatusOr<std::string> Encrypt(std::string_view plaintext,
                                      std::string_view associated_data) const;

  // Decrypts a value in either format with the key its id names.
  // FAILED_PRECONDITION naming the id when the ring has no such key (it
  // was removed from the configuration too early); DATA_LOSS when the value
  // is malformed or does not authenticate. Never unauthenticated plaintext.
  absl::StatusOr<std::string> Decrypt(std::string_view stored,
                                      std::string_view associated_data) const;

  // The id of the key a stored value names (kLegacyKeyId when it has
  // none), without decrypting. DATA_LOSS for a malformed header.
  static absl::StatusOr<std::string> KeyIdOf(std::string_view stored);

 private:
  KeyRing(std::map<std::string, AeadKey> keys, std::string current_id)
      : keys_(std::move(keys)), current_id_(std::move(current_id)) {}
  std::map<std::string, AeadKey> keys_;
  std::string current_id_;
};

// The ring the three settings describe (docs/configuration.md):
//   legacy_key   TTADS_TOKEN_ENCRYPTION_KEY, base64 of 32 bytes, id
//                kLegacyKeyId; may be empty when `keys` is set;
//   keys         TTADS_TOKEN_KEYS, "id:base64,id:base64,...";
//   current_id   TTADS_TOKEN_KEY_CURRENT, the id that encrypts; may be
//                empty when exactly one key is configured.
// INVALID_ARGUMENT naming the setting at fault (never a key's text): no key
// at all, a malformed entry or id, a duplicate id (the legacy id given in
// both places with different keys), an unknown or missing current id.
absl::StatusOr<KeyRing> ParseKeyRing(std::string_view legacy_key,
                                     std::string_view keys,
                                     std::string_view current_id);

}  // namespace ttads::crypto

#endif  // TTADS_LIBS_CRYPTO_KEY_RING_H_
