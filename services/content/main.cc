// ttads-content: a connected TikTok account's organic content — video posts
// listed and watched (docs/content.md).
#include <iostream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "libs/server/server_runner.h"
#include "services/content/content_server.h"

ABSL_FLAG(std::string, config, "",
          "env-file with TTADS_* keys (default: $TTADS_CONFIG)");

int main(int argc, char** argv) {
  ttads::config::ExitWithHelpIfAsked(
      argc, argv,
      "ttads-content: a connected TikTok account's video posts, listed and "
      "watched (docs/content.md).",
      ttads::content::ContentSchema());
  ttads::server::ServerRunner::BlockTerminationSignals();
  absl::ParseCommandLine(argc, argv);
  const ttads::content::ContentConfig config =
      ttads::service_kit::LoadTypedConfigOrDie(
          "content", absl::GetFlag(FLAGS_config),
          ttads::content::ContentSchema(), ttads::content::ContentConfigFrom);
  auto server = ttads::content::ContentServer::Create(config);
  if (!server.ok()) {
    std::cerr << "ttads-content: " << server.status().message() << "\n";
    return 1;
  }
  absl::Status run = (*server)->kit().Run();
  if (!run.ok()) {
    std::cerr << "ttads-content: " << run.message() << "\n";
    return 1;
  }
  return 0;
}
