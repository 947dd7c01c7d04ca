#ifndef TTADS_LIBS_CRYPTO_SEALING_H_
#define TTADS_LIBS_CRYPTO_SEALING_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/statusor.h"

// Sealing secrets at rest: AES-256-GCM authenticated encryption on OpenSSL's
// EVP interface. Access and refresh tokens are stored sealed (KeyRing,
// key_ring.h, adds key ids on top); a sealed value cannot be read or altered
// without the key, and is bound to its owner by associated data.
namespace ttads::crypto {

inline constexpr size_t kAesKeyBytes = 32;
inline constexpr size_t kGcmNonceBytes = 12;
inline constexpr size_t kGcmTagBytes = 16;

// An AES-256 key: exactly 32 raw bytes. Construct with ParseKey (from the
// base64 text kept in configuration) or FromBytes.
class AeadKey {
 public:
  // Returns INVALID_ARGUMENT unless `raw` is exactly 32 bytes.
  static absl::StatusOr<AeadKey> FromBytes(std::string_view raw);
  const std::string& bytes() const { return bytes_; }

 private:
  explicit AeadKey(std::string raw) : bytes_(std::move(raw)) {}
  std::string bytes_;
};

// Decodes standard (or URL-safe) base64 text into a key. INVALID_ARGUMENT
// when the text is not base64 or does not decode to exactly 32 bytes. The
// message never contains the key text.
absl::StatusOr<AeadKey> ParseKey(std::string_view base64_key);

// Encrypts with AES-256-GCM under a fresh random 96-bit nonce and returns
// standard base64 of `nonce(12) | ciphertext | tag(16)`. `associated_data`
// is authenticated but not stored: Decrypt must be given the same bytes
// (bind ciphertexts to their owner, e.g. "team:T/conn:C", so a ciphertext
// copied to another record fails to decrypt).
absl::StatusOr<std::string> Encrypt(const AeadKey& key,
                                    std::string_view plaintext,
                                    std::string_view associated_data);

// Reverses Encrypt. DATA_LOSS when the text is malformed, or when the
// ciphertext, tag, nonce or associated data were altered (or the key is
// wrong); never returns unauthenticated plaintext.
absl::StatusOr<std::string> Decrypt(const AeadKey& key,
                                    std::string_view encrypted_base64,
                                    std::string_view associated_data);

}  // namespace ttads::crypto

#endif  // TTADS_LIBS_CRYPTO_SEALING_H_
