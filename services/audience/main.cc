// ttads-audience: custom audiences and resumable member sync
// (docs/audience.md). Configuration and wiring only.
#include <malloc.h>

#include <iostream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "libs/server/server_runner.h"
#include "services/audience/audience_server.h"

ABSL_FLAG(std::string, config, "",
          "env-file with TTADS_* keys (default: $TTADS_CONFIG)");

int main(int argc, char** argv) {
  ttads::config::ExitWithHelpIfAsked(
      argc, argv,
      "ttads-audience: custom audiences and resumable member sync "
      "(docs/audience.md).",
      ttads::audience::AudienceSchema());
  // Sync jobs move multi-megabyte chunk buffers between the work-queue
  // threads; with glibc's default of 8 arenas per core each thread's arena
  // keeps its freed chunks, and a 10-million-identifier sync peaked at
  // ~500 MB RSS. Two arenas keep it under ~100 MB (bench/audience/sync_10m.sh).
  mallopt(M_ARENA_MAX, 2);
  ttads::server::ServerRunner::BlockTerminationSignals();
  absl::ParseCommandLine(argc, argv);
  const ttads::audience::AudienceConfig config =
      ttads::service_kit::LoadTypedConfigOrDie(
          "audience", absl::GetFlag(FLAGS_config),
          ttads::audience::AudienceSchema(),
          ttads::audience::AudienceConfigFrom);
  auto server = ttads::audience::AudienceServer::Create(config);
  if (!server.ok()) {
    std::cerr << "ttads-audience: " << server.status().message() << "\n";
    return 1;
  }
  (*server)->StartBackground();
  absl::Status run = (*server)->kit().Run();
  (*server)->StopBackground();
  if (!run.ok()) {
    std::cerr << "ttads-audience: " << run.message() << "\n";
    return 1;
  }
  return 0;
}
