#include "services/preflight/caching_authenticator.h"

#include <utility>

#include "libs/auth/api_key.h"

namespace ttads::preflight {

CachingAuthenticator::CachingAuthenticator(server::Authenticator* inner,
                                           absl::Duration ttl,
                                           size_t max_entries,
                                           std::function<absl::Time()> clock)
    : inner_(inner),
      ttl_(ttl),
      max_entries_(max_entries),
      clock_(std::move(clock)) {}

absl::StatusOr<server::Caller> CachingAuthenticator::Authenticate(
    std::string_view api_key) {
  if (ttl_ <= absl::ZeroDuration()) return inner_->Authenticate(api_key);
  const std::string digest = auth::ApiKeyDigest(api_key);
  const absl::Time now = clock_();
  {
    absl::MutexLock lock(&mu_);
    auto it = cache_.find(digest);
    if (it != cache_.end() && it->second.expires > now) {
      return it->second.caller;
    }
  }
  auto caller = inner_->Authenticate(api_key);
  if (!caller.ok()) return caller;
  absl::MutexLock lock(&mu_);
  if (cache_.size() >= max_entries_) {
    absl::erase_if(cache_,
                   [now](const auto& kv) { return kv.second.expires <= now; });
    if (cache_.size() >= max_entries_) cache_.clear();
  }
  cache_[digest] = Entry{*caller, now + ttl_};
  return caller;
}

}  // namespace ttads::preflight
