#include "libs/server/metrics_process.h"

#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "libs/status/status_macros.h"

namespace ttads::server {
namespace {

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::UnavailableError(absl::StrCat("cannot read ", path));
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

prometheus::MetricFamily Family(const char* name, const char* help,
                                prometheus::MetricType type, double value) {
  prometheus::MetricFamily f;
  f.name = name;
  f.help = help;
  f.type = type;
  prometheus::ClientMetric m;
  if (type == prometheus::MetricType::Counter) {
    m.counter.value = value;
  } else {
    m.gauge.value = value;
  }
  f.metric.push_back(std::move(m));
  return f;
}

}  // namespace

absl::StatusOr<ProcessStats> ReadProcessStats(const std::string& proc) {
  TTADS_ASSIGN_OR_RETURN(const std::string stat, ReadFile(proc + "/self/stat"));
  const size_t paren = stat.rfind(')');
  if (paren == std::string::npos) {
    return absl::InternalError("/proc/self/stat: no command name");
  }
  // Fields from the 3rd (state) on; man 5 proc numbers them from 1.
  const std::vector<std::string> f =
      absl::StrSplit(stat.substr(paren + 1), ' ', absl::SkipWhitespace());
  auto field = [&f](int number, double* out) {
    const size_t i = static_cast<size_t>(number - 3);
    return i < f.size() && absl::SimpleAtod(f[i], out);
  };
  double utime = 0, stime = 0, start_ticks = 0, vsize = 0, rss_pages = 0;
  if (!field(14, &utime) || !field(15, &stime) || !field(22, &start_ticks) ||
      !field(23, &vsize) || !field(24, &rss_pages)) {
    return absl::InternalError("/proc/self/stat: unexpected fields");
  }
  const double ticks = static_cast<double>(::sysconf(_SC_CLK_TCK));
  const double page = static_cast<double>(::sysconf(_SC_PAGESIZE));
  ProcessStats s;
  s.cpu_seconds = (utime + stime) / ticks;
  s.virtual_bytes = vsize;
  s.resident_bytes = rss_pages * page;

  TTADS_ASSIGN_OR_RETURN(const std::string system, ReadFile(proc + "/stat"));
  double boot = 0;
  for (absl::string_view line : absl::StrSplit(system, '\n')) {
    if (absl::ConsumePrefix(&line, "btime ")) {
      (void)absl::SimpleAtod(line, &boot);
    }
  }
  s.start_time_seconds = boot + start_ticks / ticks;

  std::error_code ec;
  for (std::filesystem::directory_iterator it(proc + "/self/fd", ec), end;
       !ec && it != end; it.increment(ec)) {
    ++s.open_fds;
  }
  if (ec) return absl::UnavailableError("cannot list /proc/self/fd");
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0) {
    s.max_fds = static_cast<double>(limit.rlim_cur);
  }
  return s;
}

std::vector<prometheus::MetricFamily> ProcessCollector::Collect() const {
  absl::StatusOr<ProcessStats> s = ReadProcessStats(proc_);
  if (!s.ok()) return {};
  using prometheus::MetricType;
  return {
      Family("process_cpu_seconds_total",
             "Total user and system CPU time spent in seconds.",
             MetricType::Counter, s->cpu_seconds),
      Family("process_resident_memory_bytes", "Resident memory size in bytes.",
             MetricType::Gauge, s->resident_bytes),
      Family("process_virtual_memory_bytes", "Virtual memory size in bytes.",
             MetricType::Gauge, s->virtual_bytes),
      Family("process_start_time_seconds",
             "Start time of the process since unix epoch in seconds.",
             MetricType::Gauge, s->start_time_seconds),
      Family("process_open_fds", "Number of open file descriptors.",
             MetricType::Gauge, s->open_fds),
      Family("process_max_fds", "Maximum number of open file descriptors.",
             MetricType::Gauge, s->max_fds),
  };
}

}  // namespace ttads::server
