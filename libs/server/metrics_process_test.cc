#include "libs/server/metrics_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/server/metrics.h"
#include "libs/testing/status_matchers.h"

namespace ttads::server {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

void Write(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

TEST(ProcessStatsTest, ReadsThisProcess) {
  auto s = ReadProcessStats();
  ASSERT_THAT(s.status(), testing::IsOk());
  EXPECT_GE(s->cpu_seconds, 0);
  EXPECT_GT(s->resident_bytes, 0);
  EXPECT_GE(s->virtual_bytes, s->resident_bytes);
  EXPECT_GT(s->start_time_seconds, 1.5e9);  // after 2017
  EXPECT_LE(s->start_time_seconds, absl::ToUnixSeconds(absl::Now()) + 1);
  EXPECT_GE(s->open_fds, 3);  // stdin, stdout, stderr
  EXPECT_GE(s->max_fds, s->open_fds);
}

TEST(ProcessStatsTest, CountsEachOpenDescriptor) {
  auto before = ReadProcessStats();
  ASSERT_THAT(before.status(), testing::IsOk());
  const int fd = ::open("/dev/null", O_RDONLY);
  ASSERT_GE(fd, 0);
  auto during = ReadProcessStats();
  ::close(fd);
  ASSERT_THAT(during.status(), testing::IsOk());
  EXPECT_EQ(during->open_fds, before->open_fds + 1);
}

// A /proc of our own: a command name with spaces and parentheses, known
// tick counts, boot time and descriptors.
TEST(ProcessStatsTest, ParsesProcFiles) {
  const auto proc = std::filesystem::temp_directory_path() /
                    absl::StrCat("proc-test-", ::getpid());
  // Fields 3.. after the name: state ppid pgrp session tty tpgid flags
  // minflt cminflt majflt cmajflt utime(14) stime(15) cutime cstime
  // priority nice threads itrealvalue starttime(22) vsize(23) rss(24) ...
  Write(proc / "self/stat",
        "4242 (ttads (odd) name) S 1 4242 4242 0 -1 4194560 10 0 0 0 "
        "250 50 0 0 20 0 3 0 1000 4096000 100 18446744073709551615\n");
  Write(proc / "stat", "cpu  1 2 3 4\nbtime 1700000000\nprocesses 9\n");
  for (int i = 0; i < 5; ++i) Write(proc / "self/fd" / std::to_string(i), "");
  auto s = ReadProcessStats(proc.string());
  std::filesystem::remove_all(proc);
  ASSERT_THAT(s.status(), testing::IsOk());
  const double ticks = static_cast<double>(::sysconf(_SC_CLK_TCK));
  const double page = static_cast<double>(::sysconf(_SC_PAGESIZE));
  EXPECT_DOUBLE_EQ(s->cpu_seconds, 300 / ticks);
  EXPECT_DOUBLE_EQ(s->start_time_seconds, 1700000000 + 1000 / ticks);
  EXPECT_DOUBLE_EQ(s->virtual_bytes, 4096000);
  EXPECT_DOUBLE_EQ(s->resident_bytes, 100 * page);
  EXPECT_EQ(s->open_fds, 5);
}

TEST(ProcessStatsTest, MissingOrTruncatedProcIsAnError) {
  EXPECT_THAT(ReadProcessStats("/nonexistent-proc").status(),
              testing::StatusIs(absl::StatusCode::kUnavailable));
  const auto proc = std::filesystem::temp_directory_path() /
                    absl::StrCat("proc-short-", ::getpid());
  Write(proc / "self/stat", "4242 (x) S 1 2\n");
  Write(proc / "stat", "btime 1\n");
  EXPECT_THAT(ReadProcessStats(proc.string()).status(),
              testing::StatusIs(absl::StatusCode::kInternal));
  std::filesystem::remove_all(proc);
  EXPECT_THAT(ProcessCollector("/nonexistent-proc").Collect(), IsEmpty());
}

TEST(ProcessCollectorTest, StandardNamesAndTypes) {
  const auto families = ProcessCollector().Collect();
  ASSERT_THAT(families, SizeIs(6));
  std::map<std::string, prometheus::MetricType> types;
  for (const auto& f : families) types[f.name] = f.type;
  EXPECT_EQ(types["process_cpu_seconds_total"],
            prometheus::MetricType::Counter);
  for (const char* gauge :
       {"process_resident_memory_bytes", "process_virtual_memory_bytes",
        "process_start_time_seconds", "process_open_fds", "process_max_fds"}) {
    EXPECT_EQ(types.count(gauge), 1u) << gauge;
    EXPECT_EQ(types[gauge], prometheus::MetricType::Gauge) << gauge;
  }
}

std::string HttpGet(int port, const std::string& path) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string out;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0) {
    const std::string req =
        absl::StrCat("GET ", path, " HTTP/1.0\r\nHost: localhost\r\n\r\n");
    (void)::write(fd, req.data(), req.size());
    char buf[4096];
    for (ssize_t n; (n = ::read(fd, buf, sizeof(buf))) > 0;) out.append(buf, n);
  }
  ::close(fd);
  return out;
}

TEST(ProcessCollectorTest, ServedOnEveryMetricsEndpoint) {
  Metrics metrics("process-test");
  ASSERT_THAT(metrics.Serve("127.0.0.1:0"), testing::IsOk());
  const std::string text = HttpGet(metrics.port(), "/metrics");
  EXPECT_THAT(text, HasSubstr("# TYPE process_cpu_seconds_total counter"));
  EXPECT_THAT(text, HasSubstr("# TYPE process_resident_memory_bytes gauge"));
  EXPECT_THAT(text, HasSubstr("process_open_fds "));
  EXPECT_THAT(text, HasSubstr("process_start_time_seconds "));
}

}  // namespace
}  // namespace ttads::server
