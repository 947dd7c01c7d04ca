#ifndef TTADS_SERVICES_IDENTITY_ACCOUNT_STORE_H_
#define TTADS_SERVICES_IDENTITY_ACCOUNT_STORE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/store/redis.h"
#include "ttads/identity/v1/identity_service.pb.h"

namespace ttads::identity {

// The team's social accounts (posting `tiktok` and ads `tiktokads`) and each
// ads account's Brand Identity. Scoped to one team: another team's id is
// NOT_FOUND.
//
// Redis:
//   ttads:{team:T}:accounts                   ZSET account ids by creation ms
//   ttads:{team:T}:account:<A>                HASH record (v1.Account bytes),
//                                             brand (v1.BrandIdentity bytes)
//   ttads:{team:T}:adsacct:<adv>:<parent|->   STRING the ads account id for
//                                             that advertiser and parent
//                                             (SET NX: one per pair)
class AccountStore {
 public:
  explicit AccountStore(store::RedisPool* redis) : redis_(redis) {}

  absl::Status Put(const std::string& team_id, const v1::Account& account);
  absl::StatusOr<v1::Account> Get(const std::string& team_id,
                                  const std::string& account_id);
  absl::StatusOr<std::vector<v1::Account>> List(const std::string& team_id);

  // Claims the (advertiser, parent) slot for `new_id`; returns the id that
  // holds it — `new_id` when it was free, the existing one otherwise.
  absl::StatusOr<std::string> ClaimAdsAccountSlot(const std::string& team_id,
                                                  const std::string& advertiser,
                                                  const std::string& parent,
                                                  const std::string& new_id);

  absl::StatusOr<std::optional<v1::BrandIdentity>> GetBrand(
      const std::string& team_id, const std::string& account_id);
  // Stores the brand and mirrors its id into the account record.
  absl::Status PutBrand(const std::string& team_id, v1::Account account,
                        const v1::BrandIdentity& brand);

 private:
  store::RedisPool* redis_;
};

}  // namespace ttads::identity

#endif  // TTADS_SERVICES_IDENTITY_ACCOUNT_STORE_H_
