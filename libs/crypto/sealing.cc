#include "libs/crypto/sealing.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <cstdio>
#include <cstdlib>
#include <memory>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "libs/crypto/random.h"

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

// Fetched once: implicit fetches cost a lookup per call in OpenSSL 3.
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

}  // namespace ttads::crypto
