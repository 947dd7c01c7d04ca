#ifndef TTADS_LIBS_CRYPTO_CONSTANT_TIME_H_
#define TTADS_LIBS_CRYPTO_CONSTANT_TIME_H_

#include <string_view>

// Comparing secrets (keys, digests) without a timing side channel.
namespace ttads::crypto {

// True when `a` and `b` hold the same bytes. For equal sizes the time taken
// does not depend on where the first difference is; different sizes return
// false at once (sizes are not secret).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace ttads::crypto

#endif  // TTADS_LIBS_CRYPTO_CONSTANT_TIME_H_
