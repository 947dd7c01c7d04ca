// ttads-identity: TikTok connections, ads accounts, identities, the Brand
// Identity and identity resolution (docs/identity.md).
#include <iostream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "libs/server/server_runner.h"
#include "services/identity/identity_server.h"

ABSL_FLAG(std::string, config, "", "env-file with TTADS_* keys");

int main(int argc, char** argv) {
  ttads::config::ExitWithHelpIfAsked(
      argc, argv,
      "ttads-identity: TikTok connections, ads accounts, identities, the "
      "Brand Identity and identity resolution (docs/identity.md).",
      ttads::identity::IdentitySchema());
  ttads::server::ServerRunner::BlockTerminationSignals();
  absl::ParseCommandLine(argc, argv);
  const ttads::identity::IdentityConfig config =
      ttads::service_kit::LoadTypedConfigOrDie(
          "identity", absl::GetFlag(FLAGS_config),
          ttads::identity::IdentitySchema(),
          ttads::identity::IdentityConfigFrom);
  auto server = ttads::identity::IdentityServer::Create(config);
  if (!server.ok()) {
    std::cerr << "ttads-identity: " << server.status().message() << "\n";
    return 1;
  }
  (*server)->StartBackground();
  absl::Status run = (*server)->kit().Run();
  (*server)->StopBackground();
  if (!run.ok()) {
    std::cerr << "ttads-identity: " << run.message() << "\n";
    return 1;
  }
  return 0;
}
