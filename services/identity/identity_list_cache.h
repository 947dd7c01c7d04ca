#ifndef TTADS_SERVICES_IDENTITY_IDENTITY_LIST_CACHE_H_
#define TTADS_SERVICES_IDENTITY_IDENTITY_LIST_CACHE_H_

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/connections/token_resolver.h"
#include "libs/server/call_context.h"
#include "libs/store/redis.h"
#include "services/identity/tiktok_identity_api.h"
#include "ttads/common/v1/common.pb.h"

namespace ttads::identity {

struct CatalogOptions {
  // How long an advertiser's identity list is served from Redis.
  absl::Duration cache_ttl = absl::Seconds(60);
  // How long a replica waits for another replica's fetch of the same list
  // before fetching itself.
  absl::Duration fill_wait = absl::Seconds(2);
};

// Every identity of an advertiser (all types, every page: ListEveryIdentity),
// as seen through a resolved token, cached per team and advertiser in Redis
// (ttads:{team:T}:cache:identities:<advertiser>, a serialized
// ListIdentitiesResponse, TTL cache_ttl).
//
// Concurrent misses cost one upstream fetch: in-process callers share one
// fetch (single flight) and replicas take a short Redis lock
// (…:identities:<advertiser>:fill, PX fill_wait) and poll for the winner's
// result until fill_wait or the caller's deadline, then fetch themselves.
// A failed fetch is not cached and releases the lock; its error is returned
// as TikTokIdentityApi gave it. An unreadable cache entry counts as a miss.
class IdentityListCache {
 public:
  IdentityListCache(store::RedisPool* redis, TikTokIdentityApi* tiktok,
                    CatalogOptions options);

  absl::StatusOr<std::vector<common::v1::Identity>> Get(
      const server::CallContext& call, const connections::ResolvedToken& token);

  // Drops the advertiser's entry (after a create, which changes the list).
  void Invalidate(const std::string& team_id, const std::string& advertiser_id);

 private:
  struct Flight {
    bool done = false;
    absl::StatusOr<std::vector<common::v1::Identity>> result;
  };

  absl::StatusOr<std::vector<common::v1::Identity>> FetchThroughRedis(
      const server::CallContext& call, const connections::ResolvedToken& token);
  std::optional<std::vector<common::v1::Identity>> Read(const std::string& key);

  store::RedisPool* redis_;
  TikTokIdentityApi* tiktok_;
  CatalogOptions options_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, std::shared_ptr<Flight>> flights_;
};

}  // namespace ttads::identity

#endif  // TTADS_SERVICES_IDENTITY_IDENTITY_LIST_CACHE_H_
