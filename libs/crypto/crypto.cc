#include "libs/crypto/crypto.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cstdio>
#include <cstdlib>
#include <memory>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"

namespace ttads::crypto {
namespace {

struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}
// Debian's abseil is built with its own string_view type.
absl::string_view AbslView(std::string_view s) { return {s.data(), s.size()}; }
unsigned char* Bytes(std::string& s) {
  return reinterpret_cast<unsigned char*>(s.data());
}

// Fetched once: implicit fetches (EVP_sha256()) cost a lookup per call in
// OpenSSL 3, which matters for the audience hashing rate.
const EVP_MD* FetchedMd(const char* name) {
  EVP_MD* md = EVP_MD_fetch(nullptr, name, nullptr);
  if (md == nullptr) {
    std::fprintf(stderr, "ttads::crypto: OpenSSL lacks %s\n", name);
    std::abort();
  }
  return md;
}
const EVP_MD* Sha256Md() {
  static const EVP_MD* md = FetchedMd("SHA256");
  return md;
}
const EVP_MD* Md5Md() {
  static const EVP_MD* md = FetchedMd("MD5");
  return md;
}
const EVP_MD* Sha1Md() {
  static const EVP_MD* md = FetchedMd("SHA1");
  return md;
}
const EVP_CIPHER* Aes256Gcm() {
  static const EVP_CIPHER* cipher = [] {
    EVP_CIPHER* c = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
    if (c == nullptr) {
      std::fprintf(stderr, "ttads::crypto: OpenSSL lacks AES-256-GCM\n");
      std::abort();
    }
    return c;
  }();
  return cipher;
}

std::string HexOf(const unsigned char* data, size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(n * 2, '\0');
  for (size_t i = 0; i < n; ++i) {
    out[2 * i] = kHex[data[i] >> 4];
    out[2 * i + 1] = kHex[data[i] & 0xf];
  }
  return out;
}

std::string RawDigest(const EVP_MD* md, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), out, &len, md, nullptr) != 1) {
    std::fprintf(stderr, "ttads::crypto: EVP_Digest failed\n");
    std::abort();
  }
  return std::string(reinterpret_cast<char*>(out), len);
}

std::string HexDigest(const EVP_MD* md, std::string_view data) {
  std::string raw = RawDigest(md, data);
  return HexOf(Bytes(raw), raw.size());
}

absl::Status Malformed() {
  return absl::DataLossError("encrypted value is malformed");
}

}  // namespace

absl::StatusOr<AeadKey> AeadKey::FromBytes(std::string_view raw) {
  if (raw.size() != kAesKeyBytes) {
    return absl::InvalidArgumentError("AES-256 key must be exactly 32 bytes");
  }
  return AeadKey(std::string(raw));
}

absl::StatusOr<AeadKey> ParseKey(std::string_view base64_key) {
  std::string raw;
  if (!absl::Base64Unescape(AbslView(base64_key), &raw) &&
      !absl::WebSafeBase64Unescape(AbslView(base64_key), &raw)) {
    return absl::InvalidArgumentError("key is not valid base64");
  }
  if (raw.size() != kAesKeyBytes) {
    return absl::InvalidArgumentError(
        "key must be base64 of exactly 32 bytes, got " +
        std::to_string(raw.size()) + " bytes");
  }
  return AeadKey::FromBytes(raw);
}

absl::StatusOr<std::string> Encrypt(const AeadKey& key,
                                    std::string_view plaintext,
                                    std::string_view associated_data) {
  std::string out = RandomBytes(kGcmNonceBytes);
  out.resize(kGcmNonceBytes + plaintext.size() + kGcmTagBytes);
  unsigned char* nonce = Bytes(out);
  unsigned char* body = nonce + kGcmNonceBytes;

  CipherCtx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  if (!ctx ||
      EVP_EncryptInit_ex2(ctx.get(), Aes256Gcm(), Bytes(key.bytes()), nonce,
                          nullptr) != 1 ||
      (!associated_data.empty() &&
       EVP_EncryptUpdate(ctx.get(), nullptr, &len, Bytes(associated_data),
                         static_cast<int>(associated_data.size())) != 1) ||
      EVP_EncryptUpdate(ctx.get(), body, &len, Bytes(plaintext),
                        static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), body + len, &len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kGcmTagBytes,
                          body + plaintext.size()) != 1) {
    return absl::InternalError("AES-256-GCM encryption failed");
  }
  return absl::Base64Escape(out);
}

