#include "services/identity/account_store.h"

#include "absl/strings/str_cat.h"
#include "libs/status/status_macros.h"
#include "libs/store/key_schema.h"

namespace ttads::identity {
namespace {

std::string AccountKey(const std::string& team, const std::string& id) {
  return store::TeamKey(team, absl::StrCat("account:", id));
}
std::string IndexKey(const std::string& team) {
  return store::TeamKey(team, "accounts");
}
absl::Status NotFound(const std::string& id) {
  return absl::NotFoundError(absl::StrCat("account ", id, " not found"));
}

}  // namespace

absl::Status AccountStore::Put(const std::string& team_id,
                               const v1::Account& account) {
  return redis_
      ->Pipeline({{"HSET", AccountKey(team_id, account.account_id()), "record",
                   account.SerializeAsString()},
                  {"ZADD", IndexKey(team_id), "NX",
                   std::to_string(account.create_time().seconds() * 1000 +
                                  account.create_time().nanos() / 1000000),
                   account.account_id()}})
      .status();
}

absl::StatusOr<v1::Account> AccountStore::Get(const std::string& team_id,
                                              const std::string& account_id) {
  if (!store::IsValidKeyId(account_id)) return NotFound(account_id);
  TTADS_ASSIGN_OR_RETURN(
      store::RedisReply reply,
      redis_->Command({"HGET", AccountKey(team_id, account_id), "record"}));
  v1::Account account;
  if (reply.is_nil() || !account.ParseFromString(reply.str)) {
    return NotFound(account_id);
  }
  return account;
}

absl::StatusOr<std::vector<v1::Account>> AccountStore::List(
    const std::string& team_id) {
  TTADS_ASSIGN_OR_RETURN(
      store::RedisReply ids,
      redis_->Command({"ZRANGE", IndexKey(team_id), "0", "-1"}));
  std::vector<v1::Account> out;
  if (ids.elements.empty()) return out;
  std::vector<std::vector<std::string>> commands;
  for (const auto& id : ids.elements) {
    commands.push_back({"HGET", AccountKey(team_id, id.str), "record"});
  }
  TTADS_ASSIGN_OR_RETURN(std::vector<store::RedisReply> records,
                         redis_->Pipeline(commands));
  for (const auto& r : records) {
    v1::Account account;
    if (!r.is_nil() && account.ParseFromString(r.str)) out.push_back(account);
  }
  return out;
}

absl::StatusOr<std::string> AccountStore::ClaimAdsAccountSlot(
    const std::string& team_id, const std::string& advertiser,
    const std::string& parent, const std::string& new_id) {
  const std::string key = store::TeamKey(
      team_id,
      absl::StrCat("adsacct:", advertiser, ":", parent.empty() ? "-" : parent));
  TTADS_ASSIGN_OR_RETURN(store::RedisReply set,
                         redis_->Command({"SET", key, new_id, "NX"}));
  if (!set.is_nil()) return new_id;
  TTADS_ASSIGN_OR_RETURN(store::RedisReply existing,
                         redis_->Command({"GET", key}));
  return existing.str;
}

absl::StatusOr<std::optional<v1::BrandIdentity>> AccountStore::GetBrand(
    const std::string& team_id, const std::string& account_id) {
  TTADS_ASSIGN_OR_RETURN(
      store::RedisReply reply,
      redis_->Command({"HGET", AccountKey(team_id, account_id), "brand"}));
  if (reply.is_nil()) return std::optional<v1::BrandIdentity>();
  v1::BrandIdentity brand;
  if (!brand.ParseFromString(reply.str)) {
    return absl::DataLossError("stored Brand Identity is unreadable");
  }
  return std::optional<v1::BrandIdentity>(brand);
}

absl::Status AccountStore::PutBrand(const std::string& team_id,
                                    v1::Account account,
                                    const v1::BrandIdentity& brand) {
  account.set_brand_identity_id(brand.identity_id());
  return redis_
      ->Command({"HSET", AccountKey(team_id, account.account_id()), "record",
                 account.SerializeAsString(), "brand",
                 brand.SerializeAsString()})
      .status();
}

}  // namespace ttads::identity
