#include "libs/status/grpc_status.h"

#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "libs/status/status.h"
#include "libs/testing/grpc_status_matchers.h"
#include "libs/testing/status_matchers.h"

namespace ttads::status {
namespace {

using ::ttads::testing::GrpcIsOk;
using ::ttads::testing::GrpcStatusIs;
using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

TEST(GrpcStatusTest, InvalidArgumentCarriesFieldViolations) {
  absl::Status s =
      InvalidArgument("display_name is too long",
                      {{"display_name", "must be 1-40 characters, got 41"}});
  grpc::Status g = ToGrpcStatus(s);
  EXPECT_THAT(g, GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT,
                              "display_name is too long"));

  google::rpc::Status rpc;
  ASSERT_TRUE(rpc.ParseFromString(g.error_details()));
  EXPECT_EQ(rpc.code(), 3);
  google::rpc::BadRequest bad;
  google::rpc::ErrorInfo info;
  for (const auto& any : rpc.details()) {
    if (any.Is<google::rpc::BadRequest>()) any.UnpackTo(&bad);
    if (any.Is<google::rpc::ErrorInfo>()) any.UnpackTo(&info);
  }
  ASSERT_EQ(bad.field_violations_size(), 1);
  EXPECT_EQ(bad.field_violations(0).field(), "display_name");
  EXPECT_EQ(info.reason(), "INVALID_ARGUMENT");
  EXPECT_EQ(info.domain(), "ttads");
}

TEST(GrpcStatusTest, PlainErrorGetsErrorInfoFromCode) {
  grpc::Status g = ToGrpcStatus(absl::NotFoundError("no such account"));
  google::rpc::Status rpc;
  ASSERT_TRUE(rpc.ParseFromString(g.error_details()));
  ASSERT_EQ(rpc.details_size(), 1);
  google::rpc::ErrorInfo info;
  ASSERT_TRUE(rpc.details(0).UnpackTo(&info));
  EXPECT_EQ(info.reason(), "NOT_FOUND");
}

TEST(GrpcStatusTest, RoundTripKeepsDetails) {
  absl::Status s = WithRetryInfo(
      WithErrorInfo(absl::ResourceExhaustedError("throttled"),
                    "TIKTOK_THROTTLED", {{"tiktok_code", "40100"}}),
      absl::Milliseconds(1500));
  absl::Status back = FromGrpcStatus(ToGrpcStatus(s));
  EXPECT_THAT(back, StatusIs(absl::StatusCode::kResourceExhausted));
  EXPECT_EQ(ReasonOf(back), "TIKTOK_THROTTLED");
  google::rpc::RetryInfo retry;
  ASSERT_TRUE(GetDetail(back, &retry));
  EXPECT_EQ(retry.retry_delay().seconds(), 1);
  EXPECT_EQ(retry.retry_delay().nanos(), 500000000);
  google::rpc::ErrorInfo info;
  ASSERT_TRUE(GetDetail(back, &info));
  EXPECT_EQ(info.metadata().at("tiktok_code"), "40100");
}

TEST(GrpcStatusTest, OkMapsToOk) {
  EXPECT_THAT(ToGrpcStatus(absl::OkStatus()), GrpcIsOk());
  EXPECT_THAT(FromGrpcStatus(grpc::Status::OK), IsOk());
}

TEST(GrpcStatusTest, QuotaFailureIsResourceExhausted) {
  absl::Status s = QuotaExceeded("monthly limit reached", "team:t1",
                                 "150/150 calls on plus tier");
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kResourceExhausted));
  google::rpc::QuotaFailure q;
  ASSERT_TRUE(GetDetail(s, &q));
  EXPECT_EQ(q.violations(0).subject(), "team:t1");
  EXPECT_EQ(ReasonOf(s), "QUOTA_EXCEEDED");
}

}  // namespace
}  // namespace ttads::status
