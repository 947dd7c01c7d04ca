#ifndef TTADS_LIBS_CRYPTO_HASHING_H_
#define TTADS_LIBS_CRYPTO_HASHING_H_

#include <string>
#include <string_view>

// Message digests on OpenSSL's EVP interface, one-shot and incremental:
// SHA-256 for API keys and hashed identifiers (stored as digests, never in
// clear), MD5 for TikTok upload signatures, SHA-1 for Redis script ids.
// The algorithms are fetched once per process; a build of OpenSSL that lacks
// one aborts the process on first use (no caller could recover).
namespace ttads::crypto {

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

}  // namespace ttads::crypto

#endif  // TTADS_LIBS_CRYPTO_HASHING_H_
