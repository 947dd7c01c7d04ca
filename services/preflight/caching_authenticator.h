#ifndef TTADS_SERVICES_PREFLIGHT_CACHING_AUTHENTICATOR_H_
#define TTADS_SERVICES_PREFLIGHT_CACHING_AUTHENTICATOR_H_

#include <functional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "libs/server/call_context.h"

namespace ttads::preflight {

// Remembers successful API-key authentications for a short time so the hot
// path (a cached PublishCheck) does not read Redis for the key on every call.
// Keys are held only as SHA-256 digests. Failures are never cached. A
// revoked key therefore keeps passing this cache for at most `ttl`; the
// preflight service only reads, and every call it forwards to the identity
// service is authenticated there again. `ttl` zero: pass-through.
class CachingAuthenticator : public server::Authenticator {
 public:
  CachingAuthenticator(
      server::Authenticator* inner, absl::Duration ttl,
      size_t max_entries = 10000,
      std::function<absl::Time()> clock = [] { return absl::Now(); });

  absl::StatusOr<server::Caller> Authenticate(
      std::string_view api_key) override;

 private:
  struct Entry {
    server::Caller caller;
    absl::Time expires;
  };
  server::Authenticator* inner_;
  const absl::Duration ttl_;
  const size_t max_entries_;
  std::function<absl::Time()> clock_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Entry> cache_ ABSL_GUARDED_BY(mu_);
};

}  // namespace ttads::preflight

#endif  // TTADS_SERVICES_PREFLIGHT_CACHING_AUTHENTICATOR_H_
