#include "services/gateway/transcoding.h"

#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "libs/status/status.h"
#include "libs/testing/status_matchers.h"
#include "ttads/ads/v1/ads_service.pb.h"
#include "ttads/audience/v1/audience_service.pb.h"
#include "ttads/compat/v1/adspirer_tools_service.pb.h"
#include "ttads/compat/v1/zernio_ads_service.pb.h"
#include "ttads/identity/v1/identity_service.pb.h"
#include "ttads/preflight/v1/preflight_service.pb.h"

namespace ttads::gateway {
namespace {

using std::chrono::milliseconds;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Pair;
using ::ttads::testing::IsOk;
using ::ttads::testing::IsOkAndHolds;
using ::ttads::testing::StatusIs;

std::string FieldOf(const absl::Status& status) {
  google::rpc::BadRequest bad;
  if (!status::GetDetail(status, &bad) || bad.field_violations_size() == 0) {
    return "";
  }
  return bad.field_violations(0).field();
}

class TranscodingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto table = RouteTable::FromLinkedServices("ttads.");
    ASSERT_THAT(table, IsOk());
    routes_ = std::make_unique<RouteTable>(*std::move(table));
  }
  // The route and request of `method` `target` with `body`.
  std::pair<RouteMatch, http::HttpRequest> Request(const std::string& method,
                                                   const std::string& path,
                                                   http::QueryParams query = {},
                                                   std::string body = "") {
    http::HttpRequest request;
    request.method = method;
    request.target = path;
    request.path = path;
    request.query = std::move(query);
    request.body = std::move(body);
    std::optional<RouteMatch> match = routes_->Match(method, path);
    EXPECT_TRUE(match.has_value()) << method << " " << path;
    return {*std::move(match), std::move(request)};
  }
  std::unique_ptr<RouteTable> routes_;
};

TEST(TimeoutTest, ParsesBothForms) {
  EXPECT_EQ(ParseTimeout("2.5", false), milliseconds(2500));
  EXPECT_EQ(ParseTimeout("500m", true), milliseconds(500));
  EXPECT_EQ(ParseTimeout("2S", true), milliseconds(2000));
  EXPECT_EQ(ParseTimeout("1M", true), milliseconds(60000));
  EXPECT_FALSE(ParseTimeout("-1", false).has_value());
  EXPECT_FALSE(ParseTimeout("5x", true).has_value());
  EXPECT_FALSE(ParseTimeout("", false).has_value());
}

TEST(TimeoutTest, HeadersAreCappedAndDefaultToTheCap) {
  http::Headers none;
  EXPECT_THAT(RequestTimeout(none, milliseconds(3000)),
              IsOkAndHolds(milliseconds(3000)));
  http::Headers seconds;
  seconds.Add("X-Request-Timeout", "1.5");
  EXPECT_THAT(RequestTimeout(seconds, milliseconds(3000)),
              IsOkAndHolds(milliseconds(1500)));
  http::Headers grpc;
  grpc.Add("grpc-timeout", "10S");
  EXPECT_THAT(RequestTimeout(grpc, milliseconds(3000)),
              IsOkAndHolds(milliseconds(3000)));
  http::Headers bad;
  bad.Add("grpc-timeout", "soon");
  absl::StatusOr<milliseconds> refused = RequestTimeout(bad, milliseconds(1));
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(FieldOf(refused.status()), "grpc-timeout");
}

TEST_F(TranscodingTest, BuildsTheMessageFromPathQueryAndBody) {
  auto [match, request] =
      Request("GET", "/api/v1/tiktok/publish-check",
              {{"advertiserId", "adv1"}, {"objective", "TRAFFIC"}});
  auto message = TranscodeRequest(*match.route, match.bindings, request, {});
  ASSERT_THAT(message, IsOk());
  const auto& check =
      dynamic_cast<const preflight::v1::PublishCheckRequest&>(**message);
  EXPECT_EQ(check.advertiser_id(), "adv1");
}

