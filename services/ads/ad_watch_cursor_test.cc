#include "services/ads/ad_watch_cursor.h"

#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "libs/status/status.h"
#include "libs/testing/status_matchers.h"

namespace ttads::ads {
namespace {

using testing::IsOkAndHolds;
using testing::StatusIs;

std::set<std::string> Fields(const absl::Status& s) {
  google::rpc::BadRequest bad;
  std::set<std::string> out;
  if (status::GetDetail(s, &bad)) {
    for (const auto& v : bad.field_violations()) out.insert(v.field());
  }
  return out;
}

constexpr char kA[] = "7101";
constexpr char kB[] = "7102";
constexpr char kPa[] = "2026-01-01 00:00:10|18001";
constexpr char kPb[] = "2026-01-01 00:00:01|0";

TEST(AdWatchCursorTest, OneAdvertiserKeepsThePlainForm) {
  EXPECT_EQ(FormatWatchCursor({{kA, kPa}}), kPa);
  EXPECT_THAT(ParseWatchCursor(kPa, {kA}),
              IsOkAndHolds(WatchPositions{{kA, kPa}}));
  EXPECT_THAT(ParseWatchCursor("", {kA}), IsOkAndHolds(WatchPositions{}));
}

TEST(AdWatchCursorTest, PositionsOrderByTimeThenAdIdAsANumber) {
  EXPECT_TRUE(
      WatchPositionLess("2026-01-01 00:00:10|9", "2026-01-01 00:00:10|18001"));
  EXPECT_FALSE(
      WatchPositionLess("2026-01-01 00:00:10|18001", "2026-01-01 00:00:10|9"));
  EXPECT_TRUE(
      WatchPositionLess("2026-01-01 00:00:09|99999", "2026-01-01 00:00:10|0"));
  EXPECT_FALSE(
      WatchPositionLess("2026-01-01 00:00:10|5", "2026-01-01 00:00:10|5"));
}

TEST(AdWatchCursorTest, SeveralAdvertisersRoundTrip) {
  const std::string cursor = FormatWatchCursor({{kB, kPb}, {kA, kPa}});
  EXPECT_EQ(cursor, absl::StrCat(kA, "=", kPa, ",", kB, "=", kPb));
  EXPECT_THAT(ParseWatchCursor(cursor, {kA, kB}),
              IsOkAndHolds(WatchPositions{{kA, kPa}, {kB, kPb}}));
  // An advertiser added since: not named, it starts from now.
  EXPECT_THAT(ParseWatchCursor(cursor, {kA, kB, "7103"}),
              IsOkAndHolds(WatchPositions{{kA, kPa}, {kB, kPb}}));
  // A plain cursor applies to each advertiser.
  EXPECT_THAT(ParseWatchCursor(kPa, {kA, kB}),
              IsOkAndHolds(WatchPositions{{kA, kPa}, {kB, kPa}}));
}

TEST(AdWatchCursorTest, ForeignOrMalformedCursorsNameTheCursor) {
  for (const std::string& bad :
       {absl::StrCat("7199=", kPa),
        absl::StrCat(kA, "=", kPa, ",", kA, "=", kPb),
        std::string("2026-01-01|5"), absl::StrCat(kA, "=", kPa, ","),
        std::string("x=2026-01-01 00:00:10|1"),
        std::string("2026-01-01 00:00:10|")}) {
    auto parsed = ParseWatchCursor(bad, {kA, kB});
    EXPECT_THAT(parsed, StatusIs(absl::StatusCode::kInvalidArgument)) << bad;
    EXPECT_EQ(Fields(parsed.status()), std::set<std::string>{"cursor"}) << bad;
  }
}

}  // namespace
}  // namespace ttads::ads
