#include "services/ads/raw_call_headers.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "libs/status/status.h"
#include "libs/testing/status_matchers.h"

namespace ttads::ads {
namespace {

using ::testing::ElementsAre;
using testing::IsOkAndHolds;
using ::testing::Pair;
using testing::StatusIs;

std::set<std::string> Fields(const absl::Status& s) {
  google::rpc::BadRequest bad;
  std::set<std::string> out;
  if (status::GetDetail(s, &bad)) {
    for (const auto& v : bad.field_violations()) out.insert(v.field());
  }
  return out;
}

TEST(RawCallHeadersTest, ForwardsAcceptLanguageAndCustomHeaders) {
  EXPECT_THAT(SafeRawCallHeaders({{"Accept-Language", "de-DE"},
                                  {"X-Debug-Id", "abc 123"},
                                  {"x-lower", "v\twith tab"}}),
              IsOkAndHolds(ElementsAre(Pair("Accept-Language", "de-DE"),
                                       Pair("X-Debug-Id", "abc 123"),
                                       Pair("x-lower", "v\twith tab"))));
  EXPECT_THAT(SafeRawCallHeaders({}), IsOkAndHolds(ElementsAre()));
}

TEST(RawCallHeadersTest, RefusesWhatTtadsSetsHopByHopAndSmuggling) {
  for (const char* name : {"Access-Token",
                           "access-token",
                           "ACCESS-TOKEN",
                           "Authorization",
                           "Host",
                           "Content-Length",
                           "Content-Type",
                           "Transfer-Encoding",
                           "Connection",
                           "Keep-Alive",
                           "TE",
                           "Trailer",
                           "Upgrade",
                           "Proxy-Authorization",
                           "Proxy-Connection",
                           "Expect",
                           "Cookie",
                           "Accept",
                           "traceparent",
                           "Forwarded",
                           "Via",
                           "X-Forwarded-For",
                           "X-Forwarded-Host",
                           "X-Real-IP",
                           "X-HTTP-Method-Override",
                           "X-Method-Override",
                           "User-Agent",
                           "Referer"}) {
    auto got = SafeRawCallHeaders({{name, "v"}});
    EXPECT_THAT(got, StatusIs(absl::StatusCode::kInvalidArgument)) << name;
    EXPECT_EQ(Fields(got.status()),
              std::set<std::string>{absl::StrCat("headers[\"", name, "\"]")})
        << name;
  }
}

TEST(RawCallHeadersTest, RefusesMalformedNamesAndValues) {
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"X-A", "one\r\nAccess-Token: stolen"},
      {"X-A", std::string("nul\0byte", 8)},
      {"X-A", std::string(kMaxRawCallHeaderValue + 1, 'a')},
      {"X A", "v"},
      {"X-A:", "v"},
      {"", "v"},
      {"X-\xc3\xa9", "v"},
  };
  for (const auto& [name, value] : bad) {
    auto got = SafeRawCallHeaders({{name, value}});
    EXPECT_THAT(got, StatusIs(absl::StatusCode::kInvalidArgument)) << name;
    EXPECT_EQ(Fields(got.status()),
              std::set<std::string>{absl::StrCat("headers[\"", name, "\"]")})
        << name;
  }
  // The same name twice but for case.
  auto twice = SafeRawCallHeaders({{"X-A", "1"}, {"x-a", "2"}});
  EXPECT_THAT(twice, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(Fields(twice.status()), std::set<std::string>{"headers[\"x-a\"]"});
  std::map<std::string, std::string> many;
  for (size_t i = 0; i <= kMaxRawCallHeaders; ++i) {
    many[absl::StrCat("X-H", i)] = "v";
  }
  auto too_many = SafeRawCallHeaders(many);
  EXPECT_THAT(too_many, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(Fields(too_many.status()), std::set<std::string>{"headers"});
}

}  // namespace
}  // namespace ttads::ads
