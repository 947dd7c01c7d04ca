#include "libs/store/metered_pool.h"

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "libs/store/redis_metrics.h"

namespace ttads::store {
namespace {

// Times every call of `inner` and counts its failures (RedisMetrics).
class MeteredPool final : public RedisPool {
 public:
  MeteredPool(std::unique_ptr<RedisPool> inner,
              std::shared_ptr<RedisMetrics> metrics)
      : inner_(std::move(inner)), metrics_(std::move(metrics)) {}

  absl::StatusOr<RedisReply> Command(
      const std::vector<std::string>& args) override {
    const auto start = std::chrono::steady_clock::now();
    absl::StatusOr<RedisReply> reply = inner_->Command(args);
    metrics_->ObserveCall(std::chrono::steady_clock::now() - start,
                          reply.status());
    return reply;
  }

  absl::StatusOr<std::vector<RedisReply>> Pipeline(
      const std::vector<std::vector<std::string>>& commands) override {
    const auto start = std::chrono::steady_clock::now();
    absl::StatusOr<std::vector<RedisReply>> replies =
        inner_->Pipeline(commands);
    metrics_->ObserveCall(std::chrono::steady_clock::now() - start,
                          replies.status());
    if (replies.ok()) {
      for (const RedisReply& r : *replies) {
        if (r.is_error()) metrics_->CountError("error_reply");
      }
    }
    return replies;
  }

 private:
  const std::unique_ptr<RedisPool> inner_;
  const std::shared_ptr<RedisMetrics> metrics_;
};

}  // namespace

std::unique_ptr<RedisPool> NewMeteredPool(
    std::unique_ptr<RedisPool> inner, std::shared_ptr<RedisMetrics> metrics) {
  return std::make_unique<MeteredPool>(std::move(inner), std::move(metrics));
}

}  // namespace ttads::store
