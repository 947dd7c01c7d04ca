#ifndef TTADS_LIBS_AUTH_TEAM_STORE_H_
#define TTADS_LIBS_AUTH_TEAM_STORE_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

// Teams (tenants), their members with roles, and the API keys members call
// ttads with. API keys are shown once when issued and kept only as SHA-256
// digests; Authenticate turns a presented key into the Principal every
// service authorizes against (the tenant always comes from the key, never
// from the request).
//
// TeamStore is the interface domain code depends on; RedisTeamStore is the
// production implementation and InMemoryTeamStore the fake for unit tests.
// Both implement the same contract (auth/team_store_test.cc runs the same
// tests against each).
namespace ttads::auth {

// Ordered by privilege: admin > owner > manager > mediabuyer. An admin is an
// operator of the suite: in its own team it may do what an owner may, and
// only admins may call the admin API (ttads.admin.v1.AdminService: teams,
// members and keys of every team). Admins are made by ttadsctl or by
// another admin.
enum class Role {
  kUnspecified = 0,
  kMediaBuyer = 1,
  kManager = 2,
  kOwner = 3,
  kAdmin = 4,
};

// "admin", "owner", "manager", "mediabuyer".
std::string_view RoleName(Role role);
// Accepts the names above (case-insensitive); INVALID_ARGUMENT otherwise.
absl::StatusOr<Role> ParseRole(std::string_view name);
// True when `have` grants at least what `need` grants.
bool RoleAtLeast(Role have, Role need);

// Quota tiers a team can be on; services map a tier to their limits.
inline constexpr std::string_view kTierFree = "free";
inline constexpr std::string_view kTierStandard = "standard";
inline constexpr std::string_view kTierEnterprise = "enterprise";
// INVALID_ARGUMENT unless `tier` is one of the tiers above.
absl::Status ValidateTier(std::string_view tier);

struct Team {
  std::string id;    // "tm_..."
  std::string name;  // 1-100 characters
  std::string tier;  // kTier*
  bool subscription_active = false;
  absl::Time create_time;
};

struct Member {
  std::string id;  // "mb_..."
  std::string team_id;
  std::string name;  // 1-100 characters
  Role role = Role::kUnspecified;
  absl::Time create_time;
};

// What is stored about an API key: never the key itself.
struct ApiKeyInfo {
  std::string key_id;  // "key_..."
  std::string team_id;
  std::string member_id;
  absl::Time create_time;
  bool revoked = false;
  std::optional<absl::Time> revoke_time;  // set once revoked
  // Set once the key was rotated: it authenticates until this time and is
  // refused from then on (RotateApiKey's overlap).
  std::optional<absl::Time> expire_time;
  std::string successor_key_id;  // the key that replaced it, once rotated
};

// Returned once by IssueApiKey; `plaintext` is not recoverable later.
struct IssuedKey {
  std::string key_id;
  std::string plaintext;  // "ttads_<43 URL-safe characters>"
};

// Returned by RotateApiKey: the new key (its plaintext shown this once) and
// the old key's record, now with its expire_time and successor_key_id.
struct RotatedKey {
  IssuedKey successor;
  ApiKeyInfo previous;
};

// The longest overlap RotateApiKey accepts.
inline constexpr absl::Duration kMaxRotationOverlap = absl::Hours(24 * 30);

// Who is calling: resolved from an API key.
struct Principal {
  std::string team_id;
  std::string member_id;
  Role role = Role::kUnspecified;
  std::string key_id;
  // When the key stops authenticating (a rotated key's overlap end);
  // InfiniteFuture for a key that was not rotated. Caches must not answer
  // for the key from this time on.
  absl::Time expire_time = absl::InfiniteFuture();
};

class TeamStore {
 public:
  virtual ~TeamStore() = default;

  // INVALID_ARGUMENT for an empty/too long name or unknown tier.
  virtual absl::StatusOr<Team> CreateTeam(std::string_view name,
                                          std::string_view tier,
                                          bool subscription_active) = 0;
  // NOT_FOUND when there is no such team.
  virtual absl::StatusOr<Team> GetTeam(std::string_view team_id) = 0;
  // All teams, oldest first (operator tooling).
  virtual absl::StatusOr<std::vector<Team>> ListTeams() = 0;
  // NOT_FOUND when there is no such team.
  virtual absl::Status SetSubscriptionActive(std::string_view team_id,
                                             bool active) = 0;
  virtual absl::Status SetTier(std::string_view team_id,
                               std::string_view tier) = 0;

  // NOT_FOUND for an unknown team; INVALID_ARGUMENT for a bad name/role.
  virtual absl::StatusOr<Member> AddMember(std::string_view team_id,
                                           std::string_view name,
                                           Role role) = 0;
  // NOT_FOUND unless the member exists in that team.
  virtual absl::StatusOr<Member> GetMember(std::string_view team_id,
                                           std::string_view member_id) = 0;
  // Oldest first; NOT_FOUND for an unknown team.
  virtual absl::StatusOr<std::vector<Member>> ListMembers(
      std::string_view team_id) = 0;
  // Revokes every key of the member (each refused from the next call on,
  // as RevokeApiKey) and then removes the member. NOT_FOUND unless the
  // member exists in that team.
  virtual absl::Status DeleteMember(std::string_view team_id,
                                    std::string_view member_id) = 0;

  // NOT_FOUND unless the member exists in that team.
  virtual absl::StatusOr<IssuedKey> IssueApiKey(std::string_view team_id,
                                                std::string_view member_id) = 0;
  // Takes effect before it returns: the next Authenticate with that key
  // fails. Revoking a revoked key is OK; NOT_FOUND for an unknown key id.
  virtual absl::Status RevokeApiKey(std::string_view key_id) = 0;
  // Oldest first, revoked ones included; NOT_FOUND for an unknown team.
  virtual absl::StatusOr<std::vector<ApiKeyInfo>> ListApiKeys(
      std::string_view team_id) = 0;
  // Replaces a key with overlap: issues a new key for the same member
  // (authenticating at once) and lets the old one keep authenticating until
  // now + `overlap`, after which it is refused as if revoked (no process
  // may answer for it from a cache past that time). A zero overlap refuses
  // the old key from the next call on. The processes that cache
  // Authenticate answers are told (kRevocationChannel) to re-read it.
  // INVALID_ARGUMENT for an overlap outside 0..kMaxRotationOverlap;
  // NOT_FOUND for an unknown key id; FAILED_PRECONDITION for a key that is
  // revoked, expired or already rotated (rotate its successor instead).
  virtual absl::StatusOr<RotatedKey> RotateApiKey(std::string_view key_id,
                                                  absl::Duration overlap) = 0;

  // UNAUTHENTICATED for a malformed, unknown, revoked or expired key (the
  // message never contains the key); UNAVAILABLE when the store is.
  virtual absl::StatusOr<Principal> Authenticate(
      std::string_view plaintext_key) = 0;

  // Authenticate's answer when it is known without I/O (a cache hit);
  // nullopt otherwise, and always for stores without such a cache. Callers
  // that must not block use this first and fall back to Authenticate on a
  // worker thread.
  virtual std::optional<Principal> AuthenticateWithoutIo(
      std::string_view plaintext_key) {
    (void)plaintext_key;
    return std::nullopt;
  }
};

}  // namespace ttads::auth

#endif  // TTADS_LIBS_AUTH_TEAM_STORE_H_
