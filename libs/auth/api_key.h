#ifndef TTADS_LIBS_AUTH_API_KEY_H_
#define TTADS_LIBS_AUTH_API_KEY_H_

#include <optional>
#include <string>
#include <string_view>

// The API key format and the helpers both TeamStore implementations and
// the servers' auth code share.
namespace ttads::auth {

inline constexpr std::string_view kApiKeyPrefix = "ttads_";

// A fresh key: "ttads_" + 32 random bytes as URL-safe base64 (43 chars).
std::string NewApiKey();

// Cheap syntax check (prefix, length, alphabet) done before any lookup.
bool LooksLikeApiKey(std::string_view key);

// Lowercase hex SHA-256 of the key: the only form ever stored.
std::string ApiKeyDigest(std::string_view key);

// Fresh ids: "tm_", "mb_" and "key_" + 12 URL-safe random characters.
std::string NewTeamId();
std::string NewMemberId();
std::string NewKeyId();

// The key in an `authorization` header value "Bearer <key>" (scheme
// case-insensitive), or nullopt.
std::optional<std::string_view> BearerToken(std::string_view header);

}  // namespace ttads::auth

#endif  // TTADS_LIBS_AUTH_API_KEY_H_
