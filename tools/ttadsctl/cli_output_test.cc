// How results and failures are printed, and the exit codes they give.
#include "tools/ttadsctl/cli_output.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/status/status.h"
#include "tools/ttadsctl/cli_testing.h"

namespace ttads::ttadsctl {
namespace {

using testing::Captured;

TEST(PrintFailureTest, MessageCodeAndExitCode) {
  Captured c;
  EXPECT_EQ(PrintFailure(c.err, absl::NotFoundError("team tm_x not found")),
            kExitFailed);
  EXPECT_EQ(c.err.str(), "ttadsctl: team tm_x not found (NOT_FOUND)\n");
  EXPECT_EQ(c.out.str(), "");
}

TEST(PrintFailureTest, ReasonWhenItIsNotTheCode) {
  Captured c;
  PrintFailure(c.err,
               status::WithErrorInfo(absl::FailedPreconditionError("no token"),
                                     "NO_TOKEN"));
  EXPECT_EQ(c.err.str(),
            "ttadsctl: no token (FAILED_PRECONDITION, NO_TOKEN)\n");
}

TEST(PrintFailureTest, InvalidArgumentIsUsageWithItsViolations) {
  Captured c;
  EXPECT_EQ(PrintFailure(c.err, status::InvalidArgument(
                                    "bad team", {{"name", "too long"},
                                                 {"tier", "unknown tier"}})),
            kExitUsage);
  EXPECT_EQ(c.err.str(),
            "ttadsctl: bad team (INVALID_ARGUMENT)\n"
            "  name: too long\n"
            "  tier: unknown tier\n");
}

Output Result() {
  return Output{.json = {{"team_id", "tm_a"}},
                .text = "tm_a\n",
                .note = "created tm_a\n"};
}

TEST(PrintOutputTest, TextOnStdoutNoteOnStderr) {
  Captured c;
  EXPECT_EQ(PrintOutput(c.console(), Result()), kExitOk);
  EXPECT_EQ(c.out.str(), "tm_a\n");
  EXPECT_EQ(c.err.str(), "created tm_a\n");
}

TEST(PrintOutputTest, JsonIsOneIndentedDocument) {
  Captured c;
  EXPECT_EQ(PrintOutput(c.console(/*json=*/true), Result()), kExitOk);
  EXPECT_EQ(c.out.str(), "{\n  \"team_id\": \"tm_a\"\n}\n");
  EXPECT_EQ(c.err.str(), "created tm_a\n");
}

TEST(PrintOutputTest, FailureIsPrintedAfterTheResultAndExitsOne) {
  Captured c;
  Output partial = Result();
  partial.failure = "2 token(s) do not decrypt";
  EXPECT_EQ(PrintOutput(c.console(), partial), kExitFailed);
  EXPECT_EQ(c.out.str(), "tm_a\n");
  EXPECT_EQ(c.err.str(), "created tm_a\nttadsctl: 2 token(s) do not decrypt\n");
}

TEST(PrintOutputTest, ErrorIsPrintFailure) {
  Captured c;
  EXPECT_EQ(PrintOutput(c.console(true), absl::UnavailableError("down")),
            kExitFailed);
  EXPECT_EQ(c.out.str(), "");
  EXPECT_EQ(c.err.str(), "ttadsctl: down (UNAVAILABLE)\n");
}

}  // namespace
}  // namespace ttads::ttadsctl
