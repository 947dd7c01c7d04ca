#include "libs/crypto/hashing.h"

#include <openssl/evp.h>

#include <cstdio>
#include <cstdlib>

namespace ttads::crypto {
namespace {

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
  const std::string raw = RawDigest(md, data);
  return HexOf(reinterpret_cast<const unsigned char*>(raw.data()), raw.size());
}

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

std::string Sha256Hex(std::string_view data) {
  return HexDigest(Sha256Md(), data);
}
std::string Md5Hex(std::string_view data) { return HexDigest(Md5Md(), data); }
std::string Sha1Hex(std::string_view data) { return HexDigest(Sha1Md(), data); }
std::string Sha256(std::string_view data) {
  return RawDigest(Sha256Md(), data);
}

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

}  // namespace ttads::crypto
