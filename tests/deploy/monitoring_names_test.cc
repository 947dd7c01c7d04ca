// Every metric the example alerts and dashboard (deploy/monitoring) query is
// one the code exposes: the families ttads registers (gRPC server and
// client, gateway HTTP, TikTok client, audience job queue, process) are
// collected from the real classes
// after one sample each, and each name in alerts.yml and dashboard.json must
// be among them (histograms through their _bucket/_sum/_count series), or be
// Prometheus' own `up`. A renamed metric fails here before a dashboard goes
// blank.
#include <fstream>
#include <memory>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/server/metrics.h"
#include "libs/server/metrics_process.h"
#include "libs/server/rpc_metrics.h"
#include "libs/tiktok/client_metrics.h"
#include "prometheus/registry.h"
#include "services/audience/queue_metrics.h"
#include "services/gateway/request_metrics.h"

namespace ttads {
namespace {

std::string Read(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << path;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Names of the series the code exposes, and (into `labels`) their label
// names.
std::set<std::string> ExposedSeries(std::set<std::string>* labels) {
  server::Metrics metrics("names-test");
  // The families that exist only once a call is made: make one of each.
  server::RpcMetrics server_side(metrics.registry(), "server");
  server::RpcMetrics client_side(metrics.registry(), "client");
  for (server::RpcMetrics* side : {&server_side, &client_side}) {
    auto* m = side->For("/a.B/C", server::RpcType::kUnary);
    m->Started();
    m->Handled(0, 0.001);
  }
  gateway::RequestMetrics http(metrics.registry());
  http.Record("GET", "/healthz", 200, absl::Milliseconds(1));
  tiktok::ClientMetrics tiktok_metrics(metrics.shared_registry());
  absl::Status ok;
  tiktok_metrics.Record(
      {.endpoint = "ad/get/", .status = &ok, .elapsed = absl::Seconds(1)});

  audience::QueueMetrics queue_metrics(metrics.registry(), nullptr,
                                       absl::Seconds(5));
  queue_metrics.Finished(audience::JobState::kSucceeded);

  std::set<std::string> names = {"up"};
  std::vector<prometheus::MetricFamily> families = metrics.registry().Collect();
  for (auto& family : server::ProcessCollector().Collect()) {
    families.push_back(family);
  }
  for (const auto& family : families) {
    names.insert(family.name);
    for (const auto& metric : family.metric) {
      for (const auto& label : metric.label) labels->insert(label.name);
    }
    if (family.type == prometheus::MetricType::Histogram) {
      for (const char* suffix : {"_bucket", "_sum", "_count"}) {
        names.insert(family.name + suffix);
      }
    }
  }
  return names;
}

// Identifiers in `text` that look like metric names of the families ttads
// documents (and `up`): grpc_*, http_*, tiktok_*, ttads_*, process_* (not
// recording rule names, which contain ':').
std::set<std::string> QueriedNames(const std::string& text) {
  static const std::regex kName(
      R"((^|[^A-Za-z0-9_:])((grpc|http|tiktok|ttads|process)_[a-z_]+|up)\b)");
  std::set<std::string> names;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), kName);
       it != std::sregex_iterator(); ++it) {
    names.insert((*it)[2].str());
  }
  return names;
}

class MonitoringNamesTest : public ::testing::TestWithParam<std::string> {};

TEST_P(MonitoringNamesTest, QueriesOnlyExposedMetrics) {
  std::set<std::string> label_names;
  const std::set<std::string> exposed = ExposedSeries(&label_names);
  const std::string text =
      Read(std::string(TTADS_SOURCE_DIR) + "/deploy/monitoring/" + GetParam());
  std::set<std::string> queried;
  // Only the queries: comments, annotations, titles and legends are prose.
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    const size_t first = line.find_first_not_of(' ');
    bool prose = first == std::string::npos || line[first] == '#';
    for (const char* key : {"summary", "description", "legendFormat", "title",
                            "alert:", "name"}) {
      prose |= line.find(key) != std::string::npos;
    }
    if (prose) continue;
    for (const std::string& name : QueriedNames(line)) {
      if (!label_names.count(name))
        queried.insert(name);  // a label, not a metric
    }
  }
  EXPECT_GE(queried.size(), 5u);
  for (const std::string& name : queried) {
    EXPECT_TRUE(exposed.count(name)) << GetParam() << " queries " << name
                                     << ", which no ttads component exposes";
  }
}

INSTANTIATE_TEST_SUITE_P(Files, MonitoringNamesTest,
                         ::testing::Values("alerts.yml", "dashboard.json"));

}  // namespace
}  // namespace ttads
