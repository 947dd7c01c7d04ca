// ttads-ads: creatives, ads, reports, watch (docs/ads.md).
#include <iostream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "libs/server/server_runner.h"
#include "libs/service_kit/malloc_arenas.h"
#include "services/ads/ads_server.h"

ABSL_FLAG(std::string, config, "", "env-file with TTADS_* keys");

int main(int argc, char** argv) {
  ttads::config::ExitWithHelpIfAsked(
      argc, argv, "ttads-ads: creatives, ads, reports, watch (docs/ads.md).",
      ttads::ads::AdsSchema());
  // Two shared malloc arenas instead of up to 8 per core: with one arena
  // per thread, each kept the peak of the watch streams' short-lived
  // allocations and RSS rose ~0.9 MiB/min in the mixed soak
  // (docs/reliability.md, "Load and soak").
  ttads::service_kit::CapMallocArenas(2);
  ttads::server::ServerRunner::BlockTerminationSignals();
  absl::ParseCommandLine(argc, argv);
  const ttads::ads::AdsConfig config = ttads::service_kit::LoadTypedConfigOrDie(
      "ads", absl::GetFlag(FLAGS_config), ttads::ads::AdsSchema(),
      ttads::ads::AdsConfigFrom);
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
