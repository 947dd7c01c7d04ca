// ttads-ads: creatives, ads, reports, watch (docs/ads.md).
#include <iostream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "libs/server/server_runner.h"
#include "services/ads/ads_server.h"

ABSL_FLAG(std::string, config, "", "env-file with TTADS_* keys");

int main(int argc, char** argv) {
  ttads::config::ExitWithHelpIfAsked(
      argc, argv, "ttads-ads: creatives, ads, reports, watch (docs/ads.md).",
      ttads::ads::AdsSchema());
  ttads::server::ServerRunner::BlockTerminationSignals();
  absl::ParseCommandLine(argc, argv);
  auto config = ttads::service_kit::LoadServiceConfigOrDie(
      "ads", absl::GetFlag(FLAGS_config), ttads::ads::AdsSchema());
  auto server = ttads::ads::AdsServer::Create(config);
  if (!server.ok()) {
    std::cerr << "ttads-ads: " << server.status().message() << "\n";
    return 1;
  }
  absl::Status run = (*server)->kit().Run();
  if (!run.ok()) {
    std::cerr << "ttads-ads: " << run.message() << "\n";
    return 1;
  }
  return 0;
}
