#include "libs/auth/caching_team_store.h"

#include <algorithm>

#include "absl/time/clock.h"
#include "libs/auth/api_key.h"

namespace ttads::auth {

CachingTeamStore::CachingTeamStore(TeamStore* inner, store::RedisOptions watch,
                                   absl::Duration ttl,
                                   std::function<absl::Time()> clock)
    : inner_(inner), ttl_(ttl), clock_(std::move(clock)) {
  watcher_ = RevocationWatcher::Start(
      std::move(watch), {.on_revoked =
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
  return watcher_->WaitLive(
      std::chrono::milliseconds(absl::ToInt64Milliseconds(timeout)));
}

std::optional<Principal> CachingTeamStore::CachedPrincipal(
    std::string_view plaintext_key) {
  if (!watcher_->live()) return std::nullopt;
  const std::string digest = ApiKeyDigest(plaintext_key);
  std::lock_guard<std::mutex> lock(mu_);
  auto it = cache_.find(digest);
  if (it == cache_.end() || it->second.expires <= clock_()) {
    return std::nullopt;
  }
  return it->second.principal;
}

absl::StatusOr<Principal> CachingTeamStore::Authenticate(
    std::string_view plaintext_key) {
  if (!watcher_->live()) return inner_->Authenticate(plaintext_key);
  const std::string digest = ApiKeyDigest(plaintext_key);
  const absl::Time now = clock_();
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
    // Never past the key's own expiry (a rotated key's overlap end).
    cache_[digest] = {*principal, std::min(now + ttl_, principal->expire_time)};
  }
  return principal;
}

void CachingTeamStore::Clear() {
  std::lock_guard<std::mutex> lock(mu_);
  cache_.clear();
}

// The watcher erases the digest when a revocation or rotation is published;
// one made through this process takes effect here at once too.
absl::Status CachingTeamStore::RevokeApiKey(std::string_view key_id) {
  absl::Status s = inner_->RevokeApiKey(key_id);
  if (s.ok()) Clear();
  return s;
}

absl::StatusOr<RotatedKey> CachingTeamStore::RotateApiKey(
    std::string_view key_id, absl::Duration overlap) {
  auto rotated = inner_->RotateApiKey(key_id, overlap);
  if (rotated.ok()) Clear();
  return rotated;
}

absl::Status CachingTeamStore::DeleteMember(std::string_view team_id,
                                            std::string_view member_id) {
  absl::Status s = inner_->DeleteMember(team_id, member_id);
  Clear();  // also after a partial failure: some keys may be revoked
  return s;
}

}  // namespace ttads::auth
