#ifndef TTADS_SERVICES_IDENTITY_FAKE_OAUTH_STATE_STORE_H_
#define TTADS_SERVICES_IDENTITY_FAKE_OAUTH_STATE_STORE_H_

// A test double of OAuthStateStore (oauth_state_store.h) for unit tests of
// the OAuth flows; no product target uses it. oauth_state_store_test.cc runs
// the same contract against it and the Redis store.

#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "services/identity/oauth_state_store.h"

namespace ttads::identity {

// In memory: like RedisOAuthStateStore, a state keeps its first record and
// is taken once; unlike it, records never expire by time. Thread-safe.
class FakeOAuthStateStore : public OAuthStateStore {
 public:
  absl::Status Put(const std::string& team_id, const std::string& state,
                   const std::string& record, absl::Duration) override {
    std::lock_guard<std::mutex> lock(mu_);
    records_.try_emplace(team_id + "/" + state, record);
    return absl::OkStatus();
  }
  absl::StatusOr<std::optional<std::string>> Take(
      const std::string& team_id, const std::string& state) override {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = records_.find(team_id + "/" + state);
    if (it == records_.end()) return std::optional<std::string>();
    std::string record = it->second;
    records_.erase(it);
    return std::optional<std::string>(record);
  }

 private:
  std::mutex mu_;
  std::map<std::string, std::string> records_;
};

}  // namespace ttads::identity

#endif  // TTADS_SERVICES_IDENTITY_FAKE_OAUTH_STATE_STORE_H_
