#include "libs/tiktok/envelope.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/testing/status_matchers.h"

namespace ttads::tiktok {
namespace {

using ::ttads::testing::IsOk;
using ::ttads::testing::StatusIs;

TEST(ParseEnvelopeTest, ParsesAllFields) {
  absl::StatusOr<Envelope> envelope =
      ParseEnvelope(R"({"code":0,"message":"OK","request_id":"2024abc",)"
                    R"("data":{"identity_list":[{"identity_id":"7"}]}})");
  ASSERT_THAT(envelope, IsOk());
  EXPECT_EQ(envelope->code, 0);
  EXPECT_EQ(envelope->message, "OK");
  EXPECT_EQ(envelope->request_id, "2024abc");
  EXPECT_EQ(envelope->data["identity_list"][0]["identity_id"], "7");
  EXPECT_TRUE(envelope->ok());
}

TEST(ParseEnvelopeTest, NonZeroCodeIsParsedButNotOk) {
  absl::StatusOr<Envelope> envelope = ParseEnvelope(
      R"({"code":40100,"message":"Too many requests","request_id":"r","data":{}})");
  ASSERT_THAT(envelope, IsOk());
  EXPECT_EQ(envelope->code, 40100);
  EXPECT_FALSE(envelope->ok());
}

TEST(ParseEnvelopeTest, PartialSuccessIsOk) {
  absl::StatusOr<Envelope> envelope =
      ParseEnvelope(R"({"code":20001,"message":"partial","data":{}})");
  ASSERT_THAT(envelope, IsOk());
  EXPECT_TRUE(envelope->ok());
  EXPECT_EQ(envelope->request_id, "");
}

TEST(ParseEnvelopeTest, MissingDataIsNull) {
  absl::StatusOr<Envelope> envelope = ParseEnvelope(R"({"code":0})");
  ASSERT_THAT(envelope, IsOk());
  EXPECT_TRUE(envelope->data.is_null());
}

TEST(ParseEnvelopeTest, RejectsNonEnvelopes) {
  for (const char* body :
       {"", "<html>502 Bad Gateway</html>", "[1,2]", R"({"message":"OK"})",
        R"({"code":"0"})", R"({"code":0.5})", R"({"code":0,)"}) {
    absl::StatusOr<Envelope> envelope = ParseEnvelope(body);
    EXPECT_THAT(envelope, StatusIs(absl::StatusCode::kInvalidArgument)) << body;
  }
}

}  // namespace
}  // namespace ttads::tiktok
