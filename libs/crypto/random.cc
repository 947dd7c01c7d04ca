#include "libs/crypto/random.h"

#include <openssl/rand.h>

#include <cstdio>
#include <cstdlib>

#include "absl/strings/escaping.h"

namespace ttads::crypto {

std::string RandomBytes(size_t n) {
  std::string out(n, '\0');
  if (n > 0 && RAND_bytes(reinterpret_cast<unsigned char*>(out.data()),
                          static_cast<int>(n)) != 1) {
    std::fprintf(stderr, "ttads::crypto: RAND_bytes failed\n");
    std::abort();
  }
  return out;
}

std::string RandomToken(size_t n) {
  return absl::WebSafeBase64Escape(RandomBytes(n));
}

}  // namespace ttads::crypto
