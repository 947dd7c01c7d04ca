#include "services/gateway/request_id.h"

#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "libs/status/status.h"
#include "libs/testing/status_matchers.h"

namespace ttads::gateway {
namespace {

using ::testing::HasSubstr;
using ::ttads::testing::IsOk;
using ::ttads::testing::IsOkAndHolds;
using ::ttads::testing::StatusIs;

http::Headers With(std::vector<std::pair<std::string, std::string>> h) {
  http::Headers out;
  for (auto& [k, v] : h) out.Add(k, v);
  return out;
}

TEST(RequestIdTest, IdempotencyKeyWinsOverXRequestId) {
  auto ids = ReadRequestIds(
      With({{"X-Request-Id", "given"}, {"Idempotency-Key", "idem-1"}}));
  ASSERT_THAT(
      ids, IsOkAndHolds(::testing::Field(&RequestIds::request_id, "idem-1")));
  EXPECT_EQ(ids->idempotency_key, "idem-1");
}

TEST(RequestIdTest, XRequestIdIsUsedWithoutAKey) {
  auto ids = ReadRequestIds(With({{"X-Request-Id", "corr-7"}}));
  ASSERT_THAT(
      ids, IsOkAndHolds(::testing::Field(&RequestIds::request_id, "corr-7")));
  EXPECT_FALSE(ids->idempotency_key.has_value());
}

TEST(RequestIdTest, NeitherHeaderGivesAFreshRandomId) {
  auto a = ReadRequestIds({});
  auto b = ReadRequestIds({});
  ASSERT_THAT(a, IsOk());
  ASSERT_THAT(b, IsOk());
  EXPECT_EQ(a->request_id.size(), 24u);
  EXPECT_EQ(a->request_id.find_first_not_of("0123456789abcdef"),
            std::string::npos);
  EXPECT_NE(a->request_id, b->request_id);
}

TEST(RequestIdTest, BadHeaderValuesNameTheHeader) {
  for (const char* name : {"Idempotency-Key", "X-Request-Id"}) {
    for (std::string value : {std::string("a b"), std::string(129, 'x'),
                              std::string("\xff"), std::string()}) {
      absl::StatusOr<RequestIds> ids = ReadRequestIds(With({{name, value}}));
      EXPECT_THAT(
          ids, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(name)));
      google::rpc::BadRequest bad;
      ASSERT_TRUE(status::GetDetail(ids.status(), &bad));
      EXPECT_EQ(bad.field_violations(0).field(), name);
    }
  }
  EXPECT_THAT(ReadRequestIds(With({{"X-Request-Id", std::string(128, 'x')}})),
              IsOk());
}

}  // namespace
}  // namespace ttads::gateway
