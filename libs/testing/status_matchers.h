#ifndef TTADS_LIBS_TESTING_STATUS_MATCHERS_H_
#define TTADS_LIBS_TESTING_STATUS_MATCHERS_H_

#include <ostream>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"

// gMock matchers for absl::Status and absl::StatusOr<T> (abseil's own
// status_matchers.h is newer than Debian 12's abseil).
//
//   EXPECT_THAT(manager.Create(req), IsOk());
//   EXPECT_THAT(manager.Create(bad),
//               StatusIs(absl::StatusCode::kInvalidArgument,
//                        testing::HasSubstr("display_name")));
//   EXPECT_THAT(store.Find(id), IsOkAndHolds(testing::Field(&Account::id,
//   id)));
namespace ttads::testing {

namespace internal {
inline const absl::Status& GetStatus(const absl::Status& status) {
  return status;
}
template <typename T>
const absl::Status& GetStatus(const absl::StatusOr<T>& status_or) {
  return status_or.status();
}
}  // namespace internal

MATCHER(IsOk, "is OK") {
  const absl::Status& status = internal::GetStatus(arg);
  if (!status.ok()) *result_listener << "status is " << status;
  return status.ok();
}

MATCHER_P(StatusIs, code,
          std::string("has code ") + absl::StatusCodeToString(code)) {
  const absl::Status& status = internal::GetStatus(arg);
  *result_listener << "status is " << status;
  return status.code() == code;
}

MATCHER_P2(StatusIs, code, message_matcher,
           std::string("has code ") + absl::StatusCodeToString(code) +
               " and a message that " +
               ::testing::DescribeMatcher<std::string>(message_matcher)) {
  const absl::Status& status = internal::GetStatus(arg);
  *result_listener << "status is " << status;
  return status.code() == code &&
         ::testing::ExplainMatchResult(
             message_matcher, std::string(status.message()), result_listener);
}

MATCHER_P(IsOkAndHolds, value_matcher,
          "is OK and holds a value that " +
              ::testing::DescribeMatcher<
                  typename std::remove_reference_t<arg_type>::value_type>(
                  value_matcher)) {
  if (!arg.ok()) {
    *result_listener << "status is " << arg.status();
    return false;
  }
  return ::testing::ExplainMatchResult(value_matcher, *arg, result_listener);
}

}  // namespace ttads::testing

#endif  // TTADS_LIBS_TESTING_STATUS_MATCHERS_H_
