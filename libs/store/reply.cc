#include "libs/store/reply.h"

#include <algorithm>

#include "absl/status/status.h"
#include "libs/status/status_macros.h"

namespace ttads::store {

absl::StatusOr<std::map<std::string, std::string>> ReplyToMap(
    const RedisReply& reply) {
  if (reply.type != RedisReply::Type::kArray || reply.elements.size() % 2) {
    return absl::InternalError("expected a field/value array from redis");
  }
  std::map<std::string, std::string> out;
  for (size_t i = 0; i + 1 < reply.elements.size(); i += 2) {
    out[reply.elements[i].str] = reply.elements[i + 1].str;
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> ReplyToStrings(
    const RedisReply& reply) {
  if (reply.type != RedisReply::Type::kArray) {
    return absl::InternalError("expected an array from redis");
  }
  std::vector<std::string> out;
  out.reserve(reply.elements.size());
  for (const RedisReply& e : reply.elements) out.push_back(e.str);
  return out;
}

absl::StatusOr<std::map<std::string, std::string>> HashGetAll(
    RedisPool& pool, std::string_view key) {
  TTADS_ASSIGN_OR_RETURN(RedisReply reply,
                         pool.Command({"HGETALL", std::string(key)}));
  absl::StatusOr<std::map<std::string, std::string>> map = ReplyToMap(reply);
  if (map.ok() && map->empty()) {
    return absl::NotFoundError("no such key: " + std::string(key));
  }
  return map;
}

absl::StatusOr<std::vector<std::string>> ScanKeys(RedisPool& pool,
                                                  std::string_view pattern) {
  std::vector<std::string> keys;
  std::string cursor = "0";
  do {
    TTADS_ASSIGN_OR_RETURN(
        RedisReply reply, pool.Command({"SCAN", cursor, "MATCH",
                                        std::string(pattern), "COUNT", "500"}));
    if (reply.type != RedisReply::Type::kArray || reply.elements.size() != 2) {
      return absl::InternalError("unexpected SCAN reply");
    }
    cursor = reply.elements[0].str;
    TTADS_ASSIGN_OR_RETURN(std::vector<std::string> batch,
                           ReplyToStrings(reply.elements[1]));
    keys.insert(keys.end(), batch.begin(), batch.end());
  } while (cursor != "0");
  // SCAN may return a key more than once.
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

}  // namespace ttads::store
