#include "libs/store/script.h"

#include "absl/strings/match.h"
#include "libs/crypto/hashing.h"
#include "libs/store/key_schema.h"

namespace ttads::store {

Script::Script(std::string source)
    : source_(std::move(source)), sha1_(crypto::Sha1Hex(source_)) {}

absl::StatusOr<RedisReply> Script::Run(
    RedisPool& pool, const std::vector<std::string>& keys,
    const std::vector<std::string>& args) const {
  for (const std::string& key : keys) {
    if (HashSlot(key) != HashSlot(keys.front())) {
      return absl::InternalError(
          "script keys span several Redis Cluster hash slots (give them one "
          "hash tag): " +
          keys.front() + ", " + key);
    }
  }
  std::vector<std::string> command;
  command.reserve(3 + keys.size() + args.size());
  command.push_back("EVALSHA");
  command.push_back(sha1_);
  command.push_back(std::to_string(keys.size()));
  command.insert(command.end(), keys.begin(), keys.end());
  command.insert(command.end(), args.begin(), args.end());
  absl::StatusOr<RedisReply> reply = pool.Command(command);
  if (reply.ok() || reply.status().code() != absl::StatusCode::kInternal ||
      !absl::StartsWith(reply.status().message(), "NOSCRIPT")) {
    return reply;
  }
  command[0] = "EVAL";
  command[1] = source_;
  return pool.Command(command);
}

}  // namespace ttads::store
