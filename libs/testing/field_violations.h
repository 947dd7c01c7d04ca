#ifndef TTADS_LIBS_TESTING_FIELD_VIOLATIONS_H_
#define TTADS_LIBS_TESTING_FIELD_VIOLATIONS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "google/rpc/error_details.pb.h"
#include "libs/status/status.h"

namespace ttads::testing {

// The field named by the first google.rpc.BadRequest field violation that
// `status` (or a StatusOr's status) carries, or "" when it carries none.
// Header-only: a test that includes it links ttads_status (status::GetDetail).
//
//   EXPECT_EQ(FirstViolatedField(validator.Check(req)), "ad_text");
inline std::string FirstViolatedField(const absl::Status& status) {
  google::rpc::BadRequest bad_request;
  if (!status::GetDetail(status, &bad_request) ||
      bad_request.field_violations().empty()) {
    return "";
  }
  return bad_request.field_violations(0).field();
}
template <typename T>
std::string FirstViolatedField(const absl::StatusOr<T>& status_or) {
  return FirstViolatedField(status_or.status());
}

}  // namespace ttads::testing

#endif  // TTADS_LIBS_TESTING_FIELD_VIOLATIONS_H_