absl::StatusOr<std::string> Decrypt(const AeadKey& key,
                                    std::string_view encrypted_base64,
                                    std::string_view associated_data) {
  std::string raw;
  if (!absl::Base64Unescape(AbslView(encrypted_base64), &raw))
    return Malformed();
  if (raw.size() < kGcmNonceBytes + kGcmTagBytes) return Malformed();
  const size_t body_size = raw.size() - kGcmNonceBytes - kGcmTagBytes;
  unsigned char* nonce = Bytes(raw);
  unsigned char* body = nonce + kGcmNonceBytes;
  unsigned char* tag = body + body_size;

  std::string plaintext(body_size, '\0');
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  if (!ctx ||
      EVP_DecryptInit_ex2(ctx.get(), Aes256Gcm(), Bytes(key.bytes()), nonce,
                          nullptr) != 1 ||
      (!associated_data.empty() &&
       EVP_DecryptUpdate(ctx.get(), nullptr, &len, Bytes(associated_data),
                         static_cast<int>(associated_data.size())) != 1) ||
      EVP_DecryptUpdate(ctx.get(), Bytes(plaintext), &len, body,
                        static_cast<int>(body_size)) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kGcmTagBytes, tag) !=
          1 ||
      EVP_DecryptFinal_ex(ctx.get(), Bytes(plaintext) + len, &len) != 1) {
    OPENSSL_cleanse(plaintext.data(), plaintext.size());
    return absl::DataLossError(
        "encrypted value failed authentication (tampered, wrong key or "
        "wrong associated data)");
  }
  return plaintext;
}

std::string Sha256Hex(std::string_view data) {
  return HexDigest(Sha256Md(), data);
}
std::string Md5Hex(std::string_view data) { return HexDigest(Md5Md(), data); }
std::string Sha1Hex(std::string_view data) { return HexDigest(Sha1Md(), data); }
std::string Sha256(std::string_view data) {
  return RawDigest(Sha256Md(), data);
}

namespace {

void* NewDigestCtx(const EVP_MD* md) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (ctx == nullptr || EVP_DigestInit_ex2(ctx, md, nullptr) != 1) {
    std::fprintf(stderr, "ttads::crypto: digest init failed\n");
    std::abort();
  }
  return ctx;
}

void DigestUpdate(void* ctx, std::string_view data) {
  EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(ctx), data.data(), data.size());
}

std::string DigestFinalHex(void* ctx, const EVP_MD* md) {
  auto* c = static_cast<EVP_MD_CTX*>(ctx);
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(c, out, &len);
  EVP_DigestInit_ex2(c, md, nullptr);
  return HexOf(out, len);
}

}  // namespace

Md5Hasher::Md5Hasher() : ctx_(NewDigestCtx(Md5Md())) {}
Md5Hasher::~Md5Hasher() { EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_)); }
void Md5Hasher::Update(std::string_view data) { DigestUpdate(ctx_, data); }
std::string Md5Hasher::FinalHex() { return DigestFinalHex(ctx_, Md5Md()); }

Sha256Hasher::Sha256Hasher() : ctx_(NewDigestCtx(Sha256Md())) {}
Sha256Hasher::~Sha256Hasher() {
  EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_));
}
void Sha256Hasher::Update(std::string_view data) { DigestUpdate(ctx_, data); }
std::string Sha256Hasher::FinalHex() {
  return DigestFinalHex(ctx_, Sha256Md());
}

std::string RandomBytes(size_t n) {
  std::string out(n, '\0');
  if (n > 0 && RAND_bytes(Bytes(out), static_cast<int>(n)) != 1) {
    std::fprintf(stderr, "ttads::crypto: RAND_bytes failed\n");
    std::abort();
  }
  return out;
}

std::string RandomToken(size_t n) {
  return absl::WebSafeBase64Escape(RandomBytes(n));
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace ttads::crypto
