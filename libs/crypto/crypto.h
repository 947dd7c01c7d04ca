#ifndef TTADS_LIBS_CRYPTO_CRYPTO_H_
#define TTADS_LIBS_CRYPTO_CRYPTO_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

// Cryptographic primitives for ttads, all on OpenSSL's EVP interface.
//
// - Access tokens are encrypted at rest with AES-256-GCM (Encrypt/Decrypt).
// - API keys are stored as SHA-256 digests (Sha256Hex).
// - TikTok upload signatures are hex MD5 of the file (Md5Hex, Md5Hasher).
// - Random identifiers and secrets come from the OpenSSL CSPRNG
//   (RandomToken).
namespace ttads::crypto {

inline constexpr size_t kAesKeyBytes = 32;
inline constexpr size_t kGcmNonceBytes = 12;
inline constexpr size_t kGcmTagBytes = 16;

// An AES-256 key: exactly 32 raw bytes. Construct with ParseKey (from the
// base64 text kept in configuration) or KeyFromBytes.
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

// Digests as lowercase hex.
std::string Sha256Hex(std::string_view data);
std::string Md5Hex(std::string_view data);
std::string Sha1Hex(std::string_view data);  // Redis script ids
// Raw 32-byte SHA-256 digest.
std::string Sha256(std::string_view data);

// Incremental MD5 for files too big to hold in memory (upload signatures).
class Md5Hasher {
 public:
  Md5Hasher();
  ~Md5Hasher();
  Md5Hasher(const Md5Hasher&) = delete;
  Md5Hasher& operator=(const Md5Hasher&) = delete;

  void Update(std::string_view data);
  // Returns the hex digest; the hasher is then reset for reuse.
  std::string FinalHex();

 private:
  void* ctx_;  // EVP_MD_CTX
};

// Incremental SHA-256, same contract as Md5Hasher.
class Sha256Hasher {
 public:
  Sha256Hasher();
  ~Sha256Hasher();
  Sha256Hasher(const Sha256Hasher&) = delete;
  Sha256Hasher& operator=(const Sha256Hasher&) = delete;

  void Update(std::string_view data);
  std::string FinalHex();

 private:
  void* ctx_;  // EVP_MD_CTX
};

// `n` bytes from the OpenSSL CSPRNG. Aborts the process if the CSPRNG
// fails (it only does so when it cannot be seeded, which no caller can
// recover from).
std::string RandomBytes(size_t n);

// `n` random bytes as URL-safe base64 without padding (safe in URLs, file
// names and Redis keys): 32 bytes give 43 characters.
std::string RandomToken(size_t n);

// Compares without leaking where the first difference is.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace ttads::crypto

#endif  // TTADS_LIBS_CRYPTO_CRYPTO_H_
