#include "services/identity/identity_list_cache.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "libs/store/key_schema.h"
#include "services/identity/identity_listing.h"
#include "ttads/identity/v1/identity_service.pb.h"

namespace ttads::identity {
namespace {

std::string CacheKey(const std::string& team_id,
                     const std::string& advertiser_id) {
  return store::TeamKey(team_id,
                        absl::StrCat("cache:identities:", advertiser_id));
}

}  // namespace

IdentityListCache::IdentityListCache(store::RedisPool* redis,
                                     TikTokIdentityApi* tiktok,
                                     CatalogOptions options)
    : redis_(redis), tiktok_(tiktok), options_(options) {}

std::optional<std::vector<common::v1::Identity>> IdentityListCache::Read(
    const std::string& key) {
  auto cached = redis_->Command({"GET", key});
  if (!cached.ok() || cached->is_nil()) return std::nullopt;
  v1::ListIdentitiesResponse container;
  if (!container.ParseFromString(cached->str)) return std::nullopt;
  return std::vector<common::v1::Identity>(container.identities().begin(),
                                           container.identities().end());
}

absl::StatusOr<std::vector<common::v1::Identity>>
IdentityListCache::FetchThroughRedis(const server::CallContext& call,
                                     const connections::ResolvedToken& token) {
  const std::string key =
      CacheKey(token.connection.team_id, token.advertiser_id);
  if (auto hit = Read(key); hit.has_value()) return *std::move(hit);

  // Another replica may be filling the same entry: wait briefly for it.
  const std::string fill_key = key + ":fill";
  auto lock = redis_->Command(
      {"SET", fill_key, "1", "PX",
       std::to_string(absl::ToInt64Milliseconds(options_.fill_wait)), "NX"});
  if (lock.ok() && lock->is_nil()) {
    const absl::Time until =
        std::min(absl::Now() + options_.fill_wait, call.deadline);
    while (absl::Now() < until) {
      absl::SleepFor(absl::Milliseconds(20));
      if (auto hit = Read(key); hit.has_value()) return *std::move(hit);
    }
  }

  auto fetched = ListEveryIdentity(*tiktok_, token.access_token,
                                   token.advertiser_id, call.deadline);
  if (!fetched.ok()) {
    redis_->Command({"DEL", fill_key}).IgnoreError();
    return fetched.status();
  }
  v1::ListIdentitiesResponse container;
  for (const auto& identity : *fetched) *container.add_identities() = identity;
  redis_
      ->Pipeline(
          {{"SET", key, container.SerializeAsString(), "PX",
            std::to_string(absl::ToInt64Milliseconds(options_.cache_ttl))},
           {"DEL", fill_key}})
      .IgnoreError();
  return fetched;
}

absl::StatusOr<std::vector<common::v1::Identity>> IdentityListCache::Get(
    const server::CallContext& call, const connections::ResolvedToken& token) {
  const std::string flight_key =
      absl::StrCat(token.connection.team_id, "/", token.advertiser_id);
  std::shared_ptr<Flight> flight;
  {
    std::unique_lock<std::mutex> lock(mu_);
    auto it = flights_.find(flight_key);
    if (it != flights_.end()) {
      flight = it->second;
      cv_.wait(lock, [&] { return flight->done; });
      return flight->result;
    }
    flight = std::make_shared<Flight>();
    flights_[flight_key] = flight;
  }
  auto result = FetchThroughRedis(call, token);
  {
    std::lock_guard<std::mutex> lock(mu_);
    flight->result = result;
    flight->done = true;
    flights_.erase(flight_key);
  }
  cv_.notify_all();
  return result;
}

void IdentityListCache::Invalidate(const std::string& team_id,
                                   const std::string& advertiser_id) {
  redis_->Command({"DEL", CacheKey(team_id, advertiser_id)}).IgnoreError();
}

}  // namespace ttads::identity
