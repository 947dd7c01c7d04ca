#ifndef TTADS_LIBS_CONNECTIONS_FAKE_REFRESH_LEASE_H_
#define TTADS_LIBS_CONNECTIONS_FAKE_REFRESH_LEASE_H_

#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/connections/refresh_lease.h"

namespace ttads::connections {

// In-memory RefreshLease for domain tests (thread-safe). Leases never expire
// by time: one is held until its owner releases it. Counts the acquisitions
// it refused, so a test can see that a second refresher stood aside.
class FakeRefreshLease : public RefreshLease {
 public:
  absl::StatusOr<bool> TryAcquire(std::string_view team_id, std::string_view id,
                                  std::string_view owner,
                                  absl::Duration) override {
    std::lock_guard<std::mutex> lock(mu_);
    auto [it, inserted] =
        holders_.emplace(RefreshLeaseKey(team_id, id), std::string(owner));
    if (!inserted) ++refused_;
    return inserted;
  }
  absl::Status Release(std::string_view team_id, std::string_view id,
                       std::string_view owner) override {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = holders_.find(RefreshLeaseKey(team_id, id));
    if (it != holders_.end() && it->second == owner) holders_.erase(it);
    return absl::OkStatus();
  }
  // How many TryAcquire calls found the lease held.
  int refused() const {
    std::lock_guard<std::mutex> lock(mu_);
    return refused_;
  }

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::string> holders_;  // lease key -> owner
  int refused_ = 0;
};

}  // namespace ttads::connections

#endif  // TTADS_LIBS_CONNECTIONS_FAKE_REFRESH_LEASE_H_
