#include "services/gateway/error_mapping.h"

#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "libs/status/grpc_status.h"
#include "libs/status/status.h"

namespace ttads::gateway {
namespace {

TEST(ErrorMappingTest, CodeTable) {
  using C = grpc::StatusCode;
  EXPECT_EQ(HttpStatusFromGrpc(C::INVALID_ARGUMENT), 400);
  EXPECT_EQ(HttpStatusFromGrpc(C::FAILED_PRECONDITION), 400);
  EXPECT_EQ(HttpStatusFromGrpc(C::OUT_OF_RANGE), 400);
  EXPECT_EQ(HttpStatusFromGrpc(C::UNAUTHENTICATED), 401);
  EXPECT_EQ(HttpStatusFromGrpc(C::PERMISSION_DENIED), 403);
  EXPECT_EQ(HttpStatusFromGrpc(C::NOT_FOUND), 404);
  EXPECT_EQ(HttpStatusFromGrpc(C::ALREADY_EXISTS), 409);
  EXPECT_EQ(HttpStatusFromGrpc(C::ABORTED), 409);
  EXPECT_EQ(HttpStatusFromGrpc(C::RESOURCE_EXHAUSTED), 429);
  EXPECT_EQ(HttpStatusFromGrpc(C::CANCELLED), 499);
  EXPECT_EQ(HttpStatusFromGrpc(C::UNIMPLEMENTED), 501);
  EXPECT_EQ(HttpStatusFromGrpc(C::UNAVAILABLE), 503);
  EXPECT_EQ(HttpStatusFromGrpc(C::DEADLINE_EXCEEDED), 504);
  EXPECT_EQ(HttpStatusFromGrpc(C::INTERNAL), 500);
  EXPECT_EQ(HttpStatusFromGrpc(C::DATA_LOSS), 500);
  EXPECT_EQ(HttpStatusFromGrpc(C::UNKNOWN), 500);
}

TEST(ErrorMappingTest, FieldViolationsAreReadable) {
  absl::Status s = status::InvalidArgument(
      "display name too long", {{"display_name", "1-40 characters"}});
  HttpError e = ErrorFromGrpc(status::ToGrpcStatus(s));
  EXPECT_EQ(e.status, 400);
  EXPECT_EQ(e.body["error"], "display name too long");
  EXPECT_EQ(e.body["code"], "INVALID_ARGUMENT");
  bool found = false;
  for (const auto& d : e.body["details"]) {
    if (d["@type"] == "type.googleapis.com/google.rpc.BadRequest") {
      EXPECT_EQ(d["fieldViolations"][0]["field"], "display_name");
      EXPECT_EQ(d["fieldViolations"][0]["description"], "1-40 characters");
      found = true;
    }
  }
  EXPECT_TRUE(found) << e.body.dump();
}

TEST(ErrorMappingTest, RetryInfoBecomesRetryAfter) {
  absl::Status s = status::WithRetryInfo(
      absl::ResourceExhaustedError("slow down"), absl::Milliseconds(2500));
  HttpError e = ErrorFromGrpc(status::ToGrpcStatus(s));
  EXPECT_EQ(e.status, 429);
  ASSERT_EQ(e.headers.size(), 1u);
  EXPECT_EQ(e.headers[0].first, "Retry-After");
  EXPECT_EQ(e.headers[0].second, "3");
}

TEST(ErrorMappingTest, SizeIs413AndThrottlingOrQuota429) {
  // gRPC's own size refusal.
  EXPECT_EQ(ErrorFromGrpc(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                                       "Received message larger than max "
                                       "(5000000 vs. 4194304)"))
                .status,
            413);
  // A field (or the body) named as too large.
  HttpError e = ErrorFromAbsl(status::WithFieldViolations(
      absl::ResourceExhaustedError("too big"), {{"body", "over 4 MiB"}}));
  EXPECT_EQ(e.status, 413);
  EXPECT_EQ(e.body["code"], "RESOURCE_EXHAUSTED");
  // Throttling and quota stay 429.
  EXPECT_EQ(ErrorFromAbsl(
                status::WithRetryInfo(absl::ResourceExhaustedError("slow down"),
                                      absl::Seconds(1)))
                .status,
            429);
  EXPECT_EQ(
      ErrorFromAbsl(status::QuotaExceeded("used up", "team:1", "month")).status,
      429);
  EXPECT_EQ(ErrorFromAbsl(absl::ResourceExhaustedError("busy")).status, 429);
}

TEST(ErrorMappingTest, PlainStatusHasEmptyDetails) {
  HttpError e =
      ErrorFromGrpc(grpc::Status(grpc::StatusCode::UNAVAILABLE, "down"));
  EXPECT_EQ(e.status, 503);
  EXPECT_EQ(e.body.dump(),
            R"({"code":"UNAVAILABLE","details":[],"error":"down"})");
}

TEST(ErrorMappingTest, UnavailableWithoutRetryInfoStillSaysRetryAfter) {
  HttpError e = ErrorFromGrpc(
      grpc::Status(grpc::StatusCode::UNAVAILABLE, "failed to connect"));
  ASSERT_EQ(e.headers.size(), 1u);
  EXPECT_EQ(e.headers[0].first, "Retry-After");
  EXPECT_EQ(e.headers[0].second, "1");
  // Other errors without RetryInfo carry no Retry-After.
  EXPECT_TRUE(ErrorFromGrpc(grpc::Status(grpc::StatusCode::INTERNAL, "x"))
                  .headers.empty());
}

}  // namespace
}  // namespace ttads::gateway
