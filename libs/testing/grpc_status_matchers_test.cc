#include "libs/testing/grpc_status_matchers.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest-spi.h"
#include "gtest/gtest.h"

namespace ttads::testing {
namespace {

using ::testing::DescribeMatcher;
using ::testing::HasSubstr;
using ::testing::Matcher;
using ::testing::Not;
using ::testing::PrintToString;
using ::testing::StringMatchResultListener;

// What the matcher says about `status` when it does not match.
template <typename M>
std::string Explain(const M& matcher, const grpc::Status& status) {
  StringMatchResultListener listener;
  Matcher<const grpc::Status&>(matcher).MatchAndExplain(status, &listener);
  return listener.str();
}

const grpc::Status kNotFound(grpc::StatusCode::NOT_FOUND, "no such account");

TEST(GrpcIsOkTest, MatchesOnlyOk) {
  EXPECT_THAT(grpc::Status::OK, GrpcIsOk());
  EXPECT_THAT(kNotFound, Not(GrpcIsOk()));
  EXPECT_THAT(grpc::Status::CANCELLED, Not(GrpcIsOk()));
}

TEST(GrpcIsOkTest, ExplainsAFailureWithCodeAndMessage) {
  EXPECT_EQ(Explain(GrpcIsOk(), kNotFound),
            "status is NOT_FOUND: no such account");
  EXPECT_EQ(DescribeMatcher<const grpc::Status&>(GrpcIsOk()),
            "is an OK grpc::Status");
}

TEST(GrpcStatusIsTest, MatchesTheCode) {
  EXPECT_THAT(kNotFound, GrpcStatusIs(grpc::StatusCode::NOT_FOUND));
  EXPECT_THAT(kNotFound, Not(GrpcStatusIs(grpc::StatusCode::INTERNAL)));
  EXPECT_THAT(grpc::Status::OK, GrpcStatusIs(grpc::StatusCode::OK));
  EXPECT_THAT(grpc::Status::OK, Not(GrpcStatusIs(grpc::StatusCode::UNKNOWN)));
}

TEST(GrpcStatusIsTest, MatchesCodeAndMessage) {
  EXPECT_THAT(kNotFound,
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("account")));
  EXPECT_THAT(kNotFound, Not(GrpcStatusIs(grpc::StatusCode::NOT_FOUND,
                                          HasSubstr("team"))));
  EXPECT_THAT(kNotFound, Not(GrpcStatusIs(grpc::StatusCode::INTERNAL,
                                          HasSubstr("account"))));
}

TEST(GrpcStatusIsTest, DescribesAndExplains) {
  EXPECT_EQ(DescribeMatcher<const grpc::Status&>(
                GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED)),
            "is a grpc::Status with code PERMISSION_DENIED");
  EXPECT_THAT(
      DescribeMatcher<const grpc::Status&>(
          GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("account"))),
      HasSubstr("is a grpc::Status with code NOT_FOUND and a message that"));
  EXPECT_EQ(Explain(GrpcStatusIs(grpc::StatusCode::INTERNAL), kNotFound),
            "status is NOT_FOUND: no such account");
  EXPECT_EQ(Explain(GrpcStatusIs(grpc::StatusCode::INTERNAL), grpc::Status()),
            "status is OK");
}

TEST(GrpcStatusPrintTest, PrintsCodeNameMessageAndDetailsPresence) {
  EXPECT_EQ(PrintToString(grpc::Status::OK), "OK");
  EXPECT_EQ(PrintToString(kNotFound), "NOT_FOUND: no such account");
  EXPECT_EQ(PrintToString(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                                       "bad name", std::string(42, 'x'))),
            "INVALID_ARGUMENT: bad name [error details: 42 bytes]");
}

// A failed assert shows the status in words, not as bytes.
TEST(GrpcStatusPrintTest, AFailedAssertPrintsTheStatus) {
  EXPECT_NONFATAL_FAILURE(EXPECT_THAT(kNotFound, GrpcIsOk()),
                          "Actual: NOT_FOUND: no such account");
}

}  // namespace
}  // namespace ttads::testing
