#include "libs/connections/connection_store.h"

#include "absl/strings/str_cat.h"
#include "libs/status/status_macros.h"
#include "libs/store/key_schema.h"
#include "nlohmann/json.hpp"

namespace ttads::connections {
namespace {

using store::RedisReply;

std::string AssociatedData(std::string_view team_id,
                           std::string_view connection_id) {
  return absl::StrCat("team:", std::string(team_id),
                      "/conn:", std::string(connection_id));
}

int64_t ToMillis(absl::Time t) { return absl::ToUnixMillis(t); }

absl::StatusOr<Connection> FromHash(std::string_view team_id,
                                    std::string_view connection_id,
                                    const RedisReply& reply) {
  if (reply.type != RedisReply::Type::kArray || reply.elements.empty()) {
    return absl::NotFoundError(
        absl::StrCat("connection ", std::string(connection_id), " not found"));
  }
  Connection c;
  c.connection_id = std::string(connection_id);
  c.team_id = std::string(team_id);
  for (size_t i = 0; i + 1 < reply.elements.size(); i += 2) {
    const std::string& field = reply.elements[i].str;
    const std::string& value = reply.elements[i + 1].str;
    if (field == "member_id") {
      c.member_id = value;
    } else if (field == "state") {
      c.state = value == "revoked" ? Connection::State::kRevoked
                                   : Connection::State::kActive;
    } else if (field == "advertisers") {
      auto json = nlohmann::json::parse(value, nullptr, false);
      if (json.is_array()) {
        for (const auto& a : json) {
          c.advertisers.push_back({a.value("id", ""), a.value("name", "")});
        }
      }
    } else if (field == "scopes") {
      auto json = nlohmann::json::parse(value, nullptr, false);
      if (json.is_array()) {
        for (const auto& s : json) {
          if (s.is_number_integer()) c.scopes.push_back(s.get<int64_t>());
        }
      }
    } else if (field == "create_time") {
      c.create_time = absl::FromUnixMillis(std::stoll(value));
    } else if (field == "revoke_time") {
      c.revoke_time = absl::FromUnixMillis(std::stoll(value));
    }
  }
  return c;
}

absl::Status CheckIds(std::string_view team_id,
                      std::string_view connection_id) {
  if (!store::IsValidKeyId(team_id) || !store::IsValidKeyId(connection_id)) {
    return absl::NotFoundError(
        absl::StrCat("connection ", std::string(connection_id), " not found"));
  }
  return absl::OkStatus();
}

}  // namespace

bool Connection::Reaches(std::string_view advertiser_id) const {
  for (const auto& a : advertisers) {
    if (a.advertiser_id == advertiser_id) return true;
  }
  return false;
}

std::string ConnectionKey(std::string_view team_id,
                          std::string_view connection_id) {
  return store::TeamKey(team_id,
                        absl::StrCat("conn:", std::string(connection_id)));
}

std::string ConnectionIndexKey(std::string_view team_id) {
  return store::TeamKey(team_id, "conns");
}

std::string ConnectionTokenAd(std::string_view team_id,
                              std::string_view connection_id) {
  return AssociatedData(team_id, connection_id);
}

RedisConnectionStore::RedisConnectionStore(store::RedisPool* redis,
                                           crypto::KeyRing keys)
    : redis_(redis), keys_(std::move(keys)) {}

RedisConnectionStore::RedisConnectionStore(store::RedisPool* redis,
                                           crypto::AeadKey key)
    : RedisConnectionStore(redis, crypto::KeyRing::Single(std::move(key))) {}

absl::Status RedisConnectionStore::Create(const Connection& connection,
                                          std::string_view access_token) {
  if (absl::Status s = CheckIds(connection.team_id, connection.connection_id);
      !s.ok()) {
    return absl::InvalidArgumentError("invalid team or connection id");
  }
  TTADS_ASSIGN_OR_RETURN(
      std::string token,
      keys_.Encrypt(access_token, AssociatedData(connection.team_id,
                                                 connection.connection_id)));
  nlohmann::json advertisers = nlohmann::json::array();
  nlohmann::json advertiser_ids = nlohmann::json::array();
  for (const auto& a : connection.advertisers) {
    advertisers.push_back(
        {{"id", a.advertiser_id}, {"name", a.advertiser_name}});
    advertiser_ids.push_back(a.advertiser_id);
  }
  nlohmann::json scopes = connection.scopes;
  const std::string key =
      ConnectionKey(connection.team_id, connection.connection_id);
  TTADS_ASSIGN_OR_RETURN(
      std::vector<RedisReply> replies,
      redis_->Pipeline({
          {"HSET", key, "member_id", connection.member_id, "state",
           connection.active() ? "active" : "revoked", "advertisers",
           advertisers.dump(), "advertiser_ids", advertiser_ids.dump(),
           "scopes", scopes.dump(), "create_time",
           std::to_string(ToMillis(connection.create_time)), "token", token},
          {"ZADD", ConnectionIndexKey(connection.team_id),
           std::to_string(ToMillis(connection.create_time)),
           connection.connection_id},
      }));
  for (const auto& r : replies) {
    if (r.type == RedisReply::Type::kError) return absl::InternalError(r.str);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<Connection>> RedisConnectionStore::List(
    std::string_view team_id) {
  if (!store::IsValidKeyId(team_id)) return std::vector<Connection>{};
  TTADS_ASSIGN_OR_RETURN(
      RedisReply ids,
      redis_->Command({"ZRANGE", ConnectionIndexKey(team_id), "0", "-1"}));
  std::vector<std::vector<std::string>> commands;
  for (const auto& id : ids.elements) {
    commands.push_back({"HGETALL", ConnectionKey(team_id, id.str)});
  }
  std::vector<Connection> out;
  if (commands.empty()) return out;
  TTADS_ASSIGN_OR_RETURN(std::vector<RedisReply> hashes,
                         redis_->Pipeline(commands));
  for (size_t i = 0; i < hashes.size(); ++i) {
    auto c = FromHash(team_id, ids.elements[i].str, hashes[i]);
    if (c.ok()) out.push_back(*std::move(c));
  }
  return out;
}

absl::StatusOr<Connection> RedisConnectionStore::Get(
    std::string_view team_id, std::string_view connection_id) {
  TTADS_RETURN_IF_ERROR(CheckIds(team_id, connection_id));
  TTADS_ASSIGN_OR_RETURN(
      RedisReply reply,
      redis_->Command({"HGETALL", ConnectionKey(team_id, connection_id)}));
  return FromHash(team_id, connection_id, reply);
}

absl::StatusOr<std::string> RedisConnectionStore::AccessToken(
    std::string_view team_id, std::string_view connection_id) {
  TTADS_RETURN_IF_ERROR(CheckIds(team_id, connection_id));
  TTADS_ASSIGN_OR_RETURN(
      RedisReply reply,
      redis_->Command(
          {"HGET", ConnectionKey(team_id, connection_id), "token"}));
  if (reply.is_nil() || reply.str.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "connection ", std::string(connection_id), " has no usable token"));
  }
  return keys_.Decrypt(reply.str, AssociatedData(team_id, connection_id));
}

absl::Status RedisConnectionStore::MarkRevoked(std::string_view team_id,
                                               std::string_view connection_id,
                                               absl::Time when) {
  TTADS_RETURN_IF_ERROR(CheckIds(team_id, connection_id));
  const std::string key = ConnectionKey(team_id, connection_id);
  TTADS_ASSIGN_OR_RETURN(RedisReply exists, redis_->Command({"EXISTS", key}));
  if (exists.integer == 0) {
    return absl::NotFoundError(
        absl::StrCat("connection ", std::string(connection_id), " not found"));
  }
  return redis_
      ->Pipeline({
          {"HSET", key, "state", "revoked", "revoke_time",
           std::to_string(ToMillis(when))},
          {"HDEL", key, "token"},
      })
      .status();
}

}  // namespace ttads::connections
