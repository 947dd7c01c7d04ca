#include "libs/tiktok/envelope.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ttads::tiktok {
namespace {

TEST(ParseEnvelopeTest, ParsesAllFields) {
  absl::StatusOr<Envelope> envelope =
      ParseEnvelope(R"({"code":0,"message":"OK","request_id":"2024abc",)"
                    R"("data":{"identity_list":[{"identity_id":"7"}]}})");
  ASSERT_TRUE(envelope.ok()) << envelope.status();
  EXPECT_EQ(envelope->code, 0);
  EXPECT_EQ(envelope->message, "OK");
  EXPECT_EQ(envelope->request_id, "2024abc");
  EXPECT_EQ(envelope->data["identity_list"][0]["identity_id"], "7");
  EXPECT_TRUE(envelope->ok());
}

TEST(ParseEnvelopeTest, NonZeroCodeIsParsedButNotOk) {
  absl::StatusOr<Envelope> envelope = ParseEnvelope(
      R"({"code":40100,"message":"Too many requests","request_id":"r","data":{}})");
  ASSERT_TRUE(envelope.ok());
  EXPECT_EQ(envelope->code, 40100);
  EXPECT_FALSE(envelope->ok());
}

TEST(ParseEnvelopeTest, PartialSuccessIsOk) {
  absl::StatusOr<Envelope> envelope =
      ParseEnvelope(R"({"code":20001,"message":"partial","data":{}})");
  ASSERT_TRUE(envelope.ok());
  EXPECT_TRUE(envelope->ok());
  EXPECT_EQ(envelope->request_id, "");
}

TEST(ParseEnvelopeTest, MissingDataIsNull) {
  absl::StatusOr<Envelope> envelope = ParseEnvelope(R"({"code":0})");
  ASSERT_TRUE(envelope.ok());
  EXPECT_TRUE(envelope->data.is_null());
}

TEST(ParseEnvelopeTest, RejectsNonEnvelopes) {
  for (const char* body :
       {"", "<html>502 Bad Gateway</html>", "[1,2]", R"({"message":"OK"})",
        R"({"code":"0"})", R"({"code":0.5})", R"({"code":0,)"}) {
    absl::StatusOr<Envelope> envelope = ParseEnvelope(body);
    EXPECT_EQ(envelope.status().code(), absl::StatusCode::kInvalidArgument)
        << body;
  }
}

}  // namespace
}  // namespace ttads::tiktok
