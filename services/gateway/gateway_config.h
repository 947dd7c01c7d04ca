#ifndef TTADS_SERVICES_GATEWAY_GATEWAY_CONFIG_H_
#define TTADS_SERVICES_GATEWAY_GATEWAY_CONFIG_H_

// The gateway's configuration (docs/gateway.md lists every key): the schema
// for libs/config and the typed settings derived from a loaded Config.
//
// Backends are found by package: a service `ttads.<pkg>.v1.<Name>` is served
// by the address in `TTADS_<PKG>_ADDRESS` (identity, preflight, ads, audience
// have the documented local defaults). The schema declares one such key per
// package found among the linked services, so a new service package only
// needs its address configured.

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "google/protobuf/descriptor.h"
#include "libs/config/config.h"
#include "libs/http/server.h"
#include "libs/store/redis.h"
#include "services/gateway/gateway.h"
#include "services/gateway/quota.h"

namespace ttads::gateway {

// "TTADS_IDENTITY_ADDRESS" for "ttads.identity.v1.IdentityService";
// "TTADS_ADMIN_API_ADDRESS" for "ttads.admin.v1.AdminService", a package
// another binary hosts (optional; defaults to the host's address).
std::string AddressKeyFor(const google::protobuf::ServiceDescriptor* service);

config::Schema GatewaySchema(
    const std::vector<const google::protobuf::ServiceDescriptor*>& services);

struct GatewaySettings {
  http::HttpServer::Options http;
  store::RedisOptions redis;
  std::map<std::string, std::string> backends;  // service -> address
  int backend_channels = 4;  // Connections per backend address.
  QuotaConfig quota;
  GatewayOptions gateway;
};

// INVALID_ARGUMENT naming the key for a value the schema cannot check
// (quota tiers, a default tier missing from the tiers, Redis keys that do
// not go together: libs/store redis_config.h).
absl::StatusOr<GatewaySettings> SettingsFromConfig(
    const config::Config& config,
    const std::vector<const google::protobuf::ServiceDescriptor*>& services);

}  // namespace ttads::gateway

#endif  // TTADS_SERVICES_GATEWAY_GATEWAY_CONFIG_H_
