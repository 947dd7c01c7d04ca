#ifndef TTADS_LIBS_TESTING_GRPC_STATUS_MATCHERS_H_
#define TTADS_LIBS_TESTING_GRPC_STATUS_MATCHERS_H_

#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "grpcpp/support/status.h"

// gMock matchers for grpc::Status, the answer of a generated stub's call;
// the grpc::Status twins of IsOk and StatusIs in status_matchers.h.
//
//   EXPECT_THAT(stub->ListAccounts(&ctx, req, &resp), GrpcIsOk());
//   EXPECT_THAT(stub->GetAccount(&ctx, req, &resp),
//               GrpcStatusIs(grpc::StatusCode::NOT_FOUND));
//   EXPECT_THAT(status, GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
//                                    testing::HasSubstr("display_name")));
//
// A failed match prints the status's code name and message, and so does
// gtest wherever it prints a grpc::Status (PrintTo below), e.g. as the
// "Actual:" of a failed EXPECT_THAT.
namespace ttads::testing {

namespace internal {
// The name of a gRPC code ("NOT_FOUND"): gRPC's codes are abseil's, number
// for number.
inline std::string GrpcCodeName(grpc::StatusCode code) {
  return absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
}
inline std::string DescribeGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return "OK";
  return GrpcCodeName(status.error_code()) + ": " + status.error_message();
}
}  // namespace internal

MATCHER(GrpcIsOk, "is an OK grpc::Status") {
  const grpc::Status& status = arg;
  if (!status.ok()) {
    *result_listener << "status is " << internal::DescribeGrpcStatus(status);
  }
  return status.ok();
}

MATCHER_P(GrpcStatusIs, code,
          "is a grpc::Status with code " + internal::GrpcCodeName(code)) {
  const grpc::Status& status = arg;
  *result_listener << "status is " << internal::DescribeGrpcStatus(status);
  return status.error_code() == code;
}

MATCHER_P2(GrpcStatusIs, code, message_matcher,
           "is a grpc::Status with code " + internal::GrpcCodeName(code) +
               " and a message that " +
               ::testing::DescribeMatcher<std::string>(message_matcher)) {
  const grpc::Status& status = arg;
  *result_listener << "status is " << internal::DescribeGrpcStatus(status);
  return status.error_code() == code &&
         ::testing::ExplainMatchResult(message_matcher, status.error_message(),
                                       result_listener);
}

}  // namespace ttads::testing

namespace grpc {

// How gtest prints a grpc::Status (found by argument-dependent lookup, hence
// in grpc's namespace): "OK", or the code's name and the message
// ("NOT_FOUND: no such account"), followed by the size of the error details
// when there are any ("[error details: 42 bytes]"; google.rpc.Status bytes,
// not printed).
inline void PrintTo(const Status& status, std::ostream* os) {
  *os << ::ttads::testing::internal::DescribeGrpcStatus(status);
  if (!status.error_details().empty()) {
    *os << " [error details: " << status.error_details().size() << " bytes]";
  }
}

}  // namespace grpc

#endif  // TTADS_LIBS_TESTING_GRPC_STATUS_MATCHERS_H_
