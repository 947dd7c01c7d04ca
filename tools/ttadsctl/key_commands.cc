#include "tools/ttadsctl/key_commands.h"

#include <vector>

#include "absl/time/clock.h"
#include "libs/auth/team_store.h"
#include "libs/status/status_macros.h"

namespace ttads::ttadsctl {
namespace {

using nlohmann::json;

// "revoked", "expired", "expiring" (rotated, in its overlap) or "active",
// as the admin API's ApiKeyState.
std::string KeyState(const auth::ApiKeyInfo& key, absl::Time now) {
  if (key.revoked) return "revoked";
  if (key.expire_time.has_value()) {
    return *key.expire_time <= now ? "expired" : "expiring";
  }
  return "active";
}

}  // namespace

absl::StatusOr<Output> KeyIssue(TeamAdmin& teams, const std::string& team_id,
                                const std::string& member_id) {
  TTADS_ASSIGN_OR_RETURN(auth::IssuedKey issued,
                         teams.IssueApiKey(team_id, member_id));
  return Output{
      .json = {{"key_id", issued.key_id},
               {"team_id", team_id},
               {"member_id", member_id},
               {"key", issued.plaintext}},
      .text = issued.plaintext + "\n",
      .note = "key id: " + issued.key_id + " (the key is shown only once)\n"};
}

absl::StatusOr<Output> KeyRevoke(TeamAdmin& teams, const std::string& team_id,
                                 const std::string& key_id) {
  TTADS_RETURN_IF_ERROR(teams.RevokeApiKey(team_id, key_id));
  return Output{.json = {{"key_id", key_id}, {"revoked", true}},
                .note = "revoked " + key_id + "\n"};
}

absl::StatusOr<Output> KeyRotate(TeamAdmin& teams, const std::string& team_id,
                                 const std::string& key_id,
                                 absl::Duration overlap) {
  TTADS_ASSIGN_OR_RETURN(auth::RotatedKey rotated,
                         teams.RotateApiKey(team_id, key_id, overlap));
  const std::string until = rotated.previous.expire_time.has_value()
                                ? TimeText(*rotated.previous.expire_time)
                                : std::string();
  return Output{.json = {{"key_id", rotated.successor.key_id},
                         {"team_id", rotated.previous.team_id},
                         {"member_id", rotated.previous.member_id},
                         {"key", rotated.successor.plaintext},
                         {"previous_key_id", rotated.previous.key_id},
                         {"previous_expire_time", until}},
                .text = rotated.successor.plaintext + "\n",
                .note = "key id: " + rotated.successor.key_id +
                        " (the key is shown only once); " +
                        rotated.previous.key_id + " works until " + until +
                        "\n"};
}

absl::StatusOr<Output> KeyList(TeamAdmin& teams, const std::string& team_id) {
  TTADS_ASSIGN_OR_RETURN(std::vector<auth::ApiKeyInfo> keys,
                         teams.ListApiKeys(team_id));
  const absl::Time now = absl::Now();
  Output o{.json = {{"keys", json::array()}}};
  for (const auth::ApiKeyInfo& k : keys) {
    const std::string state = KeyState(k, now);
    json entry = {{"key_id", k.key_id},
                  {"member_id", k.member_id},
                  {"create_time", TimeText(k.create_time)},
                  {"revoked", k.revoked},
                  {"state", state}};
    o.text += k.key_id + "\t" + k.member_id + "\t" + TimeText(k.create_time) +
              "\t" + state;
    if (k.expire_time.has_value()) {
      entry["expire_time"] = TimeText(*k.expire_time);
      o.text += "\tuntil " + TimeText(*k.expire_time);
    }
    if (!k.successor_key_id.empty()) {
      entry["successor_key_id"] = k.successor_key_id;
    }
    o.text += "\n";
    o.json["keys"].push_back(std::move(entry));
  }
  return o;
}

}  // namespace ttads::ttadsctl
