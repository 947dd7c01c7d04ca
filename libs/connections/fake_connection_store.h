#ifndef TTADS_LIBS_CONNECTIONS_FAKE_CONNECTION_STORE_H_
#define TTADS_LIBS_CONNECTIONS_FAKE_CONNECTION_STORE_H_

#include <map>
#include <mutex>
#include <utility>

#include "libs/connections/connection_store.h"

namespace ttads::connections {

// In-memory ConnectionStore for unit tests of domain code.
class FakeConnectionStore : public ConnectionStore {
 public:
  absl::Status Create(const Connection& c, std::string_view token) override {
    std::lock_guard<std::mutex> lock(mu_);
    order_.push_back({c.team_id, c.connection_id});
    rows_[{c.team_id, c.connection_id}] = {c, std::string(token)};
    return absl::OkStatus();
  }
  absl::StatusOr<std::vector<Connection>> List(std::string_view team) override {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<Connection> out;
    for (const auto& k : order_) {
      if (k.first == team) out.push_back(rows_.at(k).first);
    }
    return out;
  }
  absl::StatusOr<Connection> Get(std::string_view team,
                                 std::string_view id) override {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = rows_.find({std::string(team), std::string(id)});
    if (it == rows_.end()) return absl::NotFoundError("connection not found");
    return it->second.first;
  }
  absl::StatusOr<std::string> AccessToken(std::string_view team,
                                          std::string_view id) override {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = rows_.find({std::string(team), std::string(id)});
    if (it == rows_.end()) return absl::NotFoundError("connection not found");
    return it->second.second;
  }
  absl::Status MarkRevoked(std::string_view team, std::string_view id,
                           absl::Time when) override {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = rows_.find({std::string(team), std::string(id)});
    if (it == rows_.end()) return absl::NotFoundError("connection not found");
    it->second.first.state = Connection::State::kRevoked;
    it->second.first.revoke_time = when;
    it->second.second.clear();
    return absl::OkStatus();
  }

 private:
  std::mutex mu_;
  std::vector<std::pair<std::string, std::string>> order_;
  std::map<std::pair<std::string, std::string>,
           std::pair<Connection, std::string>>
      rows_;
};

}  // namespace ttads::connections

#endif  // TTADS_LIBS_CONNECTIONS_FAKE_CONNECTION_STORE_H_
