#ifndef TTADS_SERVICES_PREFLIGHT_SINGLE_FLIGHT_H_
#define TTADS_SERVICES_PREFLIGHT_SINGLE_FLIGHT_H_

#include <atomic>
#include <memory>
#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"

namespace ttads::preflight {

// Coalesces concurrent calls for the same key within one process: the first
// caller (the leader) runs the function; callers arriving while it runs wait
// for it and receive a copy of its result instead of running their own. Once
// the leader finishes, the key is forgotten, so a later call runs again
// (results are cached elsewhere, not here).
//
// This is what makes "concurrent misses for one advertiser cost one upstream
// call per asset type" hold inside a replica; the Redis cache spreads the
// result to the other replicas.
template <typename T>
class SingleFlight {
 public:
  // Returns fn()'s result, or the result of the in-flight leader for `key`.
  // `*shared` (optional) is set to true when the result came from another
  // caller's run.
  T Do(const std::string& key, absl::FunctionRef<T()> fn,
       bool* shared = nullptr) {
    std::shared_ptr<Flight> flight;
    bool leader = false;
    {
      absl::MutexLock lock(&mu_);
      auto [it, inserted] = flights_.try_emplace(key);
      if (inserted) it->second = std::make_shared<Flight>();
      flight = it->second;
      leader = inserted;
    }
    if (shared != nullptr) *shared = !leader;
    if (!leader) {
      flight->waiting.fetch_add(1);
      flight->done.WaitForNotification();
      return *flight->result;
    }
    flight->result.emplace(fn());
    {
      absl::MutexLock lock(&mu_);
      flights_.erase(key);
    }
    flight->done.Notify();
    return *flight->result;
  }

  // Callers currently waiting on the leader of `key` (for tests).
  int Waiting(const std::string& key) {
    absl::MutexLock lock(&mu_);
    auto it = flights_.find(key);
    return it == flights_.end() ? 0 : it->second->waiting.load();
  }

 private:
  struct Flight {
    std::atomic<int> waiting{0};
    absl::Notification done;
    std::optional<T> result;
  };
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, std::shared_ptr<Flight>> flights_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace ttads::preflight

#endif  // TTADS_SERVICES_PREFLIGHT_SINGLE_FLIGHT_H_
