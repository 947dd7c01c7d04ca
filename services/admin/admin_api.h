#ifndef TTADS_SERVICES_ADMIN_ADMIN_API_H_
#define TTADS_SERVICES_ADMIN_ADMIN_API_H_

#include <functional>

#include "absl/status/status.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "libs/auth/team_store.h"
#include "libs/idempotency/idempotency_store.h"
#include "libs/server/call_context.h"
#include "ttads/admin/v1/admin_service.pb.h"

// The operator workflows behind ttads.admin.v1.AdminService
// (docs/admin.md): teams, members and API keys of every team, over the
// suite's TeamStore. Every method first requires the caller's role to be
// `admin` (PERMISSION_DENIED, reason ADMIN_ROLE_REQUIRED, otherwise) and
// then checks its input (INVALID_ARGUMENT with a field violation naming the
// request field); bad input changes nothing. Key texts appear only in the
// answers of CreateApiKey and RotateApiKey.
namespace ttads::admin {

// ListTeams/ListMembers/ListApiKeys page size when the request sets none.
inline constexpr int kDefaultPageSize = 100;
// RotateApiKey's overlap when the request sets none.
inline constexpr absl::Duration kDefaultOverlap = absl::Hours(24);

class AdminApi {
 public:
  // `teams` must outlive the object. `idempotency` (may be null: request
  // ids are then not honoured) stores CreateTeam/CreateMember answers per
  // request_id. `clock` decides key states (EXPIRING vs EXPIRED).
  AdminApi(auth::TeamStore* teams, idempotency::IdempotencyStore* idempotency,
           std::function<absl::Time()> clock = absl::Now)
      : teams_(teams), idempotency_(idempotency), clock_(std::move(clock)) {}

  absl::Status CreateTeam(const server::CallContext& call,
                          const v1::CreateTeamRequest& request, v1::Team* out);
  absl::Status GetTeam(const server::CallContext& call,
                       const v1::GetTeamRequest& request, v1::Team* out);
  absl::Status ListTeams(const server::CallContext& call,
                         const v1::ListTeamsRequest& request,
                         v1::ListTeamsResponse* out);
  absl::Status CreateMember(const server::CallContext& call,
                            const v1::CreateMemberRequest& request,
                            v1::Member* out);
  absl::Status ListMembers(const server::CallContext& call,
                           const v1::ListMembersRequest& request,
                           v1::ListMembersResponse* out);
  absl::Status DeleteMember(const server::CallContext& call,
                            const v1::DeleteMemberRequest& request,
                            v1::DeleteMemberResponse* out);
  absl::Status CreateApiKey(const server::CallContext& call,
                            const v1::CreateApiKeyRequest& request,
                            v1::CreateApiKeyResponse* out);
  absl::Status ListApiKeys(const server::CallContext& call,
                           const v1::ListApiKeysRequest& request,
                           v1::ListApiKeysResponse* out);
  absl::Status RevokeApiKey(const server::CallContext& call,
                            const v1::RevokeApiKeyRequest& request,
                            v1::RevokeApiKeyResponse* out);
  absl::Status RotateApiKey(const server::CallContext& call,
                            const v1::RotateApiKeyRequest& request,
                            v1::RotateApiKeyResponse* out);

  // The key's state at `now`.
  static v1::ApiKeyState StateOf(const auth::ApiKeyInfo& key, absl::Time now);
  // The proto form of `key` (never its text), its state at `now`.
  static v1::ApiKey ToProto(const auth::ApiKeyInfo& key, absl::Time now);

 private:
  // The key `key_id` of team `team_id`; NOT_FOUND for another team's.
  absl::StatusOr<auth::ApiKeyInfo> FindKey(const std::string& team_id,
                                           const std::string& key_id);

  auth::TeamStore* teams_;
  idempotency::IdempotencyStore* idempotency_;
  std::function<absl::Time()> clock_;
};

}  // namespace ttads::admin

#endif  // TTADS_SERVICES_ADMIN_ADMIN_API_H_
