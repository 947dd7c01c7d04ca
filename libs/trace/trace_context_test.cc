#include "libs/trace/trace_context.h"

#include <set>
#include <string>
#include <thread>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ttads::trace {
namespace {

using ::testing::Optional;

// The example of the W3C Trace Context recommendation, §3.2.2.
constexpr char kValid[] =
    "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

std::string View(const std::array<char, 32>& id) {
  return std::string(id.data(), id.size());
}
std::string View(const std::array<char, 16>& id) {
  return std::string(id.data(), id.size());
}

TEST(ParseTraceparentTest, ReadsTheSpecExample) {
  std::optional<TraceParent> parsed = ParseTraceparent(kValid);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(View(parsed->trace_id), "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(View(parsed->parent_id), "00f067aa0ba902b7");
  EXPECT_EQ(parsed->flags, 0x01);
  EXPECT_EQ(ParseTraceparent(
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00")
                ->flags,
            0x00);
}

TEST(ParseTraceparentTest, IgnoresSurroundingWhitespace) {
  EXPECT_TRUE(ParseTraceparent(std::string(" \t") + kValid + " ").has_value());
}

TEST(ParseTraceparentTest, RefusesMalformedValues) {
  for (const char* bad : {
           "",
           "00",
           // uppercase hex (the grammar is HEXDIGLC)
           "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
           "00-4bf92f3577b34da6a3ce929d0e0e4736-00F067AA0BA902B7-01",
           "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0A",
           "0A-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
           // all-zero ids
           "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
           "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
           // version ff is invalid
           "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
           // wrong lengths
           "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",
           "00-4bf92f3577b34da6a3ce929d0e0e47361-00f067aa0ba902b7-01",
           "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b-01",
           "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1",
           "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-011",
           // version 00 allows nothing after the flags
           "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
           // wrong separators, non-hex
           "00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
           "00-4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7-01",
           "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7_01",
           "00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01",
           "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902bz-01",
           "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0x",
       }) {
    EXPECT_FALSE(ParseTraceparent(bad).has_value()) << bad;
  }
}

TEST(ParseTraceparentTest, HigherVersionsReadTheirVersion00Prefix) {
  // §4.3: a future version is parsed by the fields version 00 defines;
  // more data may follow after a '-'; only the sampled flag is kept.
  std::optional<TraceParent> parsed = ParseTraceparent(
      "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-03-what-ever");
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(View(parsed->trace_id), "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(parsed->flags, 0x01);
  EXPECT_TRUE(ParseTraceparent(
                  "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
                  .has_value());
  EXPECT_FALSE(ParseTraceparent(
                   "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x")
                   .has_value());
}

TEST(ContinueOrStartTest, ContinuesAValidTraceWithANewSpan) {
  TraceContext trace = ContinueOrStart(kValid, "congo=t61rcWkgMzE");
  EXPECT_EQ(trace.trace_id_view(), "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_TRUE(trace.has_parent());
  EXPECT_EQ(trace.parent_span_id_view(), "00f067aa0ba902b7");
  EXPECT_NE(trace.span_id_view(), "00f067aa0ba902b7");
  EXPECT_EQ(trace.flags, 0x01);
  EXPECT_EQ(trace.tracestate, "congo=t61rcWkgMzE");
  // What this span sends on: same trace, itself as the parent.
  EXPECT_EQ(trace.Traceparent(), "00-4bf92f3577b34da6a3ce929d0e0e4736-" +
                                     std::string(trace.span_id_view()) + "-01");
  EXPECT_TRUE(ParseTraceparent(trace.Traceparent()).has_value());
}

TEST(ContinueOrStartTest, KeepsTheCallersFlags) {
  TraceContext trace = ContinueOrStart(
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00", "");
  EXPECT_EQ(trace.flags, 0x00);
  EXPECT_THAT(trace.Traceparent(), ::testing::EndsWith("-00"));
}

TEST(ContinueOrStartTest, MalformedOrMissingStartsANewTrace) {
  for (const char* header :
       {"", "garbage",
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"}) {
    TraceContext trace = ContinueOrStart(header, "congo=t61rcWkgMzE");
    EXPECT_TRUE(ParseTraceparent(trace.Traceparent()).has_value()) << header;
    EXPECT_FALSE(trace.has_parent()) << header;
    EXPECT_EQ(trace.parent_span_id_view(), "") << header;
    EXPECT_NE(trace.trace_id_view(), "4bf92f3577b34da6a3ce929d0e0e4736");
    EXPECT_EQ(trace.flags, 0x01);
    // §3.3: tracestate without a valid traceparent is not passed on.
    EXPECT_EQ(trace.tracestate, "") << header;
  }
}

TEST(NewIdsTest, AreLowercaseHexNonZeroAndDistinct) {
  std::set<std::string> traces, spans;
  for (int i = 0; i < 1000; ++i) {
    TraceContext trace = StartTrace();
    traces.insert(std::string(trace.trace_id_view()));
    spans.insert(std::string(trace.span_id_view()));
    ASSERT_TRUE(ParseTraceparent(trace.Traceparent()).has_value());
  }
  EXPECT_EQ(traces.size(), 1000u);
  EXPECT_EQ(spans.size(), 1000u);
}

TEST(SanitizeTracestateTest, KeepsPrintableDropsControlAndCutsLongLists) {
  EXPECT_EQ(SanitizeTracestate(" rojo=00f067aa0ba902b7,congo=t61rcWkgMzE "),
            "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE");
  EXPECT_EQ(SanitizeTracestate("a=1\r\nx-injected: yes"), "");
  EXPECT_EQ(SanitizeTracestate("a=\x7f"), "");
  std::string list;
  for (int i = 0; i < 100; ++i) {
    if (!list.empty()) list += ",";
    list += "vendor" + std::to_string(i) + "=value";
  }
  ASSERT_GT(list.size(), kMaxTracestateBytes);
  std::string cut = SanitizeTracestate(list);
  EXPECT_LE(cut.size(), kMaxTracestateBytes);
  EXPECT_TRUE(list.starts_with(cut));
  EXPECT_EQ(list[cut.size()], ',');  // whole entries only
  EXPECT_EQ(SanitizeTracestate(std::string(600, 'a')), "");
}

TEST(ScopedTraceTest, NestsAndStaysOnItsThread) {
  EXPECT_EQ(Current(), nullptr);
  TraceContext outer = StartTrace();
  TraceContext inner = StartTrace();
  {
    ScopedTrace a(&outer);
    EXPECT_EQ(Current(), &outer);
    {
      ScopedTrace b(&inner);
      EXPECT_EQ(Current(), &inner);
      std::thread([] { EXPECT_EQ(Current(), nullptr); }).join();
    }
    EXPECT_EQ(Current(), &outer);
  }
  EXPECT_EQ(Current(), nullptr);
}

}  // namespace
}  // namespace ttads::trace
