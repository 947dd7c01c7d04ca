#include "services/identity/oauth_state_store.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "libs/status/status_macros.h"
#include "libs/store/key_schema.h"

namespace ttads::identity {

absl::Status RedisOAuthStateStore::Put(const std::string& team_id,
                                       const std::string& state,
                                       const std::string& record,
                                       absl::Duration ttl) {
  return redis_
      ->Command(
          {"SET", store::TeamKey(team_id, absl::StrCat(prefix_, ":", state)),
           record, "PX",
           std::to_string(std::max<int64_t>(1, absl::ToInt64Milliseconds(ttl))),
           "NX"})
      .status();
}

absl::StatusOr<std::optional<std::string>> RedisOAuthStateStore::Take(
    const std::string& team_id, const std::string& state) {
  TTADS_ASSIGN_OR_RETURN(
      store::RedisReply reply,
      redis_->Command(
          {"GETDEL",
           store::TeamKey(team_id, absl::StrCat(prefix_, ":", state))}));
  if (reply.is_nil()) return std::optional<std::string>();
  return std::optional<std::string>(reply.str);
}

}  // namespace ttads::identity
