#include "libs/status/status_macros.h"

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "libs/status/status.h"
#include "libs/testing/status_matchers.h"

namespace ttads::status {
namespace {

using ::testing::HasSubstr;
using ::ttads::testing::IsOk;
using ::ttads::testing::IsOkAndHolds;
using ::ttads::testing::StatusIs;

absl::StatusOr<int> ParsePositive(int value) {
  if (value <= 0) {
    return InvalidArgument("value must be positive",
                           {{"value", "must be > 0"}});
  }
  return value;
}

absl::Status Check(int value, int* calls) {
  ++*calls;
  if (value < 0) return absl::NotFoundError("negative");
  return absl::OkStatus();
}

absl::Status CheckTwice(int value, int* calls) {
  TTADS_RETURN_IF_ERROR(Check(value, calls));
  TTADS_RETURN_IF_ERROR(Check(value + 1, calls));
  return absl::OkStatus();
}

absl::StatusOr<int> Doubled(int value) {
  TTADS_ASSIGN_OR_RETURN(int parsed, ParsePositive(value));
  return parsed * 2;
}

absl::StatusOr<std::string> Describe(int value) {
  int total = 0;
  TTADS_ASSIGN_OR_RETURN(total, ParsePositive(value));
  TTADS_ASSIGN_OR_RETURN(int again, ParsePositive(total));  // same line twice
  TTADS_RETURN_IF_ERROR(ParsePositive(again));
  return std::to_string(total + again);
}

TEST(StatusMacrosTest, ReturnIfErrorStopsAtTheFirstErrorAndEvaluatesOnce) {
  int calls = 0;
  EXPECT_THAT(CheckTwice(1, &calls), IsOk());
  EXPECT_EQ(calls, 2);
  calls = 0;
  EXPECT_THAT(CheckTwice(-5, &calls),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("negative")));
  EXPECT_EQ(calls, 1);
}

TEST(StatusMacrosTest, AssignOrReturnDeclaresOrAssignsAndKeepsDetails) {
  EXPECT_THAT(Doubled(21), IsOkAndHolds(42));
  EXPECT_THAT(Describe(3), IsOkAndHolds(std::string("6")));
  absl::StatusOr<int> failed = Doubled(-1);
  EXPECT_THAT(failed, StatusIs(absl::StatusCode::kInvalidArgument));
  google::rpc::BadRequest bad_request;
  ASSERT_TRUE(GetDetail(failed.status(), &bad_request));
  ASSERT_EQ(bad_request.field_violations_size(), 1);
  EXPECT_EQ(bad_request.field_violations(0).field(), "value");
}

TEST(StatusMatchersTest, MatchersExplainMismatches) {
  EXPECT_THAT(absl::InternalError("boom"),
              ::testing::Not(StatusIs(absl::StatusCode::kNotFound)));
  EXPECT_THAT(absl::StatusOr<int>(absl::UnavailableError("down")),
              ::testing::Not(IsOkAndHolds(1)));
  EXPECT_THAT(absl::StatusOr<int>(2), ::testing::Not(IsOkAndHolds(1)));
  EXPECT_THAT(absl::OkStatus(),
              ::testing::Not(StatusIs(absl::StatusCode::kInternal)));
}

}  // namespace
}  // namespace ttads::status
