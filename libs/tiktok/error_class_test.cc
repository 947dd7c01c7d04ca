#include "libs/tiktok/error_class.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/testing/status_matchers.h"

namespace ttads::tiktok {
namespace {

using absl::StatusCode;
using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

const absl::Time kNow = absl::FromUnixMillis(1'700'000'000'300);  // .300 s

struct Row {
  int code;
  StatusCode status_code;
  bool retryable;
};

TEST(ClassifyCodeTest, FollowsTheTable) {
  const Row rows[] = {
      {40000, StatusCode::kInvalidArgument, false},
      {40001, StatusCode::kPermissionDenied, false},
      {40002, StatusCode::kInvalidArgument, false},
      {40007, StatusCode::kNotFound, false},
      {40008, StatusCode::kUnimplemented, false},
      {40011, StatusCode::kInvalidArgument, false},
      {40016, StatusCode::kResourceExhausted, true},
      {40050, StatusCode::kAlreadyExists, false},
      {40061, StatusCode::kInvalidArgument, false},
      {40062, StatusCode::kInvalidArgument, false},
      {40100, StatusCode::kResourceExhausted, true},
      {40101, StatusCode::kFailedPrecondition, false},
      {40102, StatusCode::kUnauthenticated, false},
      {40104, StatusCode::kUnauthenticated, false},
      {40105, StatusCode::kUnauthenticated, false},
      {40106, StatusCode::kPermissionDenied, false},
      {40110, StatusCode::kFailedPrecondition, false},
      {40130, StatusCode::kPermissionDenied, false},
      {40132, StatusCode::kResourceExhausted, true},
      {40133, StatusCode::kResourceExhausted, true},
      {40201, StatusCode::kUnavailable, true},
      {40202, StatusCode::kAborted, true},
      {40300, StatusCode::kNotFound, false},
      {40301, StatusCode::kNotFound, false},
      {40502, StatusCode::kResourceExhausted, false},
      {40900, StatusCode::kInvalidArgument, false},
      {40901, StatusCode::kUnavailable, true},
      {40902, StatusCode::kUnavailable, true},
      {40903, StatusCode::kUnavailable, true},
      {40907, StatusCode::kInvalidArgument, false},
      {40911, StatusCode::kAlreadyExists, false},
      {40913, StatusCode::kUnavailable, true},
      {50000, StatusCode::kUnavailable, true},
      {50002, StatusCode::kUnavailable, true},
      {51021, StatusCode::kUnavailable, true},
      {52001, StatusCode::kUnavailable, true},
      {60001, StatusCode::kUnavailable, true},
      {61000, StatusCode::kResourceExhausted, true},
      {49999, StatusCode::kFailedPrecondition, false},
      {12345, StatusCode::kUnknown, false},
  };
  for (const Row& row : rows) {
    CodeClass cls = ClassifyCode(row.code, kNow);
    EXPECT_EQ(cls.status_code, row.status_code) << row.code;
    EXPECT_EQ(cls.retryable, row.retryable) << row.code;
    if (row.retryable) EXPECT_GT(cls.retry_delay, absl::ZeroDuration());
  }
}

TEST(ClassifyCodeTest, AppThrottlingWaitsForTheNextSecond) {
  CodeClass cls = ClassifyCode(40100, kNow);
  absl::Time retry_at = kNow + cls.retry_delay;
  EXPECT_GE(retry_at, absl::FromUnixSeconds(1'700'000'001));
  EXPECT_LT(retry_at, absl::FromUnixMillis(1'700'000'001'200));
}

TEST(ClassifyCodeTest, BlocklistRetriesSlowly) {
  EXPECT_GE(ClassifyCode(61000, kNow).retry_delay, absl::Seconds(30));
}

TEST(StatusFromEnvelopeTest, OkForSuccessAndPartialSuccess) {
  EXPECT_THAT(StatusFromEnvelope({0, "OK", "r", {}}, 200, kNow), IsOk());
  EXPECT_THAT(StatusFromEnvelope({20001, "partial", "r", {}}, 200, kNow),
              IsOk());
}

TEST(StatusFromEnvelopeTest, CarriesTikTokDetails) {
  absl::Status status =
      StatusFromEnvelope({40105, "token revoked", "req-1", {}}, 200, kNow);
  EXPECT_THAT(status, StatusIs(StatusCode::kUnauthenticated));
  EXPECT_TRUE(IsTokenRevoked(status));
  std::optional<TikTokErrorInfo> info = GetTikTokErrorInfo(status);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->code, 40105);
  EXPECT_EQ(info->http_status, 200);
  EXPECT_EQ(info->message, "token revoked");
  EXPECT_EQ(info->request_id, "req-1");
  EXPECT_FALSE(info->retryable);
  EXPECT_FALSE(info->ambiguous);
  EXPECT_THAT(status.message(), ::testing::HasSubstr("req-1"));
}

TEST(ErrorInfoTest, RoundTripsThroughThePayload) {
  TikTokErrorInfo info;
  info.code = 50002;
  info.http_status = 200;
  info.message = "m \"quoted\"";
  info.request_id = "r";
  info.retryable = true;
  info.ambiguous = true;
  info.retry_delay = absl::Milliseconds(750);
  info.attempts = 3;
  absl::Status status = MakeTikTokError(StatusCode::kUnavailable, "x", info);
  std::optional<TikTokErrorInfo> back = GetTikTokErrorInfo(status);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->code, 50002);
  EXPECT_EQ(back->message, "m \"quoted\"");
  EXPECT_TRUE(back->retryable);
  EXPECT_TRUE(back->ambiguous);
  EXPECT_EQ(back->retry_delay, absl::Milliseconds(750));
  EXPECT_EQ(back->attempts, 3);
  EXPECT_TRUE(status.GetPayload(kTikTokErrorInfoTypeUrl).has_value());
}

TEST(ErrorInfoTest, AbsentOnForeignStatuses) {
  EXPECT_FALSE(GetTikTokErrorInfo(absl::InternalError("x")).has_value());
  EXPECT_FALSE(IsRetryable(absl::UnavailableError("x")));
  EXPECT_FALSE(IsAmbiguous(absl::OkStatus()));
}

TEST(ResultFromResponseTest, SuccessReturnsEnvelope) {
  absl::StatusOr<Envelope> result = ResultFromResponse(
      200, R"({"code":0,"message":"OK","data":{"a":1}})", kNow);
  ASSERT_THAT(result, IsOk());
  EXPECT_EQ(result->data["a"], 1);
}

TEST(ResultFromResponseTest, Http200WithErrorCodeIsAnError) {
  absl::StatusOr<Envelope> result = ResultFromResponse(
      200, R"({"code":40002,"message":"bad field","request_id":"q"})", kNow);
  EXPECT_THAT(result, StatusIs(StatusCode::kInvalidArgument));
  EXPECT_EQ(GetTikTokErrorInfo(result.status())->code, 40002);
}

TEST(ResultFromResponseTest, ServerErrorsAreRetryable) {
  absl::StatusOr<Envelope> result = ResultFromResponse(503, "oops", kNow);
  EXPECT_THAT(result, StatusIs(StatusCode::kUnavailable));
  EXPECT_TRUE(IsRetryable(result.status()));
  EXPECT_FALSE(IsAmbiguous(result.status()));
  EXPECT_EQ(GetTikTokErrorInfo(result.status())->http_status, 503);
}

TEST(ResultFromResponseTest, GatewayTimeoutIsAmbiguous) {
  for (int http : {502, 504}) {
    absl::StatusOr<Envelope> result = ResultFromResponse(http, "", kNow);
    EXPECT_THAT(result, StatusIs(StatusCode::kUnavailable));
    EXPECT_TRUE(IsRetryable(result.status()));
    EXPECT_TRUE(IsAmbiguous(result.status())) << http;
  }
}

TEST(ResultFromResponseTest, EnvelopeCodeWinsOverHttpStatus) {
  absl::StatusOr<Envelope> result =
      ResultFromResponse(500, R"({"code":40105,"message":"revoked"})", kNow);
  EXPECT_THAT(result, StatusIs(StatusCode::kUnauthenticated));
}

TEST(ResultFromResponseTest, ClientErrorsWithoutEnvelope) {
  EXPECT_THAT(ResultFromResponse(404, "", kNow),
              StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(ResultFromResponse(401, "", kNow),
              StatusIs(StatusCode::kUnauthenticated));
  EXPECT_THAT(ResultFromResponse(403, "", kNow),
              StatusIs(StatusCode::kPermissionDenied));
  absl::StatusOr<Envelope> throttled = ResultFromResponse(429, "", kNow);
  EXPECT_THAT(throttled, StatusIs(StatusCode::kResourceExhausted));
  EXPECT_TRUE(IsRetryable(throttled.status()));
  EXPECT_FALSE(IsRetryable(ResultFromResponse(400, "", kNow).status()));
}

TEST(ResultFromResponseTest, GarbledSuccessIsAmbiguous) {
  absl::StatusOr<Envelope> result =
      ResultFromResponse(200, "<html>proxy</html>", kNow);
  EXPECT_THAT(result, StatusIs(StatusCode::kUnavailable));
  EXPECT_TRUE(IsAmbiguous(result.status()));
  EXPECT_TRUE(IsRetryable(result.status()));
}

TEST(StatusFromTransportTest, CleanFailuresBeforeSending) {
  for (CURLcode code : {CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST,
                        CURLE_OPERATION_TIMEDOUT, CURLE_SEND_ERROR}) {
    absl::Status status = StatusFromTransport({code, "", false, false});
    EXPECT_THAT(status, StatusIs(StatusCode::kUnavailable)) << code;
    EXPECT_TRUE(IsRetryable(status)) << code;
    EXPECT_FALSE(IsAmbiguous(status)) << code;
  }
}

TEST(StatusFromTransportTest, FailuresAfterSendingAreAmbiguous) {
  for (CURLcode code : {CURLE_OPERATION_TIMEDOUT, CURLE_GOT_NOTHING,
                        CURLE_RECV_ERROR, CURLE_PARTIAL_FILE}) {
    absl::Status status = StatusFromTransport({code, "", true, false});
    EXPECT_THAT(status, StatusIs(StatusCode::kUnavailable)) << code;
    EXPECT_TRUE(IsAmbiguous(status)) << code;
    EXPECT_TRUE(IsRetryable(status)) << code;
  }
}

TEST(StatusFromTransportTest, CallerDeadlineIsDeadlineExceeded) {
  absl::Status sent =
      StatusFromTransport({CURLE_OPERATION_TIMEDOUT, "", true, true});
  EXPECT_THAT(sent, StatusIs(StatusCode::kDeadlineExceeded));
  EXPECT_TRUE(IsAmbiguous(sent));
  EXPECT_FALSE(IsRetryable(sent));
  absl::Status unsent =
      StatusFromTransport({CURLE_OPERATION_TIMEDOUT, "", false, true});
  EXPECT_THAT(unsent, StatusIs(StatusCode::kDeadlineExceeded));
  EXPECT_FALSE(IsAmbiguous(unsent));
}

TEST(StatusFromTransportTest, ShutdownAndLocalErrors) {
  EXPECT_THAT(
      StatusFromTransport({CURLE_ABORTED_BY_CALLBACK, "", false, false}),
      StatusIs(StatusCode::kCancelled));
  absl::Status read = StatusFromTransport({CURLE_READ_ERROR, "", true, false});
  EXPECT_THAT(read, StatusIs(StatusCode::kInternal));
  EXPECT_FALSE(IsAmbiguous(read));
  EXPECT_FALSE(IsRetryable(read));
}

}  // namespace
}  // namespace ttads::tiktok
