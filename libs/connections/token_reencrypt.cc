#include "libs/connections/token_reencrypt.h"

#include <string_view>

#include "absl/strings/str_cat.h"
#include "libs/connections/connection_store.h"
#include "libs/connections/tiktok_account_store.h"
#include "libs/status/status_macros.h"
#include "libs/store/key_schema.h"
#include "libs/store/reply.h"
#include "libs/store/script.h"

namespace ttads::connections {
namespace {

// Sets KEYS[1]'s field ARGV[1] to ARGV[3] only while it still holds
// ARGV[2]; returns 1 when written, 0 when the value changed meanwhile.
const store::Script& CompareAndSetField() {
  static const store::Script* script = new store::Script(R"lua(
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
  return 1
end
return 0
)lua");
  return *script;
}

// One kind of record holding tokens.
struct RecordKind {
  std::string segment;  // "conn" or "ttacct"
  std::vector<std::string> fields;
  std::string (*associated_data)(std::string_view team, std::string_view id,
                                 std::string_view field);
};

std::string ConnectionAd(std::string_view team, std::string_view id,
                         std::string_view /*field*/) {
  return ConnectionTokenAd(team, id);
}

// Splits "ttads:{team:T}:<segment>:<id>" into T and id; false for other
// keys (sub-keys such as conn:C:lock, malformed ids).
bool SplitKey(std::string_view key, std::string_view segment, std::string* team,
              std::string* id) {
  constexpr std::string_view kPrefix = "ttads:{team:";
  if (key.substr(0, kPrefix.size()) != kPrefix) return false;
  const size_t close = key.find("}:", kPrefix.size());
  if (close == std::string_view::npos) return false;
  *team = std::string(key.substr(kPrefix.size(), close - kPrefix.size()));
  std::string_view rest = key.substr(close + 2);
  if (rest.substr(0, segment.size()) != segment ||
      rest.substr(segment.size(), 1) != ":") {
    return false;
  }
  *id = std::string(rest.substr(segment.size() + 1));
  return store::IsValidKeyId(*team) && store::IsValidKeyId(*id);
}

using BeforeWrite =
    std::function<void(const std::string& key, const std::string& field)>;

absl::Status ReencryptKind(store::RedisPool& redis, const crypto::KeyRing& keys,
                           bool apply, const BeforeWrite& before_write,
                           const RecordKind& kind, ReencryptReport& report) {
  TTADS_ASSIGN_OR_RETURN(
      std::vector<std::string> redis_keys,
      store::ScanKeys(redis,
                      absl::StrCat("ttads:{team:*}:", kind.segment, ":*")));
  for (const std::string& key : redis_keys) {
    std::string team, id;
    if (!SplitKey(key, kind.segment, &team, &id)) continue;
    TTADS_ASSIGN_OR_RETURN(store::RedisReply type,
                           redis.Command({"TYPE", key}));
    if (type.str != "hash") continue;
    ++report.records;
    for (const std::string& field : kind.fields) {
      TTADS_ASSIGN_OR_RETURN(store::RedisReply value,
                             redis.Command({"HGET", key, field}));
      if (value.is_nil() || value.str.empty()) continue;
      ++report.tokens;
      const std::string where = absl::StrCat(key, " ", field);
      auto key_id = crypto::KeyRing::KeyIdOf(value.str);
      if (!key_id.ok()) {
        report.failures.push_back(
            absl::StrCat(where, ": ", key_id.status().message()));
        continue;
      }
      ++report.by_key[*key_id];
      if (*key_id == keys.current_id()) {
        ++report.already_current;
        continue;
      }
      const std::string ad = kind.associated_data(team, id, field);
      auto plaintext = keys.Decrypt(value.str, ad);
      if (!plaintext.ok()) {
        report.failures.push_back(
            absl::StrCat(where, ": ", plaintext.status().message()));
        continue;
      }
      if (!apply) {
        ++report.pending;
        continue;
      }
      TTADS_ASSIGN_OR_RETURN(std::string rewritten,
                             keys.Encrypt(*plaintext, ad));
      if (before_write) before_write(key, field);
      TTADS_ASSIGN_OR_RETURN(store::RedisReply set,
                             CompareAndSetField().Run(
                                 redis, {key}, {field, value.str, rewritten}));
      if (set.integer == 1) {
        ++report.reencrypted;
      } else {
        ++report.changed_meanwhile;
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ReencryptReport> ReencryptTokens(
    store::RedisPool& redis, const crypto::KeyRing& keys, bool apply,
    const BeforeWrite& before_write) {
  ReencryptReport report;
  report.applied = apply;
  report.current_key = keys.current_id();
  const RecordKind kinds[] = {
      {"conn", {"token"}, &ConnectionAd},
      {"ttacct", {"access", "refresh"}, &TikTokAccountTokenAd},
  };
  for (const RecordKind& kind : kinds) {
    TTADS_RETURN_IF_ERROR(
        ReencryptKind(redis, keys, apply, before_write, kind, report));
  }
  return report;
}

}  // namespace ttads::connections
