#ifndef TTADS_LIBS_STORE_REPLY_H_
#define TTADS_LIBS_STORE_REPLY_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/store/redis.h"

// Small conversions and command helpers shared by every Redis user.
namespace ttads::store {

// A flat [field, value, field, value, ...] array (HGETALL, CONFIG GET) as a
// map. An empty array (missing hash) gives an empty map. INTERNAL for any
// other reply shape.
absl::StatusOr<std::map<std::string, std::string>> ReplyToMap(
    const RedisReply& reply);

// An array of bulk strings (SMEMBERS, ZRANGE, KEYS); nil elements become "".
absl::StatusOr<std::vector<std::string>> ReplyToStrings(
    const RedisReply& reply);

// HGETALL key; NOT_FOUND when the hash does not exist.
absl::StatusOr<std::map<std::string, std::string>> HashGetAll(
    RedisPool& pool, std::string_view key);

// All keys matching a glob pattern, by SCAN (never KEYS), in no particular
// order. For operator tools and tests: it walks the whole keyspace.
absl::StatusOr<std::vector<std::string>> ScanKeys(RedisPool& pool,
                                                  std::string_view pattern);

}  // namespace ttads::store

#endif  // TTADS_LIBS_STORE_REPLY_H_
