// RunOnce against a private redis-server: apply once, replay, wait, take
// over and reconcile.
#include "libs/idempotency/run_once.h"

#include <atomic>
#include <thread>
#include <vector>

#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "google/protobuf/wrappers.pb.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "libs/status/status.h"
#include "libs/status/status_macros.h"
#include "libs/testing/private_redis.h"
#include "libs/testing/status_matchers.h"

namespace ttads::idempotency {
namespace {

using ::google::protobuf::StringValue;
using ::testing::HasSubstr;
using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

class RunOnceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto redis = testing::PrivateRedis::Start();
    ASSERT_THAT(redis, IsOk());
    redis_ = redis->release();
    pool_ = redis_->pool();
  }
  static void TearDownTestSuite() {
    delete redis_;
    redis_ = nullptr;
    pool_ = nullptr;
  }

  void SetUp() override {
    static std::atomic<int> n{0};
    key_ = {"tm_run", "test.Create", "run-" + std::to_string(++n)};
  }

  // An operation that "creates" object <n> and counts how often it ran.
  Operation Creating(std::atomic<int>* applied,
                     absl::Duration work = absl::ZeroDuration()) {
    return {.apply = [applied, work](Attempt& attempt,
                                     google::protobuf::Message* out) {
      const int n = ++*applied;
      absl::SleepFor(work);
      static_cast<StringValue*>(out)->set_value("object-" + std::to_string(n));
      return absl::OkStatus();
    }};
  }

  absl::Status Run(const Operation& op, StringValue* out,
                   std::string_view digest = "d1", RunResult* r = nullptr) {
    return RunOnce(&store_, key_, digest, absl::Now() + absl::Seconds(10), out,
                   op, r);
  }

  static testing::PrivateRedis* redis_;
  static store::RedisPool* pool_;  // redis_'s
  IdempotencyStore store_{pool_};
  Key key_;
};
testing::PrivateRedis* RunOnceTest::redis_ = nullptr;
store::RedisPool* RunOnceTest::pool_ = nullptr;

TEST_F(RunOnceTest, SameRequestTwiceAppliesOnceAndReplaysTheAnswer) {
  std::atomic<int> applied{0};
  StringValue a, b;
  RunResult first, second;
  ASSERT_THAT(Run(Creating(&applied), &a, "d1", &first), IsOk());
  ASSERT_THAT(Run(Creating(&applied), &b, "d1", &second), IsOk());
  EXPECT_EQ(applied.load(), 1);
  EXPECT_EQ(a.value(), "object-1");
  EXPECT_EQ(b.SerializeAsString(), a.SerializeAsString());
  EXPECT_FALSE(first.replayed);
  EXPECT_TRUE(second.replayed);
  EXPECT_FALSE(second.applied);
}

TEST_F(RunOnceTest, ConcurrentDuplicatesApplyOnceAndGetOneAnswer) {
  std::atomic<int> applied{0};
  constexpr int kCalls = 6;
  std::vector<StringValue> out(kCalls);
  std::vector<absl::Status> status(kCalls);
  std::vector<std::thread> threads;
  for (int i = 0; i < kCalls; ++i) {
    threads.emplace_back([&, i] {
      status[i] = Run(Creating(&applied, absl::Milliseconds(200)), &out[i]);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(applied.load(), 1);
  for (int i = 0; i < kCalls; ++i) {
    EXPECT_THAT(status[i], IsOk());
    EXPECT_EQ(out[i].value(), "object-1");
  }
}

TEST_F(RunOnceTest, DifferentRequestUnderTheKeyIsRefused) {
  std::atomic<int> applied{0};
  StringValue a, b;
  ASSERT_THAT(Run(Creating(&applied), &a, "d1"), IsOk());
  EXPECT_THAT(
      Run(Creating(&applied), &b, "d2"),
      StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr(key_.request_id)));
  EXPECT_EQ(applied.load(), 1);
}

TEST_F(RunOnceTest, WithoutRequestIdEveryCallApplies) {
  std::atomic<int> applied{0};
  key_.request_id.clear();
  StringValue a, b;
  ASSERT_THAT(Run(Creating(&applied), &a), IsOk());
  ASSERT_THAT(Run(Creating(&applied), &b), IsOk());
  EXPECT_EQ(applied.load(), 2);
}

TEST_F(RunOnceTest, OverlongRequestIdIsInvalidArgument) {
  std::atomic<int> applied{0};
  key_.request_id = std::string(129, 'x');
  StringValue a;
  absl::Status s = Run(Creating(&applied), &a);
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument));
  google::rpc::BadRequest bad;
  ASSERT_TRUE(status::GetDetail(s, &bad));
  EXPECT_EQ(bad.field_violations(0).field(), "request_id");
  EXPECT_EQ(applied.load(), 0);
}