TEST_F(TranscodingTest, IdempotencyKeyFillsRequestIdOnMutatingRoutesOnly) {
  auto [match, request] =
      Request("POST", "/api/v1/tools/add_tiktok_ad/execute", {},
              R"({"arguments":{"adgroup_id":"1800","ad_text":"Hi"}})");
  TranscodeOptions options;
  options.idempotency_key = "idem-9";
  auto message =
      TranscodeRequest(*match.route, match.bindings, request, options);
  ASSERT_THAT(message, IsOk());
  EXPECT_EQ(
      dynamic_cast<const compat::v1::ExecuteAddTikTokAdRequest&>(**message)
          .arguments()
          .request_id(),
      "idem-9");

  // A body that names another id is refused.
  request.body = R"({"arguments":{"adgroup_id":"1800","request_id":"other"}})";
  EXPECT_THAT(TranscodeRequest(*match.route, match.bindings, request, options),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

// CreateAudience (AIP-133) takes the audience as the body: the same JSON
// as when the request held the audience's fields; the request id comes from
// the Idempotency-Key header or the query, not the body.
TEST_F(TranscodingTest, CreateAudienceBodyIsTheAudience) {
  auto [match, request] = Request(
      "POST", "/v1/advertisers/adv1/audiences", {},
      R"({"name":"Buyers","identifierTypes":["EMAIL"],"defaultRegion":"gb"})");
  auto message = TranscodeRequest(*match.route, match.bindings, request,
                                  {.idempotency_key = "idem-1"});
  ASSERT_THAT(message, IsOk());
  const auto& create =
      dynamic_cast<const audience::v1::CreateAudienceRequest&>(**message);
  EXPECT_EQ(create.advertiser_id(), "adv1");
  EXPECT_EQ(create.request_id(), "idem-1");
  EXPECT_EQ(create.audience().name(), "Buyers");
  ASSERT_EQ(create.audience().identifier_types_size(), 1);
  EXPECT_EQ(create.audience().identifier_types(0),
            audience::v1::IDENTIFIER_TYPE_EMAIL);
  EXPECT_EQ(create.audience().default_region(), "gb");

  request.query = {{"request_id", "q-1"}};
  message = TranscodeRequest(*match.route, match.bindings, request, {});
  ASSERT_THAT(message, IsOk());
  EXPECT_EQ(dynamic_cast<const audience::v1::CreateAudienceRequest&>(**message)
                .request_id(),
            "q-1");

  request.query = {};
  request.body = R"({"name":"Buyers","requestId":"r-1"})";
  message = TranscodeRequest(*match.route, match.bindings, request, {});
  EXPECT_THAT(message, StatusIs(absl::StatusCode::kInvalidArgument,
                                HasSubstr("requestId")));
}

TEST_F(TranscodingTest, BadJsonNamesTheField) {
  auto [match, request] = Request("PATCH", "/v1/connect/tiktok-ads", {},
                                  R"({"accountId":"a","colour":1})");
  auto message = TranscodeRequest(*match.route, match.bindings, request, {});
  EXPECT_THAT(message, StatusIs(absl::StatusCode::kInvalidArgument,
                                HasSubstr("colour")));
  EXPECT_EQ(FieldOf(message.status()), "colour");
}

TEST_F(TranscodingTest, AMessageOverTheBackendLimitIsResourceExhausted) {
  auto [match, request] =
      Request("PATCH", "/v1/connect/tiktok-ads", {},
              R"({"displayName":"B","imageUrl":"https://example.com/b.png",)"
              R"("accountId":")" +
                  std::string(2000, 'a') + R"("})");
  TranscodeOptions options;
  options.max_message_bytes = 1000;
  auto message =
      TranscodeRequest(*match.route, match.bindings, request, options);
  EXPECT_THAT(message, StatusIs(absl::StatusCode::kResourceExhausted,
                                HasSubstr("backends' limit")));
  EXPECT_EQ(FieldOf(message.status()), "body");
}

TEST_F(TranscodingTest, UploadHeadChecksPathAndQuery) {
  auto [match, request] =
      Request("POST", "/v1/advertisers/adv1/audiences/aud1/members:sync",
              {{"operation", "REMOVE"}});
  absl::StatusOr<UploadSource::Options> head = TranscodeUploadHead(
      *match.route, match.bindings, request, {.idempotency_key = "k-1"});
  ASSERT_THAT(head, IsOk());
  EXPECT_FALSE(head->csv.has_value());  // No Content-Type: NDJSON.
  EXPECT_EQ(head->raw, nullptr);
  EXPECT_EQ(head->request_id, "k-1");
  EXPECT_THAT(head->bindings, Contains(Pair("audience_id", "aud1")));
  request.query = {{"colour", "red"}};
  absl::StatusOr<UploadSource::Options> refused =
      TranscodeUploadHead(*match.route, match.bindings, request, {});
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kInvalidArgument,
                                HasSubstr("colour")));
  EXPECT_FALSE(IsUnsupportedMediaType(refused.status()));
}

