#include "tools/ttadsctl/command_output.h"

#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace ttads::ttadsctl {
namespace {

TEST(TimeTextTest, Rfc3339InUtcToTheSecond) {
  EXPECT_EQ(TimeText(absl::FromUnixMillis(1767225600999)),
            "2026-01-01T00:00:00Z");
  EXPECT_EQ(TimeText(absl::FromUnixSeconds(0)), "1970-01-01T00:00:00Z");
}

}  // namespace
}  // namespace ttads::ttadsctl
