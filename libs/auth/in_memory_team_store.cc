#include "libs/auth/in_memory_team_store.h"

#include <algorithm>

#include "libs/auth/api_key.h"
#include "libs/auth/internal/checks.h"
#include "libs/status/status_macros.h"

namespace ttads::auth {
namespace {

using internal::CheckId;
using internal::CheckName;

std::string Str(std::string_view s) { return std::string(s); }

// Values of `map` passing `keep`, in creation order.
template <typename T, typename Pred>
std::vector<T> Ordered(const std::map<std::string, std::pair<int64_t, T>>& map,
                       Pred keep) {
  std::vector<std::pair<int64_t, T>> items;
  for (const auto& [id, item] : map) {
    if (keep(item.second)) items.push_back(item);
  }
  std::sort(items.begin(), items.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<T> out;
  for (auto& item : items) out.push_back(std::move(item.second));
  return out;
}

}  // namespace

absl::Time InMemoryTeamStore::Now() const {
  return internal::Truncated(clock_());
}

absl::Status InMemoryTeamStore::FindTeamLocked(std::string_view team_id) {
  TTADS_RETURN_IF_ERROR(CheckId("team_id", team_id));
  if (teams_.count(Str(team_id)) == 0) {
    return absl::NotFoundError("team " + Str(team_id) + " not found");
  }
  return absl::OkStatus();
}

absl::StatusOr<Team> InMemoryTeamStore::CreateTeam(std::string_view name,
                                                   std::string_view tier,
                                                   bool subscription_active) {
  TTADS_RETURN_IF_ERROR(CheckName("name", name));
  TTADS_RETURN_IF_ERROR(ValidateTier(tier));
  Team team{NewTeamId(), Str(name), Str(tier), subscription_active, Now()};
  std::lock_guard<std::mutex> lock(mu_);
  teams_[team.id] = {++sequence_, team};
  return team;
}

absl::StatusOr<Team> InMemoryTeamStore::GetTeam(std::string_view team_id) {
  std::lock_guard<std::mutex> lock(mu_);
  TTADS_RETURN_IF_ERROR(FindTeamLocked(team_id));
  return teams_[Str(team_id)].second;
}

absl::StatusOr<std::vector<Team>> InMemoryTeamStore::ListTeams() {
  std::lock_guard<std::mutex> lock(mu_);
  return Ordered(teams_, [](const Team&) { return true; });
}

absl::Status InMemoryTeamStore::SetSubscriptionActive(std::string_view team_id,
                                                      bool active) {
  std::lock_guard<std::mutex> lock(mu_);
  TTADS_RETURN_IF_ERROR(FindTeamLocked(team_id));
  teams_[Str(team_id)].second.subscription_active = active;
  return absl::OkStatus();
}

absl::Status InMemoryTeamStore::SetTier(std::string_view team_id,
                                        std::string_view tier) {
  TTADS_RETURN_IF_ERROR(ValidateTier(tier));
  std::lock_guard<std::mutex> lock(mu_);
  TTADS_RETURN_IF_ERROR(FindTeamLocked(team_id));
  teams_[Str(team_id)].second.tier = Str(tier);
  return absl::OkStatus();
}

absl::StatusOr<Member> InMemoryTeamStore::AddMember(std::string_view team_id,
                                                    std::string_view name,
                                                    Role role) {
  TTADS_RETURN_IF_ERROR(CheckName("name", name));
  if (role == Role::kUnspecified) {
    return absl::InvalidArgumentError("role is required");
  }
  std::lock_guard<std::mutex> lock(mu_);
  TTADS_RETURN_IF_ERROR(FindTeamLocked(team_id));
  Member m{NewMemberId(), Str(team_id), Str(name), role, Now()};
  members_[m.id] = {++sequence_, m};
  return m;
}

absl::StatusOr<Member> InMemoryTeamStore::GetMember(
    std::string_view team_id, std::string_view member_id) {
  TTADS_RETURN_IF_ERROR(CheckId("team_id", team_id));
  TTADS_RETURN_IF_ERROR(CheckId("member_id", member_id));
  std::lock_guard<std::mutex> lock(mu_);
  auto it = members_.find(Str(member_id));
  if (it == members_.end() || it->second.second.team_id != team_id) {
    return absl::NotFoundError("member " + Str(member_id) +
                               " not found in team " + Str(team_id));
  }
  return it->second.second;
}

absl::StatusOr<std::vector<Member>> InMemoryTeamStore::ListMembers(
    std::string_view team_id) {
  std::lock_guard<std::mutex> lock(mu_);
  TTADS_RETURN_IF_ERROR(FindTeamLocked(team_id));
  return Ordered(members_,
                 [&](const Member& m) { return m.team_id == team_id; });
}

absl::Status InMemoryTeamStore::DeleteMember(std::string_view team_id,
                                             std::string_view member_id) {
  TTADS_RETURN_IF_ERROR(GetMember(team_id, member_id).status());
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& [id, entry] : keys_) {
    ApiKeyInfo& info = entry.second.info;
    if (info.member_id == member_id && !info.revoked) {
      info.revoked = true;
      info.revoke_time = Now();
    }
  }
  members_.erase(Str(member_id));
  return absl::OkStatus();
}

IssuedKey InMemoryTeamStore::IssueLocked(const std::string& team_id,
                                         const std::string& member_id) {
  IssuedKey issued{NewKeyId(), NewApiKey()};
  StoredKey stored{{.key_id = issued.key_id,
                    .team_id = team_id,
                    .member_id = member_id,
                    .create_time = Now()},
                   ApiKeyDigest(issued.plaintext)};
  keys_[issued.key_id] = {++sequence_, stored};
  return issued;
}

absl::StatusOr<IssuedKey> InMemoryTeamStore::IssueApiKey(
    std::string_view team_id, std::string_view member_id) {
  TTADS_RETURN_IF_ERROR(GetMember(team_id, member_id).status());
  std::lock_guard<std::mutex> lock(mu_);
  return IssueLocked(Str(team_id), Str(member_id));
}

absl::Status InMemoryTeamStore::RevokeApiKey(std::string_view key_id) {
  TTADS_RETURN_IF_ERROR(CheckId("key_id", key_id));
  std::lock_guard<std::mutex> lock(mu_);
  auto it = keys_.find(Str(key_id));
  if (it == keys_.end()) {
    return absl::NotFoundError("API key " + Str(key_id) + " not found");
  }
  ApiKeyInfo& info = it->second.second.info;
  if (!info.revoked) {
    info.revoked = true;
    info.revoke_time = Now();
  }
  return absl::OkStatus();
}

absl::StatusOr<RotatedKey> InMemoryTeamStore::RotateApiKey(
    std::string_view key_id, absl::Duration overlap) {
  TTADS_RETURN_IF_ERROR(CheckId("key_id", key_id));
  TTADS_RETURN_IF_ERROR(internal::CheckOverlap(overlap, kMaxRotationOverlap));
  std::lock_guard<std::mutex> lock(mu_);
  auto it = keys_.find(Str(key_id));
  if (it == keys_.end()) {
    return absl::NotFoundError("API key " + Str(key_id) + " not found");
  }
  ApiKeyInfo& old = it->second.second.info;
  const absl::Time now = Now();
  TTADS_RETURN_IF_ERROR(internal::CheckRotatable(old, now));
  RotatedKey rotated;
  rotated.successor = IssueLocked(old.team_id, old.member_id);
  old.expire_time = now + overlap;
  old.successor_key_id = rotated.successor.key_id;
  rotated.previous = old;
  return rotated;
}

absl::StatusOr<std::vector<ApiKeyInfo>> InMemoryTeamStore::ListApiKeys(
    std::string_view team_id) {
  std::lock_guard<std::mutex> lock(mu_);
  TTADS_RETURN_IF_ERROR(FindTeamLocked(team_id));
  std::vector<ApiKeyInfo> out;
  for (StoredKey& k : Ordered(keys_, [&](const StoredKey& k) {
         return k.info.team_id == team_id;
       })) {
    out.push_back(std::move(k.info));
  }
  return out;
}

absl::StatusOr<Principal> InMemoryTeamStore::Authenticate(
    std::string_view plaintext_key) {
  if (!LooksLikeApiKey(plaintext_key)) return internal::Unauthenticated();
  const std::string digest = ApiKeyDigest(plaintext_key);
  const absl::Time now = Now();
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [id, entry] : keys_) {
    const StoredKey& k = entry.second;
    if (k.digest != digest || k.info.revoked) continue;
    if (k.info.expire_time.has_value() && *k.info.expire_time <= now) break;
    auto member = members_.find(k.info.member_id);
    if (member == members_.end()) break;
    return Principal{k.info.team_id, k.info.member_id,
                     member->second.second.role, k.info.key_id,
                     k.info.expire_time.value_or(absl::InfiniteFuture())};
  }
  return internal::Unauthenticated();
}

}  // namespace ttads::auth