TEST_F(TranscodingTest, UploadFormatComesFromTheContentType) {
  auto [sync, sync_request] =
      Request("POST", "/v1/advertisers/adv1/audiences/aud1/members:sync");
  sync_request.headers.Add("Content-Type", "text/csv; charset=utf-8");
  auto csv = TranscodeUploadHead(*sync.route, sync.bindings, sync_request,
                                 {.csv_batch_rows = 7});
  ASSERT_THAT(csv, IsOk());
  EXPECT_TRUE(csv->csv.has_value());
  EXPECT_EQ(csv->batch_rows, 7);

  for (const char* type :
       {"audio/mpeg", "audio/wav", "audio/x-wav", "audio/flac", "audio/x-flac",
        "application/octet-stream", "Audio/MPEG; name=x"}) {
    auto [sound, request] =
        Request("POST", "/v1/tiktok-accounts/conn-1/sounds:upload",
                {{"file_name", "jingle.mp3"}});
    request.headers.Add("Content-Type", type);
    auto raw = TranscodeUploadHead(*sound.route, sound.bindings, request,
                                   {.max_raw_bytes = 1000});
    ASSERT_THAT(raw, IsOk()) << type;
    ASSERT_NE(raw->raw, nullptr) << type;
    EXPECT_EQ(raw->raw->name(), "data");
    EXPECT_EQ(raw->max_raw_bytes, 1000u);
    EXPECT_EQ(raw->raw_chunk_bytes, 256u * 1024);  // Backends take 4 MiB.
    EXPECT_THAT(raw->bindings, Contains(Pair("connection_id", "conn-1")));
  }
}

TEST_F(TranscodingTest, AContentTypeTheRouteCannotTakeIsUnsupported) {
  // A raw body where the message has no bytes field.
  auto [sync, sync_request] =
      Request("POST", "/v1/advertisers/adv1/audiences/aud1/members:sync");
  sync_request.headers.Add("Content-Type", "audio/mpeg");
  auto raw = TranscodeUploadHead(*sync.route, sync.bindings, sync_request, {});
  EXPECT_THAT(
      raw, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("raw body")));
  EXPECT_EQ(FieldOf(raw.status()), "Content-Type");
  EXPECT_TRUE(IsUnsupportedMediaType(raw.status()));
  // CSV where the message has no CSV shape.
  auto [sound, request] =
      Request("POST", "/v1/tiktok-accounts/conn-1/sounds:upload");
  request.headers.Add("Content-Type", "text/csv");
  auto csv = TranscodeUploadHead(*sound.route, sound.bindings, request, {});
  EXPECT_TRUE(IsUnsupportedMediaType(csv.status())) << csv.status();
}

TEST_F(TranscodingTest, RawChunksFitTheBackendsLimit) {
  auto [sound, request] =
      Request("POST", "/v1/tiktok-accounts/conn-1/sounds:upload");
  request.headers.Add("Content-Type", "application/octet-stream");
  auto raw = TranscodeUploadHead(*sound.route, sound.bindings, request,
                                 {.max_message_bytes = 48 * 1024});
  ASSERT_THAT(raw, IsOk());
  EXPECT_EQ(raw->raw_chunk_bytes, 24u * 1024);
}

TEST_F(TranscodingTest, ARawBodyDeclaredOverTheLimitIsRefusedBeforeItsBody) {
  auto [sound, request] =
      Request("POST", "/v1/tiktok-accounts/conn-1/sounds:upload");
  request.headers.Add("Content-Type", "audio/wav");
  request.headers.Add("Content-Length", "1001");
  auto over = TranscodeUploadHead(*sound.route, sound.bindings, request,
                                  {.max_raw_bytes = 1000});
  EXPECT_THAT(over, StatusIs(absl::StatusCode::kResourceExhausted,
                             HasSubstr("larger than 1000 bytes")));
  EXPECT_EQ(FieldOf(over.status()), "body");
  EXPECT_FALSE(IsUnsupportedMediaType(over.status()));
  // At the limit, or with no limit: taken (and still counted as it comes).
  EXPECT_THAT(TranscodeUploadHead(*sound.route, sound.bindings, request,
                                  {.max_raw_bytes = 1001}),
              IsOk());
  EXPECT_THAT(TranscodeUploadHead(*sound.route, sound.bindings, request, {}),
              IsOk());
}

}  // namespace
}  // namespace ttads::gateway
