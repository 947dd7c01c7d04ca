#ifndef TTADS_LIBS_SERVER_METRICS_PROCESS_H_
#define TTADS_LIBS_SERVER_METRICS_PROCESS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "prometheus/collectable.h"
#include "prometheus/metric_family.h"

namespace ttads::server {

// The process as Linux reports it in /proc (`proc` is "/proc"; tests may
// point it at a fixture).
struct ProcessStats {
  double cpu_seconds = 0;         // user + system time
  double resident_bytes = 0;      // RSS
  double virtual_bytes = 0;       // address-space size
  double start_time_seconds = 0;  // since the Unix epoch
  double open_fds = 0;            // entries of /proc/self/fd
  double max_fds = 0;             // the soft RLIMIT_NOFILE
};

// Reads /proc/self/stat (utime, stime, starttime, vsize, rss — parsed after
// the command name's closing parenthesis, which may hold spaces),
// /proc/stat's btime, and counts /proc/self/fd. Errors: UNAVAILABLE when a
// file cannot be read, INTERNAL when /proc/self/stat does not parse.
absl::StatusOr<ProcessStats> ReadProcessStats(
    const std::string& proc = "/proc");

// Prometheus' standard process collector (client_golang's, also what the
// Java and Python clients export), read fresh at every scrape:
//   process_cpu_seconds_total       counter
//   process_resident_memory_bytes   gauge
//   process_virtual_memory_bytes    gauge
//   process_start_time_seconds      gauge
//   process_open_fds                gauge
//   process_max_fds                 gauge
// Register it next to the registry on the exposer (Metrics::Serve does), or
// append its families to the registry's (the gateway's /metrics). A read
// that fails yields no families (the scrape goes on without them).
class ProcessCollector : public prometheus::Collectable {
 public:
  explicit ProcessCollector(std::string proc = "/proc")
      : proc_(std::move(proc)) {}
  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  std::string proc_;
};

}  // namespace ttads::server

#endif  // TTADS_LIBS_SERVER_METRICS_PROCESS_H_
