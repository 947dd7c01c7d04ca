#ifndef TTADS_SERVICES_GATEWAY_ROUTE_TABLE_H_
#define TTADS_SERVICES_GATEWAY_ROUTE_TABLE_H_

// The gateway's routes, built once at start from the `google.api.http`
// annotations of every method of every linked ttads service. There is no
// per-route code: an annotated RPC added to a proto (and linked into the
// binary) is served, transcoded and documented in /openapi.json as is.
//
// Each HttpRule (and each of its `additional_bindings`) is one route:
// HTTP method + path template + body mapping. Matching picks, among the
// routes whose template matches, the most specific one: a template with a
// custom verb first, then more literal segments, then no `**`.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "services/gateway/path_template.h"

namespace ttads::gateway {

struct Route {
  std::string
      http_method;  // "GET", "POST", "PUT", "PATCH", "DELETE" or custom.
  PathTemplate path;
  // "" = no body (fields come from the path and the query), "*" = the whole
  // request message, else the name of the request field the body fills.
  std::string body;
  // "" = the whole response message, else the response field rendered.
  std::string response_body;
  const google::protobuf::MethodDescriptor* method = nullptr;
  // "/ttads.preflight.v1.PreflightService/PublishCheck".
  std::string grpc_path;
  bool client_streaming() const { return method->client_streaming(); }
  bool server_streaming() const { return method->server_streaming(); }
  const std::string& service_name() const {
    return method->service()->full_name();
  }
};

struct RouteMatch {
  const Route* route = nullptr;
  PathTemplate::Bindings bindings;
};

class RouteTable {
 public:
  // Routes of every service in the generated descriptor pool whose full name
  // starts with `package_prefix` (e.g. "ttads."). Errors: INVALID_ARGUMENT
  // for a bad template or a body field the request message lacks;
  // ALREADY_EXISTS when two rules claim the same method and template.
  static absl::StatusOr<RouteTable> FromLinkedServices(
      absl::string_view package_prefix);
  // Routes of the given services.
  static absl::StatusOr<RouteTable> FromServices(
      const std::vector<const google::protobuf::ServiceDescriptor*>& services);

  // Full names of linked services with `package_prefix`, sorted.
  static std::vector<const google::protobuf::ServiceDescriptor*> LinkedServices(
      absl::string_view package_prefix);

  // The best route for `http_method` and the raw path (no query).
  std::optional<RouteMatch> Match(absl::string_view http_method,
                                  absl::string_view raw_path) const;
  // HTTP methods that have a route matching `raw_path` (for 405 + Allow).
  std::vector<std::string> AllowedMethods(absl::string_view raw_path) const;

  const std::vector<std::unique_ptr<Route>>& routes() const { return routes_; }
  const std::vector<const google::protobuf::ServiceDescriptor*>& services()
      const {
    return services_;
  }

 private:
  std::vector<std::unique_ptr<Route>> routes_;
  std::vector<const google::protobuf::ServiceDescriptor*> services_;
};

}  // namespace ttads::gateway

#endif  // TTADS_SERVICES_GATEWAY_ROUTE_TABLE_H_
