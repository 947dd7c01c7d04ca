#ifndef TTADS_LIBS_CRYPTO_RANDOM_H_
#define TTADS_LIBS_CRYPTO_RANDOM_H_

#include <cstddef>
#include <string>

// Unguessable bytes and tokens from the OpenSSL CSPRNG: record ids, secrets
// (API keys, OAuth state), lease owners and AES-GCM nonces.
namespace ttads::crypto {

// `n` bytes from the OpenSSL CSPRNG. Aborts the process if the CSPRNG
// fails (it only does so when it cannot be seeded, which no caller can
// recover from).
std::string RandomBytes(size_t n);

// `n` random bytes as URL-safe base64 without padding (safe in URLs, file
// names and Redis keys): 32 bytes give 43 characters.
std::string RandomToken(size_t n);

}  // namespace ttads::crypto

#endif  // TTADS_LIBS_CRYPTO_RANDOM_H_