TEST_F(RunOnceTest, FinalErrorIsStoredAndReplayed) {
  std::atomic<int> applied{0};
  Operation failing{.apply = [&](Attempt&, google::protobuf::Message*) {
    ++applied;
    return status::WithErrorInfo(
        absl::FailedPreconditionError("the advertiser is not connected"),
        "ADVERTISER_NOT_CONNECTED");
  }};
  StringValue a, b;
  EXPECT_THAT(Run(failing, &a),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  RunResult r;
  absl::Status again = Run(failing, &b, "d1", &r);
  EXPECT_THAT(again, StatusIs(absl::StatusCode::kFailedPrecondition,
                              "the advertiser is not connected"));
  google::rpc::ErrorInfo info;
  ASSERT_TRUE(status::GetDetail(again, &info));
  EXPECT_EQ(info.reason(), "ADVERTISER_NOT_CONNECTED");
  EXPECT_TRUE(r.replayed);
  EXPECT_EQ(applied.load(), 1);
}

TEST_F(RunOnceTest, RetryableErrorWithoutIntentGivesTheKeyBack) {
  std::atomic<int> applied{0};
  Operation flaky{.apply = [&](Attempt&, google::protobuf::Message* out) {
    if (++applied == 1) return absl::UnavailableError("TikTok is down");
    static_cast<StringValue*>(out)->set_value("created");
    return absl::OkStatus();
  }};
  StringValue a, b;
  EXPECT_THAT(Run(flaky, &a), StatusIs(absl::StatusCode::kUnavailable));
  ASSERT_THAT(Run(flaky, &b), IsOk());
  EXPECT_EQ(b.value(), "created");
  EXPECT_EQ(applied.load(), 2);
}

TEST_F(RunOnceTest, DefiniteFailureAfterIntentGivesTheKeyBack) {
  std::atomic<int> applied{0};
  std::vector<std::string> earlier;
  Operation op{.apply = [&](Attempt& attempt,
                            google::protobuf::Message* out) -> absl::Status {
    earlier.push_back(attempt.earlier_intent());
    TTADS_RETURN_IF_ERROR(attempt.SaveIntent("marker-1"));
    if (++applied == 1) {
      attempt.WroteNothing();  // refused before anything was applied
      return absl::UnavailableError("connection refused");
    }
    static_cast<StringValue*>(out)->set_value("created");
    return absl::OkStatus();
  }};
  StringValue a, b;
  EXPECT_THAT(Run(op, &a), StatusIs(absl::StatusCode::kUnavailable));
  RunResult r;
  ASSERT_THAT(Run(op, &b, "d1", &r), IsOk());
  EXPECT_EQ(b.value(), "created");
  // The retry was a fresh claim: no earlier intent to reconcile.
  EXPECT_THAT(earlier, ::testing::ElementsAre("", ""));
  EXPECT_EQ(applied.load(), 2);
}

TEST_F(RunOnceTest, AmbiguousFailureAfterIntentIsReconciledNotReapplied) {
  std::atomic<int> applied{0};
  std::string upstream;  // what "TikTok" holds
  std::vector<std::string> reconciled_with;
  Operation op{
      .apply = [&](Attempt& attempt,
                   google::protobuf::Message*) -> absl::Status {
        ++applied;
        TTADS_RETURN_IF_ERROR(attempt.SaveIntent("marker-1"));
        upstream = "object for marker-1";  // applied upstream...
        return absl::DeadlineExceededError("...but the answer was lost");
      },
      .reconcile = [&](std::string_view intent,
                       google::protobuf::Message* out) -> absl::StatusOr<bool> {
        reconciled_with.emplace_back(intent);
        if (upstream.empty()) return false;
        static_cast<StringValue*>(out)->set_value(upstream);
        return true;
      }};
  StringValue a, b, c;
  EXPECT_THAT(Run(op, &a), StatusIs(absl::StatusCode::kDeadlineExceeded));
  RunResult r;
  ASSERT_THAT(Run(op, &b, "d1", &r), IsOk());
  EXPECT_TRUE(r.reconciled);
  EXPECT_FALSE(r.applied);
  EXPECT_EQ(b.value(), "object for marker-1");
  EXPECT_EQ(reconciled_with, std::vector<std::string>{"marker-1"});
  // And the reconciled answer is what later calls get.
  ASSERT_THAT(Run(op, &c), IsOk());
  EXPECT_EQ(c.value(), b.value());
  EXPECT_EQ(applied.load(), 1);
}

TEST_F(RunOnceTest, KilledOwnerIsTakenOverAfterItsLease) {
  StoreOptions o;
  o.max_lease = absl::Milliseconds(300);
  o.lease_grace = absl::ZeroDuration();
  IdempotencyStore short_lease(pool_, o);
  // A replica claims the key, records its intent and is killed.
  auto dead = short_lease.Begin(key_, "d1", absl::Now() + absl::Seconds(10));
  ASSERT_THAT(dead, IsOk());
  ASSERT_THAT(short_lease.SaveIntent(key_, dead->owner, "aud_fixed"), IsOk());

  std::atomic<int> applied{0};
  std::string earlier;
  Operation op{
      .apply = [&](Attempt& attempt,
                   google::protobuf::Message* out) -> absl::Status {
        ++applied;
        earlier = attempt.earlier_intent();
        static_cast<StringValue*>(out)->set_value("created " + earlier);
        return absl::OkStatus();
      },
      .reconcile = [&](std::string_view intent,
                       google::protobuf::Message*) -> absl::StatusOr<bool> {
        return false;  // the dead owner had not written yet
      }};
  StringValue out;
  ASSERT_THAT(RunOnce(&short_lease, key_, "d1", absl::Now() + absl::Seconds(10),
                      &out, op),
              IsOk());
  EXPECT_EQ(applied.load(), 1);
  // The new owner re-applies under the dead owner's id, never a new one.
  EXPECT_EQ(earlier, "aud_fixed");
  EXPECT_EQ(out.value(), "created aud_fixed");
}

TEST_F(RunOnceTest, ReconcileThatCannotTellLeavesTheKeyUnresolved) {
  std::atomic<int> applied{0};
  int lookups = 0;
  Operation op{
      .apply = [&](Attempt& attempt,
                   google::protobuf::Message*) -> absl::Status {
        ++applied;
        (void)attempt.SaveIntent("m");
        return absl::UnavailableError("lost");
      },
      .reconcile = [&](std::string_view,
                       google::protobuf::Message*) -> absl::StatusOr<bool> {
        ++lookups;
        return absl::UnavailableError("lookup failed");
      }};
  StringValue a, b, c;
  EXPECT_THAT(Run(op, &a), StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(Run(op, &b), StatusIs(absl::StatusCode::kUnavailable,
                                    HasSubstr("could not be checked")));
  EXPECT_THAT(Run(op, &c), StatusIs(absl::StatusCode::kUnavailable,
                                    HasSubstr("could not be checked")));
  EXPECT_EQ(applied.load(), 1);  // never re-applied blind
  EXPECT_EQ(lookups, 2);
}

// The async form, as CreateAd needs it: the write is answered on another
// thread; an ambiguous answer after the intent is reconciled by the retry.
TEST_F(RunOnceTest, AsyncWriteAnsweredLaterIsRecordedAndReconciled) {
  std::atomic<int> sent{0};
  std::string upstream;
  AsyncOperation op{
      .apply =
          [&](std::shared_ptr<Attempt> attempt, google::protobuf::Message* out,
              std::function<void(absl::Status)> applied) {
            if (absl::Status s = attempt->SaveIntent("marker-9"); !s.ok()) {
              return applied(s);
            }
            const int n = ++sent;
            std::thread([&, n, out, applied = std::move(applied)] {
              upstream = "ad-" + std::to_string(n);
              if (n == 1) {
                return applied(absl::UnavailableError("answer lost"));
              }
              static_cast<StringValue*>(out)->set_value(upstream);
              applied(absl::OkStatus());
            }).detach();
          },
      .reconcile = [&](std::string_view intent,
                       google::protobuf::Message* out) -> absl::StatusOr<bool> {
        if (intent != "marker-9" || upstream.empty()) return false;
        static_cast<StringValue*>(out)->set_value(upstream);
        return true;
      }};
  auto run = [&](StringValue* out, RunResult* r) {
    absl::Notification done;
    absl::Status status;
    RunOnceAsync(&store_, key_, "d1", absl::Now() + absl::Seconds(10), out, op,
                 [&](absl::Status s, RunResult result) {
                   status = std::move(s);
                   *r = result;
                   done.Notify();
                 });
    done.WaitForNotification();
    return status;
  };
  StringValue a, b, c;
  RunResult ra, rb, rc;
  EXPECT_THAT(run(&a, &ra), StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_TRUE(ra.applied);
  ASSERT_THAT(run(&b, &rb), IsOk());
  EXPECT_TRUE(rb.reconciled);
  EXPECT_EQ(b.value(), "ad-1");
  ASSERT_THAT(run(&c, &rc), IsOk());
  EXPECT_TRUE(rc.replayed);
  EXPECT_EQ(c.value(), "ad-1");
  EXPECT_EQ(sent.load(), 1);
}

}  // namespace
}  // namespace ttads::idempotency
