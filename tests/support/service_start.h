#ifndef TTADS_TESTS_SUPPORT_SERVICE_START_H_
#define TTADS_TESTS_SUPPORT_SERVICE_START_H_

// Starting suite services in-process for black-box tests, the way their
// main() does: the config is loaded from the given TTADS_* values
// (SuiteFixture::ServiceEnv() plus the test's own), the server is created
// and its gRPC runner started (on the ephemeral port the env asks for).

#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "libs/config/config.h"

namespace ttads::testing {

// `Server` is one of the services' *Server classes (Create(config) and
// kit().runner()). Errors: the config's or Create's, or the runner's bind.
template <typename Server>
absl::StatusOr<std::unique_ptr<Server>> StartService(
    const config::Schema& schema,
    const std::map<std::string, std::string>& env) {
  absl::StatusOr<config::Config> loaded = config::Load(schema, "", env);
  if (!loaded.ok()) return loaded.status();
  absl::StatusOr<std::unique_ptr<Server>> server = Server::Create(*loaded);
  if (!server.ok()) return server.status();
  if (absl::Status started = (*server)->kit().runner().Start(); !started.ok()) {
    return started;
  }
  return server;
}

// "127.0.0.1:<port>" of a started server.
template <typename Server>
std::string AddressOf(Server& server) {
  return absl::StrCat("127.0.0.1:", server.kit().runner().port());
}

// A stub of `Service` on a started server, over a new insecure channel.
template <typename Service, typename Server>
std::unique_ptr<typename Service::Stub> StubOf(Server& server) {
  return Service::NewStub(grpc::CreateChannel(
      AddressOf(server), grpc::InsecureChannelCredentials()));
}

}  // namespace ttads::testing

#endif  // TTADS_TESTS_SUPPORT_SERVICE_START_H_
