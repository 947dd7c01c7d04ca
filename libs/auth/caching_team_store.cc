#include "libs/auth/caching_team_store.h"

#include "absl/time/clock.h"
#include "libs/auth/api_key.h"

namespace ttads::auth {

CachingTeamStore::CachingTeamStore(TeamStore* inner, store::RedisOptions watch,
                                   absl::Duration ttl)
    : inner_(inner), ttl_(ttl) {
  watcher_ = RevocationWatcher::Start(
      std::move(watch),
      {.on_revoked =
           [this](const std::string& digest) {
             std::lock_guard<std::mutex> lock(mu_);
             cache_.erase(digest);
           },
       .on_gap =
           [this] {
             std::lock_guard<std::mutex> lock(mu_);
             cache_.clear();
           }});
}

CachingTeamStore::~CachingTeamStore() { watcher_.reset(); }

bool CachingTeamStore::WaitLive(absl::Duration timeout) {
  return watcher_->WaitLive(std::chrono::milliseconds(
      absl::ToInt64Milliseconds(timeout)));
}

std::optional<Principal> CachingTeamStore::CachedPrincipal(
    std::string_view plaintext_key) {
  if (!watcher_->live()) return std::nullopt;
  const std::string digest = ApiKeyDigest(plaintext_key);
  std::lock_guard<std::mutex> lock(mu_);
  auto it = cache_.find(digest);
  if (it == cache_.end() || it->second.expires <= absl::Now()) {
    return std::nullopt;
  }
  return it->second.principal;
}

absl::StatusOr<Principal> CachingTeamStore::Authenticate(
    std::string_view plaintext_key) {
  if (!watcher_->live()) return inner_->Authenticate(plaintext_key);
  const std::string digest = ApiKeyDigest(plaintext_key);
  const absl::Time now = absl::Now();
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = cache_.find(digest);
    if (it != cache_.end()) {
      if (it->second.expires > now) return it->second.principal;
      cache_.erase(it);
    }
  }
  const uint64_t epoch = watcher_->epoch();
  auto principal = inner_->Authenticate(plaintext_key);
  if (principal.ok() && watcher_->live() && watcher_->epoch() == epoch) {
    std::lock_guard<std::mutex> lock(mu_);
    if (cache_.size() > 100000) cache_.clear();
    cache_[digest] = {*principal, now + ttl_};
  }
  return principal;
}

absl::Status CachingTeamStore::RevokeApiKey(std::string_view key_id) {
  // The watcher erases the digest when the revocation is published; a
  // revocation made through this process takes effect here at once too.
  absl::Status s = inner_->RevokeApiKey(key_id);
  if (s.ok()) {
    std::lock_guard<std::mutex> lock(mu_);
    cache_.clear();
  }
  return s;
}

}  // namespace ttads::auth
