#ifndef TTADS_TESTS_SUPPORT_INPROC_GATEWAY_H_
#define TTADS_TESTS_SUPPORT_INPROC_GATEWAY_H_

// The REST gateway in-process for black-box tests, wired as ttads-gateway's
// main() wires it: routes from the google.api.http annotations of every
// linked `ttads.` service, one backend address per service, a quota
// counter with no limit (tiers "standard", the default, and "enterprise",
// both unlimited), and the HTTP server on an ephemeral port of 127.0.0.1
// whose client-streaming bodies (uploads) are streamed to the gateway.
//
//   auto gw = testing::InProcessGateway::Start(
//       fixture->redis(), fixture->teams(),
//       {.address = testing::AllAt(testing::AddressOf(*identity))});
//   client.Get((*gw)->base_url() + "/v1/...", {"Authorization: Bearer ..."});
//
// What tests vary: where each service is (`address`), the gateway's and the
// HTTP server's options.

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "google/protobuf/descriptor.h"
#include "libs/auth/team_store.h"
#include "libs/http/server.h"
#include "libs/store/redis.h"
#include "services/gateway/backend_pool.h"
#include "services/gateway/gateway.h"
#include "services/gateway/quota.h"
#include "services/gateway/route_table.h"

namespace ttads::testing {

// An address nothing listens on: the routes of a service placed there
// answer 503.
inline constexpr char kNowhere[] = "127.0.0.1:1";

// The backend address of a linked service.
using ServiceAddress =
    std::function<std::string(const google::protobuf::ServiceDescriptor&)>;

// Every service at `address`.
ServiceAddress AllAt(std::string address);

// Each service at the address of its full name
// ("ttads.preflight.v1.PreflightService") or, failing that, of its proto
// package ("ttads.ads.v1"); the others at `otherwise`.
ServiceAddress ByName(std::map<std::string, std::string> addresses,
                      std::string otherwise = kNowhere);

struct InProcessGatewayOptions {
  ServiceAddress address = AllAt(kNowhere);
  gateway::GatewayOptions gateway;
  http::HttpServer::Options http;
};

class InProcessGateway {
 public:
  // Errors: the route table's (a bad annotation) or the HTTP server's bind.
  static absl::StatusOr<std::unique_ptr<InProcessGateway>> Start(
      store::RedisPool& redis, auth::TeamStore& teams,
      InProcessGatewayOptions options = {});
  // Stops the HTTP server first (no request reaches a destroyed gateway).
  ~InProcessGateway();

  // "http://127.0.0.1:<port>".
  const std::string& base_url() const { return base_url_; }
  int port() const { return http_->port(); }
  gateway::Gateway& gateway() { return *gateway_; }

 private:
  InProcessGateway() = default;

  std::unique_ptr<gateway::BackendPool> backends_;
  std::unique_ptr<gateway::RouteTable> routes_;
  std::unique_ptr<gateway::QuotaCounter> quota_;
  std::unique_ptr<gateway::Gateway> gateway_;
  std::unique_ptr<http::HttpServer> http_;
  std::string base_url_;
};

}  // namespace ttads::testing

#endif  // TTADS_TESTS_SUPPORT_INPROC_GATEWAY_H_
