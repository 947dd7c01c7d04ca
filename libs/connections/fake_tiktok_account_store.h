#ifndef TTADS_LIBS_CONNECTIONS_FAKE_TIKTOK_ACCOUNT_STORE_H_
#define TTADS_LIBS_CONNECTIONS_FAKE_TIKTOK_ACCOUNT_STORE_H_

#include <algorithm>
#include <map>
#include <mutex>
#include <utility>

#include "absl/strings/str_cat.h"
#include "libs/connections/tiktok_account_store.h"

namespace ttads::connections {

// In-memory TikTokAccountStore for domain tests (thread-safe).
class FakeTikTokAccountStore : public TikTokAccountStore {
 public:
  absl::Status Create(const TikTokAccount& a,
                      const AccountTokens& tokens) override {
    std::lock_guard<std::mutex> lock(mu_);
    TikTokAccount copy = a;
    copy.access_expire_time = tokens.access_expire_time;
    copy.refresh_expire_time = tokens.refresh_expire_time;
    rows_[{a.team_id, a.connection_id}] = {
        copy, tokens, true, a.state == TikTokAccount::State::kActive};
    order_.push_back({a.team_id, a.connection_id});
    return absl::OkStatus();
  }
  absl::StatusOr<std::vector<TikTokAccount>> List(
      std::string_view team_id) override {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<TikTokAccount> out;
    for (const auto& k : order_) {
      if (k.first == team_id) out.push_back(rows_[k].account);
    }
    return out;
  }
  absl::StatusOr<TikTokAccount> Get(std::string_view team_id,
                                    std::string_view id) override {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = rows_.find({std::string(team_id), std::string(id)});
    if (it == rows_.end()) return NotFound(id);
    return it->second.account;
  }
  absl::StatusOr<AccountTokens> Tokens(std::string_view team_id,
                                       std::string_view id) override {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = rows_.find({std::string(team_id), std::string(id)});
    if (it == rows_.end() || !it->second.has_tokens) return NotFound(id);
    return it->second.tokens;
  }
  absl::Status UpdateTokens(std::string_view team_id, std::string_view id,
                            const AccountTokens& tokens) override {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = rows_.find({std::string(team_id), std::string(id)});
    if (it == rows_.end()) return NotFound(id);
    it->second.tokens = tokens;
    it->second.account.access_expire_time = tokens.access_expire_time;
    it->second.account.refresh_expire_time = tokens.refresh_expire_time;
    it->second.scheduled =
        it->second.account.state == TikTokAccount::State::kActive;
    ++updates_;
    return absl::OkStatus();
  }
  absl::Status SetState(std::string_view team_id, std::string_view id,
                        TikTokAccount::State state, absl::Time when) override {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = rows_.find({std::string(team_id), std::string(id)});
    if (it == rows_.end()) return NotFound(id);
    it->second.account.state = state;
    it->second.account.state_time = when;
    if (state == TikTokAccount::State::kRevoked) it->second.has_tokens = false;
    it->second.scheduled = state == TikTokAccount::State::kActive;
    return absl::OkStatus();
  }
  // Scans every row (the Redis store reads a sorted index instead).
  absl::StatusOr<std::vector<DueAccount>> DueForRefresh(absl::Time before,
                                                        size_t limit) override {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<DueAccount> out;
    for (const auto& [key, row] : rows_) {
      if (row.scheduled && row.account.access_expire_time < before) {
        out.push_back({key.first, key.second, row.account.access_expire_time});
      }
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
      return a.access_expire_time < b.access_expire_time;
    });
    if (out.size() > limit) out.resize(limit);
    return out;
  }
  absl::Status Unschedule(std::string_view team_id,
                          std::string_view id) override {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = rows_.find({std::string(team_id), std::string(id)});
    if (it != rows_.end()) it->second.scheduled = false;
    return absl::OkStatus();
  }
  int updates() const {
    std::lock_guard<std::mutex> lock(mu_);
    return updates_;
  }

 private:
  struct Row {
    TikTokAccount account;
    AccountTokens tokens;
    bool has_tokens = true;
    bool scheduled = true;  // On the refresh schedule.
  };
  static absl::Status NotFound(std::string_view id) {
    return absl::NotFoundError(absl::StrCat("TikTok account connection ",
                                            std::string(id), " not found"));
  }
  mutable std::mutex mu_;
  std::map<std::pair<std::string, std::string>, Row> rows_;
  std::vector<std::pair<std::string, std::string>> order_;
  int updates_ = 0;
};

}  // namespace ttads::connections

#endif  // TTADS_LIBS_CONNECTIONS_FAKE_TIKTOK_ACCOUNT_STORE_H_
