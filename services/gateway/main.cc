// ttads-gateway: the REST front door (docs/gateway.md). Wiring only.
#include <csignal>
#include <iostream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/synchronization/mutex.h"
#include "libs/auth/caching_team_store.h"
#include "libs/auth/redis_team_store.h"
#include "libs/config/config.h"
#include "libs/config/usage.h"
#include "libs/http/server.h"
#include "libs/log/log.h"
#include "libs/log/log_config.h"
#include "libs/store/redis.h"
#include "services/gateway/backend_pool.h"
#include "services/gateway/gateway.h"
#include "services/gateway/gateway_config.h"
#include "services/gateway/openapi.h"
#include "services/gateway/quota.h"
#include "services/gateway/route_table.h"

ABSL_FLAG(std::string, config, "", "env-file with TTADS_* keys");
ABSL_FLAG(bool, print_openapi, false,
          "print the OpenAPI document of the routes (as /openapi.json serves "
          "it) and exit; needs no configuration");

namespace {

int Fail(const std::string& what) {
  std::cerr << "ttads-gateway: " << what << "\n";
  return 1;
}

// A configuration error exits 2, as every ttads binary's does
// (docs/configuration.md).
int ConfigError(const std::string& what) {
  std::cerr << "ttads-gateway: invalid configuration: " << what << "\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  ttads::config::ExitWithHelpIfAsked(
      argc, argv, "ttads-gateway: the REST front door (docs/gateway.md).",
      ttads::gateway::GatewaySchema(
          ttads::gateway::RouteTable::LinkedServices("ttads.")));
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  absl::ParseCommandLine(argc, argv);
  // absl::Mutex (inside gRPC) otherwise tracks lock graphs for deadlock
  // reports on every lock: measurable on the request path.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);

  auto services = ttads::gateway::RouteTable::LinkedServices("ttads.");
  if (absl::GetFlag(FLAGS_print_openapi)) {
    auto routes = ttads::gateway::RouteTable::FromServices(services);
    if (!routes.ok()) return Fail(std::string(routes.status().message()));
    std::cout << ttads::gateway::BuildOpenApi(*routes).dump(2) << "\n";
    return 0;
  }
  auto config = ttads::config::Load(
      ttads::gateway::GatewaySchema(services),
      ttads::config::ResolveConfigPath(absl::GetFlag(FLAGS_config)));
  if (!config.ok()) return ConfigError(std::string(config.status().message()));
  ttads::log::InitFromConfig("gateway", *config);
  auto settings = ttads::gateway::SettingsFromConfig(*config, services);
  if (!settings.ok()) {
    return ConfigError(std::string(settings.status().message()));
  }

  auto routes = ttads::gateway::RouteTable::FromServices(services);
  if (!routes.ok()) return Fail(std::string(routes.status().message()));
  auto redis = ttads::store::RedisPool::Connect(settings->redis);
  if (!redis.ok()) return Fail(std::string(redis.status().message()));

  ttads::auth::RedisTeamStore redis_teams(**redis);
  // Every request authenticates its key: cached, revocations pushed.
  ttads::auth::CachingTeamStore teams(&redis_teams, settings->redis);
  ttads::gateway::QuotaCounter quota(**redis, settings->quota);
  ttads::gateway::BackendPool backends(settings->backends,
                                       settings->backend_channels);
  ttads::gateway::Gateway gateway(*routes, backends, teams, quota,
                                  settings->gateway);
  settings->http.stream_body =
      [&gateway](const ttads::http::HttpRequest& head) {
        return gateway.StreamsBody(head);
      };
  ttads::http::HttpServer server(
      settings->http, [&gateway](ttads::http::HttpRequest request,
                                 ttads::http::HttpResponder responder) {
        gateway.Handle(std::move(request), std::move(responder));
      });
  if (absl::Status s = server.Start(); !s.ok()) {
    return Fail(std::string(s.message()));
  }
  ttads::log::Info("gateway listening", {{"address", settings->http.address},
                                         {"port", server.port()},
                                         {"routes", routes->routes().size()}});

  int signal = 0;
  sigwait(&signals, &signal);
  ttads::log::Info("gateway stopping", {{"signal", signal}});
  server.Stop();
  quota.ReleaseLeases();  // Unused leased units go back to the month's count.
  return 0;
}
