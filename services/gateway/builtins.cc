#include "services/gateway/builtins.h"

#include <map>
#include <vector>

#include "prometheus/text_serializer.h"
#include "services/gateway/docs_page.h"
#include "services/gateway/json_dump.h"
#include "services/gateway/openapi.h"

namespace ttads::gateway {

Builtins::Builtins(const RouteTable& routes, BackendPool& backends,
                   prometheus::Registry& registry, Answering& answering,
                   std::chrono::milliseconds ready_timeout)
    : backends_(backends),
      registry_(registry),
      answering_(answering),
      ready_timeout_(ready_timeout),
      openapi_json_(BuildOpenApi(routes).dump(2)) {}

bool Builtins::Serves(absl::string_view method, absl::string_view path) {
  return method == "GET" &&
         (path == "/healthz" || path == "/readyz" || path == "/metrics" ||
          path == "/openapi.json" || FindDocsAsset(path).has_value());
}

void Builtins::Serve(const std::shared_ptr<Exchange>& ex) {
  const std::string& path = ex->metric_method;
  if (path == "/healthz") {
    answering_.Send(*ex, {200, R"({"status":"ok"})", {}});
  } else if (path == "/openapi.json") {
    answering_.Send(*ex, {200, openapi_json_, {}});
  } else if (std::optional<DocsAsset> asset = FindDocsAsset(path)) {
    answering_.SendText(*ex, 200, std::move(asset->content_type),
                        std::string(asset->body), std::move(asset->headers));
  } else if (path == "/metrics") {
    std::vector<prometheus::MetricFamily> families = registry_.Collect();
    for (auto& family : process_.Collect()) families.push_back(family);
    answering_.SendText(*ex, 200, "text/plain; version=0.0.4",
                        prometheus::TextSerializer().Serialize(families));
  } else {
    std::map<std::string, std::vector<std::string>> services_at;
    for (const auto& [service, address] : backends_.addresses()) {
      services_at[address].push_back(service);
    }
    backends_.CheckHealth(
        ready_timeout_,
        [this, ex, services_at](std::map<std::string, std::string> results) {
          // Ready while at least one backend serves: the routes of the
          // others keep working (a route whose backend is down answers 503
          // with Retry-After on its own), so one failed backend must not
          // take every gateway pod out of the Service. Not ready only when
          // no backend answers — then nothing but built-ins could be served.
          bool any_serving = false;
          nlohmann::json backends = nlohmann::json::array();
          nlohmann::json unavailable = nlohmann::json::array();
          for (const auto& [address, verdict] : results) {
            auto it = services_at.find(address);
            const std::vector<std::string> services =
                it == services_at.end() ? std::vector<std::string>()
                                        : it->second;
            if (verdict.empty()) {
              any_serving = true;
            } else {
              for (const std::string& service : services) {
                unavailable.push_back(service);
              }
            }
            backends.push_back(
                {{"address", address},
                 {"services", services},
                 {"status", verdict.empty() ? "SERVING" : verdict}});
          }
          answering_.Send(
              *ex, {any_serving ? 200 : 503,
                    DumpJson(nlohmann::json{
                        {"ready", any_serving},
                        {"degraded", any_serving && !unavailable.empty()},
                        {"unavailable_services", unavailable},
                        {"backends", backends}}),
                    {}});
        });
  }
}

}  // namespace ttads::gateway
