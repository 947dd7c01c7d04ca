#include "libs/connections/refresh_lease.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "libs/status/status_macros.h"
#include "libs/store/key_schema.h"
#include "libs/store/script.h"

namespace ttads::connections {

std::string RefreshLeaseKey(std::string_view team_id, std::string_view id) {
  return store::TeamKey(team_id,
                        absl::StrCat("ttacct_refresh:", std::string(id)));
}

absl::StatusOr<bool> RedisRefreshLease::TryAcquire(std::string_view team_id,
                                                   std::string_view id,
                                                   std::string_view owner,
                                                   absl::Duration ttl) {
  TTADS_ASSIGN_OR_RETURN(
      store::RedisReply reply,
      redis_->Command({"SET", RefreshLeaseKey(team_id, id), std::string(owner),
                       "NX", "PX",
                       std::to_string(std::max<int64_t>(
                           1, absl::ToInt64Milliseconds(ttl)))}));
  return !reply.is_nil();
}

absl::Status RedisRefreshLease::Release(std::string_view team_id,
                                        std::string_view id,
                                        std::string_view owner) {
  static const store::Script kRelease(
      "if redis.call('GET', KEYS[1]) == ARGV[1] then "
      "return redis.call('DEL', KEYS[1]) end return 0");
  return kRelease
      .Run(*redis_, {RefreshLeaseKey(team_id, id)}, {std::string(owner)})
      .status();
}

}  // namespace ttads::connections
