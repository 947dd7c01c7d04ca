#include "tests/support/inproc_gateway.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace ttads::testing {

ServiceAddress AllAt(std::string address) {
  return [address = std::move(address)](
             const google::protobuf::ServiceDescriptor&) { return address; };
}

ServiceAddress ByName(std::map<std::string, std::string> addresses,
                      std::string otherwise) {
  return [addresses = std::move(addresses), otherwise = std::move(otherwise)](
             const google::protobuf::ServiceDescriptor& service) {
    auto it = addresses.find(service.full_name());
    if (it == addresses.end()) it = addresses.find(service.file()->package());
    return it != addresses.end() ? it->second : otherwise;
  };
}

absl::StatusOr<std::unique_ptr<InProcessGateway>> InProcessGateway::Start(
    store::RedisPool& redis, auth::TeamStore& teams,
    InProcessGatewayOptions options) {
  std::unique_ptr<InProcessGateway> gw(new InProcessGateway());
  std::map<std::string, std::string> addresses;
  for (const auto* service : gateway::RouteTable::LinkedServices("ttads.")) {
    addresses[service->full_name()] = options.address(*service);
  }
  gw->backends_ = std::make_unique<gateway::BackendPool>(addresses);
  absl::StatusOr<gateway::RouteTable> routes =
      gateway::RouteTable::FromLinkedServices("ttads.");
  if (!routes.ok()) return routes.status();
  gw->routes_ = std::make_unique<gateway::RouteTable>(*std::move(routes));
  gateway::QuotaConfig quota;
  quota.limits = {{"standard", 0}, {"enterprise", 0}};
  quota.default_tier = "standard";
  gw->quota_ = std::make_unique<gateway::QuotaCounter>(redis, quota);
  gw->gateway_ = std::make_unique<gateway::Gateway>(
      *gw->routes_, *gw->backends_, teams, *gw->quota_,
      std::move(options.gateway));
  gateway::Gateway* handler = gw->gateway_.get();
  options.http.stream_body = [handler](const http::HttpRequest& head) {
    return handler->StreamsBody(head);
  };
  gw->http_ = std::make_unique<http::HttpServer>(
      std::move(options.http),
      [handler](http::HttpRequest request, http::HttpResponder responder) {
        handler->Handle(std::move(request), std::move(responder));
      });
  if (absl::Status started = gw->http_->Start(); !started.ok()) return started;
  gw->base_url_ = absl::StrCat("http://127.0.0.1:", gw->http_->port());
  return gw;
}

InProcessGateway::~InProcessGateway() {
  if (http_) http_->Stop();
}

}  // namespace ttads::testing
