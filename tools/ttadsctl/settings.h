#ifndef TTADS_TOOLS_TTADSCTL_SETTINGS_H_
#define TTADS_TOOLS_TTADSCTL_SETTINGS_H_

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/config/config.h"
#include "libs/crypto/key_ring.h"
#include "libs/store/redis.h"
#include "tools/ttadsctl/api_connection.h"

// Where ttadsctl finds Redis, the admin API and the audience service, and
// the token-encryption keys: the settings the
// services read (TTADS_REDIS_* of docs/redis.md — TLS, ACL user, Sentinel —
// and TTADS_TOKEN_ENCRYPTION_KEY / TTADS_TOKEN_KEYS /
// TTADS_TOKEN_KEY_CURRENT), from the environment, each Redis one
// overridable by a command-line flag. Parsed and checked by the same code
// as the services' (config::AddRedisKeys, store::RedisOptionsFrom,
// crypto::ParseKeyRing), so a Redis a service can reach, ttadsctl can too.
namespace ttads::ttadsctl {

// The services ttadsctl may call instead of Redis (api_connection.h), as
// the gateway names them, and the API key it calls them with (a secret:
// never in messages).
inline constexpr char kAdminApiAddressKey[] = "TTADS_ADMIN_API_ADDRESS";
inline constexpr char kAudienceAddressKey[] = "TTADS_AUDIENCE_ADDRESS";
inline constexpr char kApiKeyKey[] = "TTADS_API_KEY";

// Loads the settings from `environment` (TTADS_* variables; others are
// ignored) with `overrides` (key -> value, from flags) winning.
// INVALID_ARGUMENT naming the key for a malformed value.
absl::StatusOr<config::Config> LoadSettings(
    const std::map<std::string, std::string>& environment,
    const std::map<std::string, std::string>& overrides);

// One connection (ttadsctl runs one command at a time) with a 3 s timeout
// unless TTADS_REDIS_TIMEOUT_MS says otherwise. INVALID_ARGUMENT naming the
// key when the settings do not combine (store::RedisOptionsFrom).
absl::StatusOr<store::RedisOptions> RedisOptionsFor(
    const config::Config& settings);

// The token-encryption key ring (crypto::ParseKeyRing).
absl::StatusOr<crypto::KeyRing> TokenKeysFor(const config::Config& settings);

// How to call the service whose address is the setting `address_key`
// (kAdminApiAddressKey or kAudienceAddressKey): that address, the key of
// kApiKeyKey, `timeout` per unary call. INVALID_ARGUMENT "no address: set
// <flag> or <address_key>" when the address is not set, then "an API key is
// required: ..." when the key is empty.
absl::StatusOr<ApiConnection> ApiConnectionFor(const config::Config& settings,
                                               const char* address_key,
                                               const char* flag,
                                               absl::Duration timeout);

}  // namespace ttads::ttadsctl

#endif  // TTADS_TOOLS_TTADSCTL_SETTINGS_H_
