// ttads-preflight: the per-objective publish check (docs/preflight.md).
#include <iostream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "libs/server/server_runner.h"
#include "services/preflight/preflight_server.h"

ABSL_FLAG(std::string, config, "", "env-file with TTADS_* keys");

int main(int argc, char** argv) {
  ttads::server::ServerRunner::BlockTerminationSignals();
  absl::ParseCommandLine(argc, argv);
  auto config = ttads::service_kit::LoadServiceConfigOrDie(
      "preflight", absl::GetFlag(FLAGS_config),
      ttads::preflight::PreflightSchema());
  auto server = ttads::preflight::PreflightServer::Create(config);
  if (!server.ok()) {
    std::cerr << "ttads-preflight: " << server.status().message() << "\n";
    return 1;
  }
  absl::Status run = (*server)->kit().Run();
  if (!run.ok()) {
    std::cerr << "ttads-preflight: " << run.message() << "\n";
    return 1;
  }
  return 0;
}
