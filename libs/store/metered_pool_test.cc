#include "libs/store/metered_pool.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/testing/status_matchers.h"
#include "prometheus/registry.h"

namespace ttads::store {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;
using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

// A pool that answers every call with the answer set last, and records the
// commands it was given.
class ScriptedPool final : public RedisPool {
 public:
  absl::StatusOr<RedisReply> Command(
      const std::vector<std::string>& args) override {
    seen.push_back(args);
    return command_answer;
  }
  absl::StatusOr<std::vector<RedisReply>> Pipeline(
      const std::vector<std::vector<std::string>>& commands) override {
    seen.insert(seen.end(), commands.begin(), commands.end());
    return pipeline_answer;
  }

  absl::StatusOr<RedisReply> command_answer;
  absl::StatusOr<std::vector<RedisReply>> pipeline_answer;
  std::vector<std::vector<std::string>> seen;
};

RedisReply Reply(RedisReply::Type type, std::string str) {
  RedisReply reply;
  reply.type = type;
  reply.str = std::move(str);
  return reply;
}

class MeteredPoolTest : public ::testing::Test {
 protected:
  MeteredPoolTest() {
    auto inner = std::make_unique<ScriptedPool>();
    inner_ = inner.get();
    pool_ = NewMeteredPool(std::move(inner),
                           std::make_shared<RedisMetrics>(registry_));
  }

  // The calls timed (the histogram's sample count).
  uint64_t Calls() {
    for (const auto& family : registry_->Collect()) {
      if (family.name == "redis_command_duration_seconds") {
        return family.metric.at(0).histogram.sample_count;
      }
    }
    return 0;
  }

  // redis_errors_total, by kind.
  std::map<std::string, double> Errors() {
    std::map<std::string, double> by_kind;
    for (const auto& family : registry_->Collect()) {
      if (family.name != "redis_errors_total") continue;
      for (const auto& metric : family.metric) {
        by_kind[metric.label.at(0).value] = metric.counter.value;
      }
    }
    return by_kind;
  }

  std::shared_ptr<prometheus::Registry> registry_ =
      std::make_shared<prometheus::Registry>();
  ScriptedPool* inner_;
  std::unique_ptr<RedisPool> pool_;
};

TEST_F(MeteredPoolTest, ForwardsCommandAndCountsEachCallAndItsFailureCode) {
  inner_->command_answer = Reply(RedisReply::Type::kString, "value");
  auto reply = pool_->Command({"GET", "k"});
  ASSERT_THAT(reply, IsOk());
  EXPECT_EQ(reply->type, RedisReply::Type::kString);
  EXPECT_EQ(reply->str, "value");
  EXPECT_THAT(inner_->seen, ElementsAre(std::vector<std::string>{"GET", "k"}));
  EXPECT_EQ(Calls(), 1u);
  EXPECT_THAT(Errors(), IsEmpty());

  inner_->command_answer = absl::InternalError("WRONGTYPE Operation");
  EXPECT_THAT(pool_->Command({"INCR", "k"}),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("WRONGTYPE")));
  inner_->command_answer = absl::UnavailableError("redis: LOADING");
  EXPECT_THAT(pool_->Command({"GET", "k"}),
              StatusIs(absl::StatusCode::kUnavailable));
  inner_->command_answer = absl::DeadlineExceededError("slow");
  EXPECT_THAT(pool_->Command({"GET", "k"}),
              StatusIs(absl::StatusCode::kDeadlineExceeded));

  EXPECT_EQ(Calls(), 4u);
  EXPECT_THAT(Errors(),
              UnorderedElementsAre(Pair("internal", 1), Pair("unavailable", 1),
                                   Pair("deadline_exceeded", 1)));
}

TEST_F(MeteredPoolTest, CountsErrorRepliesInsideASuccessfulPipeline) {
  inner_->pipeline_answer = std::vector<RedisReply>{
      Reply(RedisReply::Type::kStatus, "OK"),
      Reply(RedisReply::Type::kError, "ERR unknown command"),
      Reply(RedisReply::Type::kError, "WRONGTYPE Operation")};
  auto replies = pool_->Pipeline({{"SET", "k", "v"}, {"NOPE"}, {"INCR", "k"}});
  ASSERT_THAT(replies, IsOk());
  ASSERT_EQ(replies->size(), 3u);
  EXPECT_EQ((*replies)[1].str, "ERR unknown command");
  EXPECT_EQ(inner_->seen.size(), 3u);
  EXPECT_EQ(Calls(), 1u);
  EXPECT_THAT(Errors(), UnorderedElementsAre(Pair("error_reply", 2)));

  // A failed pipeline counts once, by its code, and has no replies to count.
  inner_->pipeline_answer = absl::UnavailableError("redis: connection reset");
  EXPECT_THAT(pool_->Pipeline({{"GET", "k"}}),
              StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_EQ(Calls(), 2u);
  EXPECT_THAT(Errors(), UnorderedElementsAre(Pair("error_reply", 2),
                                             Pair("unavailable", 1)));
}

}  // namespace
}  // namespace ttads::store
