// ttads-preflight: the per-objective publish check (docs/preflight.md).
#include <iostream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "libs/server/server_runner.h"
#include "services/preflight/preflight_server.h"

ABSL_FLAG(std::string, config, "",
          "env-file with TTADS_* keys (default: $TTADS_CONFIG)");

int main(int argc, char** argv) {
  ttads::config::ExitWithHelpIfAsked(
      argc, argv,
      "ttads-preflight: the per-objective publish check (docs/preflight.md).",
      ttads::preflight::PreflightSchema());
  ttads::server::ServerRunner::BlockTerminationSignals();
  absl::ParseCommandLine(argc, argv);
  const ttads::preflight::PreflightConfig config =
      ttads::service_kit::LoadTypedConfigOrDie(
          "preflight", absl::GetFlag(FLAGS_config),
          ttads::preflight::PreflightSchema(),
          ttads::preflight::PreflightConfigFrom);
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
